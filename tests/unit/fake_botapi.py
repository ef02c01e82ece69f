"""A Bot API server in-process, as an httpx MockTransport under python-telegram-bot's own
HTTPXRequest: the real PTB stack, with the network replaced and every call recorded."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

from bot.telegram.request import RetryingRequest

BOT_USER = {"id": 666, "is_bot": True, "first_name": "MIP", "username": "MipTestBot"}
Failure = Callable[[httpx.Request], httpx.Response]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)  # when it reached the Bot API

    @property
    def markup(self) -> dict[str, Any]:
        return dict(json.loads(self.params.get("reply_markup") or "{}"))

    @property
    def callback_data(self) -> list[str]:
        rows = self.markup.get("inline_keyboard", [])
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


def telegram_error(code: int, description: str, retry_after: int | None = None) -> httpx.Response:
    """An error answer as the Bot API gives it (400, 403, 429 with retry_after, 5xx)."""
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return httpx.Response(code, json=body)


@dataclass
class FakeBotApi:
    calls: list[Call] = field(default_factory=list)
    # method -> what to do on its next calls, in order (an exception to raise or a response)
    failures: dict[str, list[Exception | httpx.Response]] = field(default_factory=dict)
    # Asked first on every call: a response or an exception to give instead, or None.
    intercept: Callable[[httpx.Request], httpx.Response | Exception | None] | None = None
    # Messages Telegram carried out: answered 200, or sent and then no answer (a read
    # timeout after the server got them), as (chat_id, text).
    delivered: list[tuple[int, str]] = field(default_factory=list)
    latency: float = 0.0  # seconds each call takes, like Telegram's round trip
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def sent(self, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == "sendMessage"
            and (chat_id is None or int(c.params["chat_id"]) == chat_id)
        ]

    def handler(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        params = dict(parse_qsl(request.content.decode())) if request.content else {}
        call = Call(method, params)
        self.calls.append(call)
        outcome: Exception | httpx.Response | None = None
        if self.intercept is not None:
            outcome = self.intercept(request)
        if outcome is None and (planned := self.failures.get(method)):
            outcome = planned.pop(0)
        if isinstance(outcome, httpx.ReadTimeout):  # the server got it; the answer is lost
            self._carried_out(call)
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is not None:
            return outcome
        self._carried_out(call)
        return httpx.Response(200, json={"ok": True, "result": self.result(method, params)})

    def _carried_out(self, call: Call) -> None:
        if call.method == "sendMessage":
            self.delivered.append((int(call.params["chat_id"]), call.params.get("text", "")))

    def result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            return {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        if self.latency:
            await asyncio.sleep(self.latency)
        return self.handler(request)

    def request(self, **kwargs: Any) -> RetryingRequest:
        return RetryingRequest(
            httpx_kwargs={"transport": httpx.MockTransport(self.handle_async)}, **kwargs
        )
