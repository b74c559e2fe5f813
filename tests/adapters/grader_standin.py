"""A loopback stand-in of an OpenAI-compatible `/chat/completions` endpoint: it records every
request (headers and JSON body) and answers with scripted replies."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class Scripted:
    """One reply: an HTTP status, a body (a dict is sent as JSON), and a delay before it."""

    body: Any
    status: int = 200
    delay_s: float = 0.0


def completion(content: str) -> dict[str, Any]:
    """A chat-completions response whose message content is `content`."""
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }


def grading(*hits: bool, reason: str = "ok") -> Scripted:
    """A valid grading: key point i+1 is hit when hits[i]."""
    points = [
        {"index": i, "hit": hit, "reason": f"{reason} {i}"} for i, hit in enumerate(hits, start=1)
    ]
    return Scripted(completion(json.dumps({"points": points})))


@dataclass
class Received:
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def system(self) -> str:
        return str(self.body["messages"][0]["content"])

    @property
    def user(self) -> str:
        return str(self.body["messages"][1]["content"])


@dataclass
class GraderStandin:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    reply: Callable[[Received], Scripted] = lambda _request: Scripted(completion("{}"))

    def always(self, scripted: Scripted) -> None:
        self.reply = lambda _request: scripted


@asynccontextmanager
async def grader_standin() -> AsyncIterator[GraderStandin]:
    standin = GraderStandin()

    async def chat_completions(request: web.Request) -> web.StreamResponse:
        seen = Received(dict(request.headers), await request.json())
        standin.received.append(seen)
        scripted = standin.reply(seen)
        if scripted.delay_s:
            await asyncio.sleep(scripted.delay_s)
        if isinstance(scripted.body, (dict, list)):
            return web.json_response(scripted.body, status=scripted.status)
        return web.Response(text=str(scripted.body), status=scripted.status)

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat_completions)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    standin.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield standin
    finally:
        await runner.cleanup()
