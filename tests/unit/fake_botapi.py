"""A Bot API server in-process, as an httpx MockTransport under python-telegram-bot's own
HTTPXRequest: the real PTB stack, with the network replaced and every call recorded."""

from __future__ import annotations

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


@dataclass
class FakeBotApi:
    calls: list[Call] = field(default_factory=list)
    # method -> what to do on its next calls, in order (an exception to raise or a response)
    failures: dict[str, list[Exception | httpx.Response]] = field(default_factory=dict)
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
        self.calls.append(Call(method, params))
        if planned := self.failures.get(method):
            outcome = planned.pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        return httpx.Response(200, json={"ok": True, "result": self.result(method, params)})

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

    def request(self, **kwargs: Any) -> RetryingRequest:
        return RetryingRequest(
            httpx_kwargs={"transport": httpx.MockTransport(self.handler)}, **kwargs
        )
