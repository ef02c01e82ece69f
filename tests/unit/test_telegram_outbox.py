"""The outbox dispatcher against the SQL outbox (SQLite) and a recording Bot API: fair
order, digests, retries, dead letters with the sender told, nothing sent twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from telegram import Bot

from bot.core.clock import ManualClock
from bot.core.events import Button, Reply
from bot.core.outgoing import Failure, Kind
from bot.storage.db import Database
from bot.storage.outbox import SqlOutbox
from bot.storage.outbox_rows import enqueue
from bot.storage.tables import DeadLetterRow, OutboxRow
from bot.telegram.delivery import PER_CHAT_GAP, SEND_WITHIN, BotSender, OutboxDispatcher
from bot.telegram.mapping import OutgoingPart
from bot.telegram.signing import CallbackSigner
from tests.unit.fake_botapi import FakeBotApi, telegram_error


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Line:
    """The outbox on SQLite, a dispatcher on a Bot whose network is the fake Bot API."""

    db: Database
    outbox: SqlOutbox
    api: FakeBotApi
    dispatcher: OutboxDispatcher
    tick: Clock
    clock: ManualClock

    async def add(
        self,
        recipient: str,
        text: str,
        kind: Kind = Kind.RELAY,
        *,
        ticket: str | None = None,
        summary: str | None = None,
        on_failure: Failure | None = None,
    ) -> None:
        reply = Reply(text, buttons=((Button("Menu", "menu"),),), language="nl")
        async with self.db.session() as session, session.begin():
            enqueue(
                session, recipient, reply, self.clock.now(), kind=kind, ticket=ticket,
                summary=summary, on_failure=on_failure,
            )  # fmt: skip

    async def dead(self) -> list[DeadLetterRow]:
        async with self.db.session() as session:
            return list((await session.scalars(select(DeadLetterRow))).all())

    async def rows(self) -> list[OutboxRow]:
        async with self.db.session() as session:
            return list((await session.scalars(select(OutboxRow))).all())

    def wait(self, seconds: float) -> None:
        """Time passes for the dispatcher and for the outbox (which spaces a chat's messages)."""
        self.tick.now += seconds
        self.clock.advance(seconds=seconds)

    def texts(self, chat_id: int | None = None) -> list[str]:
        """What reached the chat (Telegram carried it out)."""
        return [text for chat, text in self.api.delivered if chat_id in (None, chat)]


@pytest.fixture
async def line(tmp_path: Path) -> AsyncIterator[Line]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}")
    await db.migrate()
    api, tick, clock = FakeBotApi(), Clock(), ManualClock()
    outbox = SqlOutbox(db, clock, prefix="", spacing=PER_CHAT_GAP)
    async with Bot("123:abc", request=api.request(backoff=0.0)) as bot:
        dispatcher = OutboxDispatcher(
            outbox, BotSender(bot, CallbackSigner("k")), interval=0.01, clock=tick
        )
        yield Line(db, outbox, api, dispatcher, tick, clock)
    await db.dispose()


async def test_due_messages_are_sent_with_signed_buttons_and_deleted(line: Line) -> None:
    await line.add("tg:11", "Ktoś odpowiedział na Twoje pytanie.")
    await line.add("tg:12", "Nowe pytanie w kolejce.")
    assert await line.dispatcher.drain_once() == 2
    assert sorted(int(c.params["chat_id"]) for c in line.api.sent()) == [11, 12]
    assert CallbackSigner("k").verify(11, line.api.sent(11)[0].callback_data[0]) == "menu"
    assert await line.rows() == []


async def test_one_chat_gets_at_most_one_outbox_message_a_second_in_order(line: Line) -> None:
    for i in range(3):
        await line.add("tg:11", f"part {i}")
    await line.add("tg:12", "other")
    assert await line.dispatcher.drain_once() == 2  # the first of each chat
    assert await line.dispatcher.drain_once() == 0  # tg:11's next waits a second
    line.wait(1.0)
    assert await line.dispatcher.drain_once() == 1
    line.wait(1.0)
    assert await line.dispatcher.drain_once() == 1
    assert line.texts(11) == ["part 0", "part 1", "part 2"]


async def test_a_claim_is_not_sent_from_once_its_lease_may_have_run_out(line: Line) -> None:
    for chat in range(11, 15):
        await line.add(f"tg:{chat}", "hallo")
    sender = line.dispatcher.sender

    class Slow:
        """Telegram's rate limit made each message wait half of SEND_WITHIN."""

        def parts(self, chat_id: int, reply: Reply) -> Sequence[OutgoingPart]:
            return sender.parts(chat_id, reply)

        async def send(self, chat_id: int, part: OutgoingPart) -> None:
            await sender.send(chat_id, part)
            line.tick.now += SEND_WITHIN / 2

    line.dispatcher.sender, line.dispatcher.concurrency = Slow(), 1
    assert await line.dispatcher.drain_once() == 2
    assert sorted(line.api.delivered) == [(11, "hallo"), (12, "hallo")]
    assert len(await line.rows()) == 2  # still claimed: due again when the lease ends
    assert await line.dispatcher.drain_once() == 0
    line.clock.advance(seconds=61)
    assert await line.dispatcher.drain_once() == 2


async def test_relays_go_before_announcements_and_every_recipient_gets_a_turn(line: Line) -> None:
    for i in range(50):  # a burst of new questions for one key person...
        await line.add(
            "tg:1", f"question {i}", Kind.ANNOUNCE, ticket=f"C{i:03}", summary=f"#C{i:03}"
        )
    await line.add("tg:2", "an answer for another user")  # ...does not hold this up
    await line.add("tg:1", "the user of a claimed ticket wrote")  # nor this one
    assert await line.dispatcher.drain_once() == 2
    assert line.texts(2) == ["an answer for another user"]
    assert line.texts(1) == ["the user of a claimed ticket wrote"]  # before 50 announcements
    line.wait(1.0)
    assert await line.dispatcher.drain_once() == 1
    [digest] = line.texts(1)[1:]
    assert "50" in digest.split("\n")[0] and "#C000" in digest and "#C039" in digest
    assert len(line.api.sent(1)[-1].callback_data) == 8  # Claim buttons for the first ones
    assert len(await line.rows()) == 10  # the rest: the next digest
    line.wait(1.0)
    await line.dispatcher.drain_once()
    assert "#C049" in line.texts(1)[-1] and await line.rows() == []


async def test_a_refused_relay_is_a_dead_letter_and_its_sender_is_told(line: Line) -> None:
    line.api.failures["sendMessage"] = [
        telegram_error(403, "Forbidden: bot was blocked by the user")
    ]
    told = Reply("⚠️ could not be delivered", language="pl")
    await line.add("tg:11", "secret text", ticket="K7Q2", on_failure=Failure("tg:12", told))
    await line.add("tg:13", "b")
    await line.dispatcher.drain_once()
    [letter] = await line.dead()
    assert (letter.outcome, letter.ticket_code, letter.sender, letter.sender_told) == (
        "refused", "K7Q2", "tg:12", True,
    )  # fmt: skip
    assert "blocked" in letter.error and "secret text" in letter.payload  # kept
    assert line.texts(13) == ["b"]
    await line.dispatcher.drain_once()  # the notice to the sender is an ordinary message
    assert line.texts(12) == ["⚠️ could not be delivered"]


async def test_what_did_not_arrive_is_retried_and_what_may_have_is_never_resent(
    line: Line,
) -> None:
    line.api.failures["sendMessage"] = [httpx.ConnectError("down")] * 3 + [httpx.ReadTimeout("?")]
    await line.add("tg:11", "a")
    await line.add("tg:12", "b", ticket="K7Q2")
    line.dispatcher.concurrency = 1  # in order: the failures above go to "a" first
    await line.dispatcher.drain_once()
    first, *_ = await line.rows()
    assert first.attempts == 1 and first.not_before > line.clock.now()  # retried later
    [uncertain] = await line.dead()
    assert uncertain.outcome == "uncertain" and not uncertain.sender_told
    line.wait(31)
    await line.dispatcher.drain_once()
    assert line.texts(11) == ["a"] and len(line.api.sent(12)) == 1  # b: once, not again
    assert await line.rows() == []


async def test_a_long_message_resumes_after_the_part_that_failed(line: Line) -> None:
    await line.add("tg:11", "x" * 5000)  # two parts
    calls = 0

    def flaky(request: httpx.Request) -> httpx.Response | None:
        nonlocal calls
        calls += 1
        return telegram_error(502, "Bad Gateway") if calls in (2, 3, 4) else None

    line.api.intercept = flaky
    await line.dispatcher.drain_once()
    [row] = await line.rows()
    assert row.parts_sent == 1
    line.wait(31)
    await line.dispatcher.drain_once()
    texts = line.texts(11)
    assert [len(t) for t in texts] == [4096, 904]  # each part once, in order


async def test_a_recipient_of_another_transport_is_a_dead_letter(line: Line) -> None:
    await line.add("console:local", "a")
    await line.dispatcher.drain_once()
    assert line.api.sent() == [] and [d.outcome for d in await line.dead()] == ["refused"]


async def test_the_background_task_drains_and_stops_cleanly(line: Line) -> None:
    line.dispatcher.start()
    await line.add("tg:11", "later")
    for _ in range(200):
        if line.api.sent():
            break
        await asyncio.sleep(0.01)
    await line.dispatcher.stop()
    assert line.texts(11) == ["later"]
