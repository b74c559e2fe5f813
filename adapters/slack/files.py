"""A reply's files on Slack, which cannot attach a file to an ephemeral message: they are
uploaded into the member's direct messages with the app (`files_upload_v2`: the
`files.getUploadURLExternal` + upload + `files.completeUploadExternal` steps), and the private
reply says where they went. Without the `files:write` scope the reply stays text only and says
which scope an admin should add."""

from __future__ import annotations

import logging
from dataclasses import replace
from gettext import ngettext

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.render import Reply

log = logging.getLogger(__name__)
FILES_SCOPE = "files:write"
ALT_TEXT_LIMIT = 1000


async def deliver(client: AsyncWebClient, user_id: str, reply: Reply) -> Reply:
    """`reply` without its files, once they are in the member's DM, plus a line on where
    they are (or on why they are not)."""
    if not reply.files:
        return reply
    try:
        opened = await client.conversations_open(users=user_id)
        await client.files_upload_v2(
            file_uploads=[
                {
                    "file": item.data,
                    "filename": item.filename,
                    "title": item.filename,
                    "alt_txt": item.description[:ALT_TEXT_LIMIT],
                }
                for item in reply.files
            ],
            channel=str(opened["channel"]["id"]),
        )
    except SlackApiError as error:
        if error.response.get("error") == "missing_scope":
            note = ngettext(
                "(The file was not sent: the studybot app needs the {scope} scope. An admin "
                "can add it under OAuth & Permissions and reinstall the app.)",
                "(The files were not sent: the studybot app needs the {scope} scope. An admin "
                "can add it under OAuth & Permissions and reinstall the app.)",
                len(reply.files),
            ).format(scope=FILES_SCOPE)
        else:
            log.warning("uploading %d file(s) failed: %s", len(reply.files), error)
            note = ngettext(
                "(The file could not be sent; try again in a minute.)",
                "(The files could not be sent; try again in a minute.)",
                len(reply.files),
            )
    else:
        note = ngettext(
            "(The file is in your direct messages with studybot: Slack cannot attach files to "
            "a private reply.)",
            "(The files are in your direct messages with studybot: Slack cannot attach files "
            "to a private reply.)",
            len(reply.files),
        )
    return replace(reply, text=f"{reply.text}\n{note}" if reply.text else note, files=())
