"""HTTP client for the engine's /model/parse, with explicit timeouts and typed results."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bot.core.understanding import (
    EngineBadResponse,
    EngineUnavailable,
    IntentScore,
    ParseResult,
)
from bot.monitoring.metrics import ENGINE_ERRORS, ENGINE_SECONDS

# The engine reads at most this much of a message; intent lies in the first sentences.
MAX_PARSE_CHARS = 1000
# httpcore trace steps after which the request has left (HTTP/1.1 and HTTP/2).
REQUEST_WRITTEN = frozenset(
    {"http11.send_request_body.complete", "http2.send_request_body.complete"}
)


class EngineClient:
    """One long-lived connection pool to the engine; close it with `aclose()`.

    `token` is the engine's --auth-token: Rasa wants it as the query parameter `token` on
    every call. It is never part of `base_url`, so error messages and logs cannot show it."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 2.0,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            params={"token": token} if token else None,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)),
            transport=transport,
        )

    async def parse(self, text: str, *, sent: asyncio.Event | None = None) -> ParseResult:
        """The engine's reading of `text`. `sent` is set once the request is written, so a
        caller that started this as a task can do its own work while the engine thinks."""
        began = time.perf_counter()
        try:
            result = await self._parse(text, sent)
        except EngineUnavailable:
            ENGINE_ERRORS.labels("unavailable").inc()
            raise
        except EngineBadResponse:
            ENGINE_ERRORS.labels("bad_response").inc()
            raise
        ENGINE_SECONDS.observe(time.perf_counter() - began)
        return result

    async def _parse(self, text: str, sent: asyncio.Event | None) -> ParseResult:
        extensions = {"trace": _signal_when_sent(sent)} if sent is not None else None
        try:
            # httpx's timeouts are per connect/read/write; the user waits for all of them.
            async with asyncio.timeout(self.timeout):
                response = await self._http.post(
                    "/model/parse", json={"text": text[:MAX_PARSE_CHARS]}, extensions=extensions
                )
        except (httpx.TimeoutException, TimeoutError) as e:
            raise EngineUnavailable(f"engine at {self.base_url} did not answer in time") from e
        except httpx.TransportError as e:
            raise EngineUnavailable(f"engine at {self.base_url} is not reachable: {e!r}") from e
        if response.status_code in (401, 403):
            raise EngineBadResponse(
                f"engine answered HTTP {response.status_code}: MIP_ENGINE_TOKEN is not its --auth-token"
            )
        if response.status_code != 200:
            raise EngineBadResponse(f"engine answered HTTP {response.status_code}")
        try:
            return _parse_result(response.json())
        except (ValueError, KeyError, TypeError) as e:
            raise EngineBadResponse(f"engine answered an unexpected body: {e!r}") from e

    async def ready(self) -> bool:
        """True once the engine answers and has a model loaded."""
        try:
            response = await self._http.get("/status")
        except httpx.HTTPError:
            return False
        if response.status_code != 200:
            return False
        try:
            return bool(response.json().get("model_file"))
        except ValueError:
            return False

    async def aclose(self) -> None:
        await self._http.aclose()


def _signal_when_sent(sent: asyncio.Event) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    # httpcore's request tracing (httpx "trace" extension) names each step of a request.
    async def trace(step: str, _info: dict[str, Any]) -> None:
        if step in REQUEST_WRITTEN:
            sent.set()

    return trace


def _parse_result(body: Any) -> ParseResult:
    intent = body["intent"]
    ranking = tuple(
        IntentScore(str(item["name"]), float(item["confidence"]))
        for item in body.get("intent_ranking") or []
    )
    return ParseResult(str(intent["name"]), float(intent["confidence"]), ranking)
