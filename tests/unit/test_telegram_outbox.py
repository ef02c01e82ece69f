"""The outbox dispatcher against a list-backed OutboxSource and a recording Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from telegram import Bot

from bot.core.events import Button, Reply
from bot.core.outgoing import OutboxSource, OutgoingMessage
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.delivery import SEND_WITHIN, OutboxDispatcher
from bot.telegram.signing import CallbackSigner
from tests.unit.fake_botapi import FakeBotApi


@dataclass
class Row:
    message: OutgoingMessage
    sent: bool = False
    error: str | None = None
    retry_at: dt.datetime | None = None
    given_up: bool = False
    claimed: bool = False


@dataclass
class ListOutbox:
    """OutboxSource over a list, as the handoff's outbox table will behave."""

    rows: list[Row] = field(default_factory=list)

    def add(self, recipient: str, text: str) -> None:
        reply = Reply(text, buttons=((Button("Menu", "menu"),),))
        self.rows.append(Row(OutgoingMessage(len(self.rows) + 1, recipient, reply)))

    async def due(self, limit: int = 50) -> list[OutgoingMessage]:
        now = dt.datetime.now(dt.UTC)
        ready = [
            r.message
            for r in self.rows
            if not r.sent and not r.given_up and (r.retry_at is None or r.retry_at <= now)
        ]
        return ready[:limit]

    async def claim(self, limit: int = 50) -> list[OutgoingMessage]:
        """Each recipient's oldest due message, as bot.storage.outbox claims them."""
        ready = {m.id for m in await self.due(len(self.rows))}
        open_rows = [r for r in self.rows if not r.sent and not r.given_up]
        oldest = {}
        for r in open_rows:
            oldest.setdefault(r.message.recipient, r)
        claimed = [r for r in oldest.values() if r.message.id in ready and not r.claimed][:limit]
        for r in claimed:
            r.claimed = True
        return [r.message for r in claimed]

    def row(self, message_id: int) -> Row:
        return self.rows[message_id - 1]

    async def mark_sent(self, message_id: int) -> None:
        self.row(message_id).sent = True

    async def mark_failed(self, message_id: int, error: str, retry_at: dt.datetime | None) -> None:
        row = self.row(message_id)
        row.error, row.retry_at, row.given_up = error, retry_at, retry_at is None
        row.claimed = False


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def bot_and_api() -> AsyncIterator[tuple[Bot, FakeBotApi]]:
    api = FakeBotApi()
    async with Bot("123:abc", request=api.request(backoff=0.0)) as bot:
        yield bot, api


def dispatcher_for(outbox: OutboxSource, bot: Bot, clock: Clock | None = None) -> OutboxDispatcher:
    adapter = TelegramAdapter(handler=None, signer=CallbackSigner("k"))  # type: ignore[arg-type]

    async def send(chat_id: int, reply: Reply) -> None:
        await adapter.send(bot, chat_id, [reply])

    return OutboxDispatcher(outbox, send, interval=0.01, clock=clock or Clock())


async def test_due_messages_are_sent_with_signed_buttons_and_marked_sent(
    bot_and_api: tuple[Bot, FakeBotApi],
) -> None:
    bot, api = bot_and_api
    outbox = ListOutbox()
    outbox.add("tg:11", "Ktoś odpowiedział na Twoje pytanie.")
    outbox.add("tg:12", "Nowe pytanie w kolejce.")
    assert await dispatcher_for(outbox, bot).drain_once() == 2
    assert [int(c.params["chat_id"]) for c in api.sent()] == [11, 12]
    assert CallbackSigner("k").verify(11, api.sent(11)[0].callback_data[0]) == "menu"
    assert all(r.sent for r in outbox.rows)


async def test_one_chat_gets_its_messages_one_claim_at_a_time_in_order(
    bot_and_api: tuple[Bot, FakeBotApi],
) -> None:
    bot, api = bot_and_api
    outbox = ListOutbox()
    for i in range(3):
        outbox.add("tg:11", f"part {i}")
    outbox.add("tg:12", "other")
    dispatcher = dispatcher_for(outbox, bot)
    assert await dispatcher.drain_once() == 2  # the oldest of each chat
    assert await dispatcher.drain_once() == 1
    assert await dispatcher.drain_once() == 1
    assert [c.params["text"] for c in api.sent(11)] == ["part 0", "part 1", "part 2"]


async def test_a_claim_is_not_sent_from_once_its_lease_may_have_run_out(
    bot_and_api: tuple[Bot, FakeBotApi],
) -> None:
    bot, _ = bot_and_api
    outbox, clock = ListOutbox(), Clock()
    for chat in range(11, 15):
        outbox.add(f"tg:{chat}", "hallo")
    adapter = TelegramAdapter(handler=None, signer=CallbackSigner("k"))  # type: ignore[arg-type]

    async def slow_send(chat_id: int, reply: Reply) -> None:
        await adapter.send(bot, chat_id, [reply])
        clock.now += SEND_WITHIN / 2  # e.g. Telegram's rate limit made it wait

    dispatcher = OutboxDispatcher(outbox, slow_send, interval=0.01, clock=clock)
    assert await dispatcher.drain_once() == 2
    assert [r.sent for r in outbox.rows] == [True, True, False, False]


async def test_a_user_who_blocked_the_bot_is_given_up_and_others_still_get_theirs(
    bot_and_api: tuple[Bot, FakeBotApi],
) -> None:
    bot, api = bot_and_api
    blocked = httpx.Response(
        403,
        json={
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot was blocked by the user",
        },
    )
    api.failures["sendMessage"] = [blocked]
    outbox = ListOutbox()
    outbox.add("tg:11", "a")
    outbox.add("tg:12", "b")
    await dispatcher_for(outbox, bot).drain_once()
    assert outbox.rows[0].given_up and "blocked" in (outbox.rows[0].error or "")
    assert outbox.rows[1].sent


async def test_a_network_failure_is_retried_later_and_a_timeout_is_never_resent(
    bot_and_api: tuple[Bot, FakeBotApi],
) -> None:
    bot, api = bot_and_api
    api.failures["sendMessage"] = [httpx.ConnectError("down")] * 3 + [httpx.ReadTimeout("?")]
    outbox = ListOutbox()
    outbox.add("tg:11", "a")
    outbox.add("tg:12", "b")
    await dispatcher_for(outbox, bot).drain_once()
    first, second = outbox.rows
    assert not first.given_up and first.retry_at is not None
    assert first.retry_at > dt.datetime.now(dt.UTC)
    assert second.given_up and "not resent" in (second.error or "")


async def test_a_recipient_of_another_transport_is_not_sent_to_telegram(
    bot_and_api: tuple[Bot, FakeBotApi],
) -> None:
    bot, api = bot_and_api
    outbox = ListOutbox()
    outbox.add("console:local", "a")
    await dispatcher_for(outbox, bot).drain_once()
    assert api.sent() == [] and outbox.rows[0].given_up


async def test_the_background_task_drains_and_stops_cleanly(
    bot_and_api: tuple[Bot, FakeBotApi],
) -> None:
    bot, api = bot_and_api
    outbox = ListOutbox()
    dispatcher = dispatcher_for(outbox, bot)
    dispatcher.start()
    outbox.add("tg:11", "later")
    for _ in range(200):
        if api.sent():
            break
        await asyncio.sleep(0.01)
    await dispatcher.stop()
    assert outbox.rows[0].sent
