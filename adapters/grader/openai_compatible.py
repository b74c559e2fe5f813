"""A `Grader` on an OpenAI-compatible chat-completions endpoint: Ollama, vLLM, llama.cpp's
server or a hosted API.

One request per answer (`POST {url}/chat/completions`, temperature 0), a batch's requests side
by side up to `concurrency`, each bounded by `request_timeout_s`. The reply must be a JSON object
with one verdict per key point; it is checked with a JSON schema and anything else, like an HTTP
error or a timeout, is "could not grade" (None), never an exception.

`response_format` is `{"type": "json_object"}` (JSON mode), not `json_schema`: JSON mode is what
nearly every compatible server accepts (OpenAI, Ollama, vLLM, llama.cpp's server and its forks,
hosted APIs such as DeepSeek), while some llama.cpp builds and hosted APIs reject `json_schema`
with an error. The schema is stated in the prompt and enforced here, so a server that ignores
structured output entirely still works whenever its model follows the prompt.

The API key goes in the Authorization header only; it is never logged, and neither is the URL
(it may carry credentials) or an exception's text (it may echo the request).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import Sequence
from importlib import resources
from string import Template
from typing import Any

import aiohttp
import jsonschema

from bot.ports.grader import REASON_LIMIT, PointVerdict, Rubric, Verdict

log = logging.getLogger(__name__)

MAX_REPLY_BYTES = 256 * 1024
_PROMPT = Template(
    resources.files("adapters.grader").joinpath("rubric_prompt.txt").read_text(encoding="utf-8")
)
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=32)
def output_schema(count: int) -> dict[str, Any]:
    """The reply's JSON schema for a rubric of `count` key points (indexes from 1)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["points"],
        "properties": {
            "points": {
                "type": "array",
                "minItems": count,
                "maxItems": count,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["index", "hit", "reason"],
                    "properties": {
                        "index": {"type": "integer", "minimum": 1, "maximum": count},
                        "hit": {"type": "boolean"},
                        "reason": {"type": "string", "maxLength": REASON_LIMIT},
                    },
                },
            }
        },
    }


@functools.lru_cache(maxsize=32)
def _validator(count: int) -> jsonschema.protocols.Validator:
    schema = output_schema(count)
    return jsonschema.Draft202012Validator(schema)


def messages(rubric: Rubric, answer: str) -> list[dict[str, str]]:
    """The rubric and rules as the system message; the member's answer alone as the user
    message, JSON-encoded, so nothing in it can pose as the rubric or close a quote."""
    points = "\n".join(f"{i}. {point}" for i, point in enumerate(rubric.key_points, start=1))
    system = _PROMPT.substitute(
        count=len(rubric.key_points),
        question=rubric.prompt,
        model_answer=rubric.model_answer or "-",
        key_points=points,
    )
    user = json.dumps({"member_answer": answer}, ensure_ascii=False)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def parse_reply(raw: bytes, count: int) -> Verdict | None:
    """A chat-completions response body to a verdict, or None when it is not exactly one valid
    verdict per key point."""
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if not isinstance(content, str):
        return None
    fenced = _FENCE.match(content)
    try:
        data = json.loads(fenced.group(1) if fenced else content)
    except ValueError:
        return None
    if not _validator(count).is_valid(data):
        return None
    by_index = {p["index"]: p for p in data["points"]}
    if sorted(by_index) != list(range(1, count + 1)):
        return None
    return tuple(
        PointVerdict(by_index[i]["hit"], _SPACE.sub(" ", by_index[i]["reason"]).strip())
        for i in range(1, count + 1)
    )


class OpenAICompatibleGrader:
    def __init__(
        self,
        url: str,
        model: str,
        api_key: str | None = None,
        *,
        request_timeout_s: float = 10.0,
        concurrency: int = 4,
        max_tokens: int = 600,
    ) -> None:
        self._endpoint = url.rstrip("/") + "/chat/completions"
        self._model = model
        self._headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            self._headers["Authorization"] = "Bearer " + api_key
        self._timeout = aiohttp.ClientTimeout(total=request_timeout_s)
        self._limit = asyncio.Semaphore(max(1, concurrency))
        self._max_tokens = max_tokens
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"OpenAICompatibleGrader(model={self._model!r})"

    async def grade(self, rubric: Rubric, answers: Sequence[str]) -> list[Verdict | None]:
        return list(await asyncio.gather(*(self._grade_one(rubric, a) for a in answers)))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def _grade_one(self, rubric: Rubric, answer: str) -> Verdict | None:
        body = {
            "model": self._model,
            "messages": messages(rubric, answer),
            "temperature": 0,
            "max_tokens": self._max_tokens,
            "stream": False,
            "response_format": {"type": "json_object"},
        }
        try:
            async with self._limit:
                raw = await self._post(body)
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("the model grader could not be reached (%s)", type(error).__name__)
            return None
        if raw is None:
            return None
        verdict = parse_reply(raw, len(rubric.key_points))
        if verdict is None:
            log.warning("the model grader's reply was not a valid grading; ignored")
        return verdict

    async def _post(self, body: dict[str, Any]) -> bytes | None:
        session = self._client()
        async with session.post(
            self._endpoint, json=body, headers=self._headers, timeout=self._timeout
        ) as response:
            if response.status != 200:
                log.warning("the model grader answered HTTP %d", response.status)
                return None
            chunks = []
            size = 0
            async for chunk in response.content.iter_chunked(64 * 1024):
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    log.warning("the model grader's reply exceeded %d bytes", MAX_REPLY_BYTES)
                    return None
                chunks.append(chunk)
            return b"".join(chunks)
