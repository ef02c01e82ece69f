"""The Telegram side of the whole-bot path, in-process: update in, reply out.

python-telegram-bot's Application exactly as `mip run` builds it (bot.telegram.adapter:
the processed-updates check, the throttle, signed buttons, the rate limiter, the retrying
request), with the network to Telegram replaced by an in-process Bot API (an httpx
MockTransport) that answers like Telegram and counts what it was sent. Keeping the Bot
API in-process measures the bot, not a second server competing for the same two cores.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

import httpx
from telegram import Update

from bot.config import Secret, Settings
from bot.core.conversation import Conversation
from bot.core.throttle import Throttle, ThrottledConversation
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.telegram.adapter import TgApplication, build_application
from bot.telegram.request import RetryingRequest
from bot.telegram.signing import CallbackSigner

BOT_USER = {"id": 777, "is_bot": True, "first_name": "MIP", "username": "MipBenchBot"}


class InProcessBotApi:
    """Answers getMe, sendMessage and the rest as the Bot API does; counts messages per chat."""

    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()
        self._ids = itertools.count(1)

    def handler(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        params = dict(parse_qsl(request.content.decode())) if request.content else {}
        result: Any = True
        if method == "getMe":
            result = BOT_USER
        elif method == "sendMessage":
            chat_id = int(params["chat_id"])
            self.sent[chat_id] += 1
            result = {
                "message_id": next(self._ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return httpx.Response(200, json={"ok": True, "result": result})


class TelegramPath:
    def __init__(self, application: TgApplication, api: InProcessBotApi) -> None:
        self.application = application
        self.api = api
        self._update_ids = itertools.count(1)

    async def message(self, chat_id: int, text: str, language: str) -> int:
        """A private text message from `chat_id`, handled to the end; returns messages sent."""
        update_id = next(self._update_ids)
        before = self.api.sent[chat_id]
        sender = {"id": chat_id, "is_bot": False, "first_name": "U", "language_code": language}
        data = {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                "from": sender,
                "text": text,
            },
        }
        update = Update.de_json(data, self.application.bot)
        await self.application.process_update(update)
        return self.api.sent[chat_id] - before


@asynccontextmanager
async def telegram_path(
    settings: Settings, conversation: Conversation, db: Database
) -> AsyncIterator[TelegramPath]:
    api = InProcessBotApi()
    request = RetryingRequest(
        connection_pool_size=64, httpx_kwargs={"transport": httpx.MockTransport(api.handler)}
    )
    application, _ = build_application(
        dataclasses.replace(settings, telegram_token=Secret("777:bench")),
        ThrottledConversation(conversation, Throttle()),
        CallbackSigner("bench"),
        SqlProcessedUpdates(db),
        request=request,
    )
    async with application:
        yield TelegramPath(application, api)
