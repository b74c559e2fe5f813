"""A local stand-in for Slack's Web API, plus a driver that sends correctly signed requests
into the app's HTTP endpoint. It records every call and rejects what Slack rejects: too many
blocks, over-long section or button text, over-long modal titles, and posts to channels the bot
is not in."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TEAM = "T0001"
BOT_USER = "UBOT"
SIGNING_SECRET = "test-signing-secret"


@dataclass
class SlackCall:
    method: str
    body: dict[str, Any]
    token: str = ""


@dataclass
class SlackStandIn:
    calls: list[SlackCall] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    admins: set[str] = field(default_factory=set)
    not_in_channel: set[str] = field(default_factory=set)
    base: str = ""
    channel_interval: float | None = None  # seconds between messages to one channel
    refused_429: int = 0
    _last_post: dict[tuple[str, str], float] = field(default_factory=dict)
    _ts: Any = field(default_factory=lambda: itertools.count(1))

    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    envelope_acks: list[dict[str, Any]] = field(default_factory=list)
    missing_scopes: set[str] = field(default_factory=set)  # scopes the token lacks
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id -> bytes sent
    shared: list[dict[str, Any]] = field(default_factory=list)  # completed uploads

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.api)
        app.router.add_post("/response/{n}", self.response)
        app.router.add_post("/upload/{file_id}", self.upload)
        app.router.add_get("/link", self.socket_mode)
        return app

    async def socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: hello, then envelopes from `envelope`, acknowledged by the app."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(
            json.dumps(
                {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}
            )
        )
        self.sockets.append(ws)
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
                if "envelope_id" in data:
                    self.envelope_acks.append(data)
        self.sockets.remove(ws)
        return ws

    async def envelope(self, kind: str, payload: dict[str, Any]) -> str:
        envelope_id = f"env-{next(self._ts)}"
        for ws in self.sockets:
            await ws.send_str(
                json.dumps(
                    {
                        "envelope_id": envelope_id,
                        "type": kind,
                        "payload": payload,
                        "accepts_response_payload": True,
                    }
                )
            )
        return envelope_id

    async def upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal hands out: the file's bytes, once."""
        file_id = request.match_info["file_id"]
        if file_id not in self.uploads or self.uploads[file_id]:
            return web.Response(status=404, text="unknown or used upload URL")
        self.uploads[file_id] = await request.read()
        return web.Response(text="OK - " + str(len(self.uploads[file_id])))

    async def response(self, request: web.Request) -> web.Response:
        self.responses.append(await request.json())
        return web.Response(text="ok")

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body.update(await request.json())
            else:
                body.update(dict(await request.post()))
        for key in ("blocks", "view", "files"):
            if isinstance(body.get(key), str):
                body[key] = json.loads(body[key])
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        token = bearer or str(body.get("token", ""))
        if method == "chat.postMessage" and self.channel_interval is not None:
            now = asyncio.get_running_loop().time()
            key = (token, str(body.get("channel")))
            last = self._last_post.get(key)
            if last is not None and now - last < self.channel_interval:
                self.refused_429 += 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            self._last_post[key] = now
        self.calls.append(SlackCall(method, body, token))
        return web.json_response(self.answer(method, body))

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return {
                "ok": True,
                "app_id": "A0001",
                "access_token": "xoxb-second-team",
                "token_type": "bot",
                "scope": "commands,chat:write,im:write,users:read",
                "bot_user_id": "UBOT2",
                "team": {"id": "T0002", "name": "Second team"},
                "enterprise": None,
                "is_enterprise_install": False,
                "authed_user": {"id": "U900", "scope": "", "token_type": "user"},
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": self.base.replace("http", "ws", 1) + "/link"}
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "B0001",
                "url": "https://example.slack.com/",
            }
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            if body.get("channel") in self.not_in_channel:
                return {"ok": False, "error": "not_in_channel"}
            problem = invalid_blocks(body.get("blocks") or [])
            if problem:
                return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
            ts = f"1764000000.{next(self._ts):06d}"
            return {
                "ok": True,
                "channel": body.get("channel"),
                "ts": body.get("ts", ts),
                "message_ts": ts,
            }
        if method in ("views.open", "views.publish"):
            view = body.get("view") or {}
            if len((view.get("title") or {}).get("text", "")) > 24:
                return {"ok": False, "error": "invalid_arguments"}
            problem = invalid_blocks(view.get("blocks") or [])
            if problem:
                return {"ok": False, "error": "invalid_arguments", "errors": [problem]}
            return {"ok": True, "view": {"id": "V1", **view}}
        if method == "users.info":
            user = body.get("user", "")
            return {
                "ok": True,
                "user": {"id": user, "is_admin": user in self.admins, "is_owner": False},
            }
        if method == "files.getUploadURLExternal":
            if "files:write" in self.missing_scopes:
                return {"ok": False, "error": "missing_scope", "needed": "files:write"}
            if not body.get("filename") or int(body.get("length") or 0) <= 0:
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{next(self._ts):08d}"
            self.uploads[file_id] = b""
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = body.get("files") or []
            if not files or any(not self.uploads.get(f.get("id", "")) for f in files):
                return {"ok": False, "error": "file_not_found"}
            self.shared.append(body)
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", ""))}}
        return {"ok": True}

    def by_method(self, method: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == method]


def invalid_blocks(blocks: list[dict[str, Any]]) -> str | None:
    if len(blocks) > 50:
        return "no more than 50 items allowed [json-pointer:/blocks]"
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        if block.get("type") == "section" and len(text) > 3000:
            return "must be less than 3001 characters [json-pointer:/blocks/text]"
        for element in block.get("elements", []):
            if element.get("type") != "button":
                continue
            if len(element["text"]["text"]) > 75 or len(element["action_id"]) > 255:
                return "button text or action_id too long"
    return None


def signed(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    mac = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={mac}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command_body(text: str, standin: SlackStandIn, *, user: str = "U100", name: str = "ada") -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "study",
            "channel_id": "C0001",
            "channel_name": "study",
            "user_id": user,
            "user_name": name,
            "command": "/quiz",
            "text": text,
            "response_url": f"{standin.base}/response/1",
            "trigger_id": "trig-1",
            "api_app_id": "A0001",
        }
    )


def action_body(
    action_id: str,
    standin: SlackStandIn,
    *,
    user: str = "U100",
    name: str = "ada",
    channel: str = "C0001",
) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "study"},
        "user": {"id": user, "username": name, "name": name, "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": "trig-2",
        "container": {
            "type": "message",
            "message_ts": "1764000000.000001",
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "channel": {"id": channel, "name": "study"},
        "message": {"ts": "1764000000.000001", "type": "message", "text": ""},
        "response_url": f"{standin.base}/response/2",
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b",
                "type": "button",
                "value": action_id,
                "action_ts": "1764000001.0",
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def view_body(callback_id: str, text: str, *, user: str = "U100", channel: str = "C0001") -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "study"},
        "user": {"id": user, "username": "ada", "name": "ada", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": "trig-3",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": channel,
            "team_id": TEAM,
            "state": {
                "values": {"answer": {"answer": {"type": "plain_text_input", "value": text}}}
            },
        },
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})
