"""What replicas share on one PostgreSQL, each replica a Database of its own (its own pool, as
another process would have): the outbox, the queue's timers and stale-ticket sweep, per-user
turns, migrations. The whole bot in two processes: tests/e2e/test_replicas.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.core.clock import ManualClock
from bot.core.events import Reply
from bot.core.handoff.hours import Schedule
from bot.core.state import ConversationState
from bot.handoff import build_handoff
from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.outbox import OutboxAnnouncer, SqlOutbox
from bot.storage.turns import UserTurns
from tests.handoff_cases import MONDAY_MORNING, SCHEDULE, opening, titles
from tests.integration.conftest import POSTGRES_URL

pytestmark = pytest.mark.integration


@pytest.fixture
async def replicas(schema: dict[str, Any]) -> AsyncIterator[tuple[Database, Database]]:
    a, b = Database(POSTGRES_URL, connect_args=schema), Database(POSTGRES_URL, connect_args=schema)
    # Both at once, as replicas starting together: one migrates, the other finds it done.
    await asyncio.gather(a.migrate(), b.migrate())
    yield a, b
    await a.dispose()
    await b.dispose()


async def test_two_deliverers_send_every_message_once_and_each_recipients_in_order(
    replicas: tuple[Database, Database],
) -> None:
    a, b = replicas
    announcer = OutboxAnnouncer(a)
    for i in range(40):
        for user in range(10):
            await announcer.enqueue(f"tg:{user}", Reply(f"{user}/{i}"))
    delivered: list[tuple[str, str, str]] = []

    async def deliverer(name: str, db: Database) -> None:
        outbox = SqlOutbox(db, prefix="tg:")
        while await outbox.pending():
            for message in await outbox.claim(limit=4):
                delivered.append((name, message.recipient, message.reply.text))
                await asyncio.sleep(0)  # the other replica runs meanwhile
                await outbox.mark_sent(message)

    await asyncio.gather(deliverer("a", a), deliverer("b", b))
    texts = [text for _, _, text in delivered]
    assert sorted(texts) == sorted(f"{u}/{i}" for u in range(10) for i in range(40))  # once each
    for user in range(10):
        mine = [t for _, r, t in delivered if r == f"tg:{user}"]
        assert mine == [f"{user}/{i}" for i in range(40)]
    assert {name for name, _, _ in delivered} == {"a", "b"}  # both did part of the work


async def test_two_replicas_sweeping_at_once_send_each_reminder_once(
    replicas: tuple[Database, Database],
) -> None:
    a, b = replicas
    clock = ManualClock(MONDAY_MORNING)
    queues = [build_handoff(db, Schedule.load(SCHEDULE), titles, clock=clock) for db in (a, b)]
    token = await queues[0].key_persons.create_invite(["pl"], "Ala")
    assert await queues[0].key_persons.redeem_invite(token, "kp:pl", "pl")
    for user in range(30):
        await queues[0].tickets.open_ticket(opening(f"tg:{user}"))
    outbox = SqlOutbox(a, clock)
    for message in await outbox.due(limit=1000):  # the announcements (one digest)
        await outbox.mark_sent(message)
    clock.advance(minutes=31)
    for _ in range(3):
        results = await asyncio.gather(*(q.timers.sweep() for q in queues))
        assert sum(r.reminded for r in results) in (0, 30)
    assert await outbox.pending() == 30  # one reminder per ticket, whoever swept


async def test_two_replicas_closing_stale_tickets_at_once_close_and_tell_each_once(
    replicas: tuple[Database, Database],
) -> None:
    a, b = replicas
    clock = ManualClock(MONDAY_MORNING)
    queues = [build_handoff(db, Schedule.load(SCHEDULE), titles, clock=clock) for db in (a, b)]
    codes = [(await queues[0].tickets.open_ticket(opening(f"tg:{u}")))[0].code for u in range(30)]
    outbox = SqlOutbox(a, clock)
    for message in await outbox.due(limit=1000):  # no key person: the users' confirmations
        await outbox.mark_sent(message)
    clock.advance(days=15)
    closed: list[str] = []
    for _ in range(3):
        for result in await asyncio.gather(*(q.stale.close() for q in queues)):
            closed += result
    assert sorted(closed) == sorted(codes)  # each once, whoever swept
    notices = await outbox.due(limit=1000)
    assert sorted(m.recipient for m in notices) == sorted(f"tg:{u}" for u in range(30))
    assert await outbox.pending() == 30  # and one notice each


async def test_a_job_runs_in_one_replica_at_a_time(replicas: tuple[Database, Database]) -> None:
    a, b = replicas
    async with a.engine.begin() as first:
        assert await a.only_one(first, "retention purge")
        async with b.engine.begin() as second:
            assert not await b.only_one(second, "retention purge")
            assert await b.only_one(second, "queue timers")  # another job is free
    async with b.engine.begin() as later:
        assert await b.only_one(later, "retention purge")  # released at commit


async def test_a_users_turn_waits_for_the_other_replica_and_its_state(
    replicas: tuple[Database, Database],
) -> None:
    a, b = replicas
    states = SqlConversationStates(a), SqlConversationStates(b)
    turns = UserTurns(a, states[0].settled), UserTurns(b, states[1].settled)
    seen: list[str] = []
    inside = asyncio.Event()

    async def first() -> None:
        async with turns[0].of("tg:1"):
            inside.set()
            await asyncio.sleep(0.3)
            # Written behind: the turn ends only once it is stored.
            await states[0].save(ConversationState("tg:1", "ro", last_intent="get_bsn"))
            seen.append("a done")

    async def second() -> None:
        await inside.wait()
        async with turns[1].of("tg:2"):
            seen.append("other user at once")
        async with turns[1].of("tg:1"):
            seen.append("b in")
            state = await states[1].load("tg:1")
            assert (state.language, state.last_intent) == ("ro", "get_bsn")

    await asyncio.gather(first(), second())
    assert seen == ["other user at once", "a done", "b in"]
