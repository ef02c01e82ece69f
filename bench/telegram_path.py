"""The Telegram side of the whole-bot path, in-process: update in, reply out.

python-telegram-bot's Application exactly as `mip run` builds it (bot.telegram.adapter:
the processed-updates check, the user's turn (an advisory lock on PostgreSQL), the throttle,
signed buttons, the rate limiter, the retrying request), with the network to Telegram replaced by the unit tests' in-process Bot API (an
httpx MockTransport that answers like Telegram). Keeping the Bot API in-process measures
the bot, not a second server competing for the same two cores.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update

from bot.config import Secret, Settings
from bot.core.conversation import Conversation
from bot.core.throttle import Throttle, ThrottledConversation
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.storage.turns import UserTurns
from bot.telegram.adapter import TgApplication, build_application
from bot.telegram.signing import CallbackSigner
from tests.unit.fake_botapi import Call, FakeBotApi


class TelegramPath:
    def __init__(self, application: TgApplication, api: FakeBotApi) -> None:
        self.application = application
        self.api = api
        self._update_ids = itertools.count(1)

    async def message(self, chat_id: int, text: str, language: str) -> list[Call]:
        """A private text message from `chat_id`, handled to the end; returns the Bot API calls
        it made (its replies: a private text message makes no other call)."""
        update_id = next(self._update_ids)
        before = len(self.api.calls)
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
        return self.api.calls[before:]


@asynccontextmanager
async def telegram_path(
    settings: Settings, conversation: Conversation, db: Database
) -> AsyncIterator[TelegramPath]:
    api = FakeBotApi()
    application, _ = build_application(
        dataclasses.replace(settings, telegram_token=Secret("777:bench")),
        ThrottledConversation(conversation, Throttle()),
        CallbackSigner("bench"),
        SqlProcessedUpdates(db),
        request=api.request(),
        turns=UserTurns(db, conversation.states.settled),
    )
    async with application:
        yield TelegramPath(application, api)
