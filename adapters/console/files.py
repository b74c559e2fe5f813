"""Files that come with a reply (a stats card, an export), written to a folder on disk: the
terminal cannot show them, so the console prints where each one went and what it holds."""

from __future__ import annotations

import os
from collections.abc import Mapping
from gettext import gettext as _
from pathlib import Path

from bot.render import Attachment

FOLDER_VARIABLE = "STUDYBOT_FILES_DIR"
DEFAULT_FOLDER = Path("studybot-files")
"""Beside the console's default database (`studybot.db` in the working folder)."""


def folder(environ: Mapping[str, str] | None = None) -> Path:
    """`STUDYBOT_FILES_DIR` when set, else ./studybot-files."""
    chosen = (os.environ if environ is None else environ).get(FOLDER_VARIABLE, "").strip()
    return Path(chosen) if chosen else DEFAULT_FOLDER


def save(files: tuple[Attachment, ...], into: Path) -> list[str]:
    """Write each file (a later file of the same name replaces the earlier one) and say, a
    line each, where it is and what it shows."""
    lines = []
    for attachment in files:
        name = Path(attachment.filename).name or "studybot-file"
        try:
            into.mkdir(parents=True, exist_ok=True)
            path = into / name
            path.write_bytes(attachment.data)
        except OSError as error:
            lines.append(
                _("Could not save {name} in {folder}: {reason}").format(
                    name=name, folder=into, reason=error.strerror or error
                )
            )
            continue
        lines.append(_("Saved {path}").format(path=path.resolve()))
        if attachment.description:
            lines.append(f"  {attachment.description}")
    return lines
