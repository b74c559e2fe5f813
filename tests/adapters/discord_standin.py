"""A local stand-in for Discord's REST API and gateway, for the real discord.py client.

It records every request, answers like Discord (exact `application/json`, snowflake ids,
`Via` on 429s) and rejects what Discord rejects: over-long content, embeds and labels, too many
components, and posts to channels the bot may not write in.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

APP_ID = "900000000000000001"
BOT_ID = "900000000000000002"
GUILD_ID = "800000000000000001"
CHANNEL_ID = "700000000000000001"
DM_CHANNEL_ID = "700000000000000077"
TIMESTAMP = "2026-11-24T12:00:00.000000+00:00"
MANAGE_GUILD = 1 << 5
BOT_USER = {
    "id": BOT_ID,
    "username": "studybot",
    "discriminator": "0",
    "avatar": None,
    "global_name": "studybot",
    "bot": True,
}


def jr(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(obj).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def user(user_id: str, name: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name.lower(),
        "discriminator": "0",
        "avatar": None,
        "global_name": name,
    }


@dataclass
class UploadedFile:
    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class Call:
    method: str
    path: str
    body: Any
    at: float = 0.0
    files: list[UploadedFile] = field(default_factory=list)


@dataclass
class DiscordStandIn:
    calls: list[Call] = field(default_factory=list)
    forbidden_channels: set[str] = field(default_factory=set)
    rate_limit_next_post: int = 0
    shards: int = 1
    global_limit: int | None = None  # requests a second, enforced like Discord's global limit
    refused_429: int = 0
    _recent: Any = field(default_factory=collections.deque)
    identified_shards: list[Any] = field(default_factory=list)
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(600000000000000001))
    _seq: Any = field(default_factory=lambda: itertools.count(2))
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def next_id(self) -> str:
        return str(next(self._ids))

    # -- the app ---------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest)
        return app

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 2:
                self.sockets.append(ws)
                self.identified_shards.append(data["d"].get("shard"))
                await ws.send_str(
                    json.dumps(
                        {
                            "op": 0,
                            "t": "READY",
                            "s": 1,
                            "d": {
                                "v": 10,
                                "user": BOT_USER,
                                "guilds": [],
                                "session_id": "session",
                                "resume_gateway_url": str(request.url.with_path("/gateway")),
                                "application": {"id": APP_ID, "flags": 0},
                                "shard": data["d"].get("shard"),
                            },
                        }
                    )
                )
                self.ready.set()
            elif data["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
        if ws in self.sockets:
            index = self.sockets.index(ws)
            self.sockets.pop(index)
            self.identified_shards.pop(index)
        return ws

    async def dispatch(self, event: str, payload: dict[str, Any]) -> None:
        """Send an event to the shard that owns its guild, as Discord does."""
        frame = json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": payload})
        shard = (int(payload.get("guild_id", 0)) >> 22) % max(1, self.shards)
        for ws, ident in list(zip(self.sockets, self.identified_shards, strict=False)):
            if ident is None or ident[0] == shard:
                await ws.send_str(frame)

    async def rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        uploads: list[UploadedFile] = []
        if request.content_type.startswith("multipart/"):
            body, uploads = await read_multipart(request)
        elif request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        if self.global_limit is not None and not path.startswith(("/interactions", "/webhooks")):
            now = asyncio.get_running_loop().time()
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.global_limit:
                self.refused_429 += 1
                wait = round(1.0 - (now - self._recent[0]), 3)
                return jr(
                    {"message": "You are being rate limited.", "retry_after": wait, "global": True},
                    429,
                    {"Via": "1.1 google", "X-RateLimit-Global": "true", "Retry-After": str(wait)},
                )
            self._recent.append(now)
        self.calls.append(
            Call(request.method, path, body, asyncio.get_running_loop().time(), uploads)
        )
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return jr(BOT_USER)
        if path == "/gateway/bot":
            return jr(
                {
                    "url": str(request.url.with_path("/gateway").with_scheme("ws")),
                    "shards": self.shards,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if path == "/oauth2/applications/@me":
            return jr(
                {
                    "id": APP_ID,
                    "name": "studybot",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": user("1", "Owner"),
                    "verify_key": "k",
                    "flags": 0,
                }
            )
        if request.method == "PUT" and parts[0] == "applications":
            return jr(
                [
                    {
                        **c,
                        "id": self.next_id(),
                        "application_id": APP_ID,
                        "version": "1",
                        "default_member_permissions": c.get("default_member_permissions"),
                    }
                    for c in body
                ]
            )
        if parts[0] == "interactions":
            return jr({"interaction": {"id": parts[1], "type": 3}})
        if parts[0] == "webhooks":
            return jr(self.message(CHANNEL_ID, body or {}))
        if parts[0] == "channels" and request.method == "POST" and parts[-1] == "threads":
            return jr(
                {
                    "id": self.next_id(),
                    "type": 11,
                    "guild_id": GUILD_ID,
                    "parent_id": parts[1],
                    "name": body["name"],
                    "owner_id": BOT_ID,
                    "thread_metadata": {
                        "archived": False,
                        "auto_archive_duration": 1440,
                        "archive_timestamp": TIMESTAMP,
                        "locked": False,
                    },
                    "message_count": 0,
                    "member_count": 1,
                    "rate_limit_per_user": 0,
                    "flags": 0,
                }
            )
        if parts[0] == "channels" and parts[-1] == "messages" and request.method == "POST":
            if parts[1] in self.forbidden_channels:
                return jr({"message": "Missing Permissions", "code": 50013}, 403)
            if self.rate_limit_next_post:
                self.rate_limit_next_post -= 1
                return jr(
                    {"message": "You are being rate limited.", "retry_after": 0.2, "global": False},
                    429,
                    {"Via": "1.1 google", "Retry-After": "1"},
                )
            problem = invalid_message(body)
            if problem:
                return jr({"message": "Invalid Form Body", "code": 50035, "errors": problem}, 400)
            return jr(self.message(parts[1], body))
        if parts[0] == "channels" and request.method == "PATCH":
            problem = invalid_message(body)
            if problem:
                return jr({"message": "Invalid Form Body", "code": 50035, "errors": problem}, 400)
            return jr(self.message(parts[1], body, message_id=parts[3]))
        if parts[0] == "channels" and request.method == "PUT" and "thread-members" in parts:
            return web.Response(status=204)
        if parts[0] == "users" and request.method == "GET":
            return jr(user(parts[1], "Member"))
        if parts[0] == "users" and request.method == "POST":
            return jr(
                {"id": self.next_id(), "type": 1, "recipients": [user(body["recipient_id"], "x")]}
            )
        return jr({"message": "404: Not Found", "code": 0}, 404)

    def message(
        self, channel_id: str, body: dict[str, Any], message_id: str | None = None
    ) -> dict[str, Any]:
        payload = {
            "id": message_id or self.next_id(),
            "channel_id": channel_id,
            "guild_id": GUILD_ID,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
        }
        self.messages[payload["id"]] = payload
        return payload

    # -- what tests push -------------------------------------------------------------------

    def interaction(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user_id: str = "100",
        name: str = "Ada",
        admin: bool = False,
        message: dict[str, Any] | None = None,
        in_dm: bool = False,
    ) -> dict[str, Any]:
        """An interaction as Discord sends it; `in_dm`: from a direct message with the bot,
        which names no server and no guild member, only the user."""
        payload = {
            "id": self.next_id(),
            "application_id": APP_ID,
            "type": kind,
            "token": "tok-" + self.next_id(),
            "version": 1,
            "attachment_size_limit": 8388608,
            "guild_id": GUILD_ID,
            "channel_id": CHANNEL_ID,
            "channel": {
                "id": CHANNEL_ID,
                "type": 0,
                "guild_id": GUILD_ID,
                "name": "study",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
            "member": {
                "user": user(user_id, name),
                "roles": [],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(MANAGE_GUILD if admin else 0),
            },
            "app_permissions": "0",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
            "data": data,
        }
        if message is not None:
            payload["message"] = message
        if in_dm:
            del payload["guild_id"], payload["guild_locale"]
            payload["user"] = payload.pop("member")["user"]
            payload["channel_id"] = DM_CHANNEL_ID
            payload["channel"] = {"id": DM_CHANNEL_ID, "type": 1}
            payload["context"] = 1
            if message is not None:
                message.pop("guild_id", None)
                message["channel_id"] = DM_CHANNEL_ID
        return payload

    def callbacks(self) -> list[Call]:
        return [c for c in self.calls if c.path.startswith("/interactions/")]

    def followups(self) -> list[Call]:
        return [c for c in self.calls if c.path.startswith("/webhooks/")]

    def posts(self, channel_id: str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == "POST"
            and c.path.endswith("/messages")
            and (channel_id is None or c.path == f"/channels/{channel_id}/messages")
        ]


async def read_multipart(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """A message with files, as Discord takes it: the JSON body in `payload_json` and each
    file in a `files[n]` part, described by the body's `attachments` entry `n`."""
    body: Any = None
    uploads = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        assert isinstance(part, BodyPartReader)
        if part.name == "payload_json":
            body = json.loads(await part.text())
        else:
            uploads.append(
                UploadedFile(
                    part.name or "",
                    part.filename or "",
                    part.headers.get("Content-Type", ""),
                    bytes(await part.read()),
                )
            )
    return body, uploads


def invalid_message(body: dict[str, Any] | None) -> dict[str, Any] | None:
    """What Discord's API would refuse in a message body."""
    if not body:
        return None
    if len(body.get("content") or "") > 2000:
        return {"content": "Must be 2000 or fewer in length."}
    for embed in body.get("embeds") or []:
        if len(embed.get("description") or "") > 4096 or len(embed.get("title") or "") > 256:
            return {"embeds": "Embed text too long."}
        if len(embed.get("fields") or []) > 25:
            return {"embeds": "Too many fields."}
    rows = body.get("components") or []
    if len(rows) > 5:
        return {"components": "Must be 5 or fewer in length."}
    for row in rows:
        buttons = row.get("components", [])
        if len(buttons) > 5:
            return {"components": "Must be 5 or fewer in length."}
        for button in buttons:
            if len(button.get("label") or "") > 80 or len(button.get("custom_id") or "") > 100:
                return {"components": "Button label or custom id too long."}
    return None
