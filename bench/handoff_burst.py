"""Fair delivery: how long a relay waits while 300 new tickets are announced.

The production outbox path: the handoff queue on SQLite (or MIP_BENCH_DATABASE_URL), the SQL
outbox, the dispatcher and python-telegram-bot's Bot with the rate limiter of `mip run`
(about 30 messages a second overall), against the in-process Bot API of the unit tests with
Telegram's round trip simulated (--latency). Five Polish and two Dutch key persons; one
ticket is claimed and in conversation. Then 300 users open tickets (ten at a time), each
announced to every Polish key person, and during the burst the user and the key person of
the claimed ticket write to each other (--relays times, both ways, one of them to a key
person who is also being announced to). Measured: from the relay's commit to Telegram
accepting it; and how long until every announcement went out, in how many messages.

    .venv/bin/python -m bench.handoff_burst [--tickets 300] [--relays 10] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, database_name, table, write_section
from bot.config import Secret, Settings
from bot.core.clock import SystemClock
from bot.core.conversation import Once
from bot.core.events import Reply, UserEvent
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import KeyPerson, Opening, Reason
from bot.handoff import Handoff, build_handoff
from bot.storage.db import Database
from bot.storage.outbox import SqlOutbox
from bot.storage.tables import Base
from bot.telegram.adapter import build_application
from bot.telegram.delivery import BotSender, OutboxDispatcher
from bot.telegram.signing import CallbackSigner
from tests.unit.fake_botapi import FakeBotApi

USER, ANNA = 1, 100  # the conversation measured: a user and the key person holding it


class NoUpdates:
    """The bot here only sends the outbox; no update comes in."""

    async def handle(self, event: UserEvent, *, once: Once | None = None) -> list[Reply]:
        raise AssertionError("no updates in this benchmark")


async def key_person(queue: Handoff, chat: int, languages: list[str]) -> KeyPerson:
    token = await queue.key_persons.create_invite(languages, f"kp{chat}")
    kp = await queue.key_persons.redeem_invite(token, f"tg:{chat}", languages[0])
    assert kp is not None
    return kp


async def arrived(api: FakeBotApi, chat: int, text: str, since: float) -> float:
    """Seconds from `since` until Telegram accepted `text` for `chat`."""
    while not any(c == chat and text in t for c, t in api.delivered):  # noqa: ASYNC110
        await asyncio.sleep(0.005)  # polling is the measurement: the fake API has no event
    return time.perf_counter() - since


async def burst(db: Database, tickets: int, relays: int, latency: float) -> dict[str, float]:
    queue = build_handoff(
        db, Schedule.load(ROOT / "content" / "handoff.yml"), lambda _l, i: i, clock=SystemClock()
    )
    polish = [await key_person(queue, 100 + i, ["pl"]) for i in range(5)]
    for i in range(2):
        await key_person(queue, 200 + i, ["nl"])
    mine, _ = await queue.tickets.open_ticket(Opening(f"tg:{USER}", "pl", Reason.ASKED, ("?",)))
    await queue.claims.claim(polish[0], mine.code)
    outbox = SqlOutbox(db, prefix="tg:")
    api = FakeBotApi(latency=latency)
    settings = dataclasses.replace(Settings(), telegram_token=Secret("777:bench"))
    application, _ = build_application(
        settings, NoUpdates(), CallbackSigner("bench"), request=api.request()
    )
    async with application:
        dispatcher = OutboxDispatcher(outbox, BotSender(application.bot, CallbackSigner("b")))
        while await outbox.pending():  # the claim's own messages first
            await dispatcher.drain_once()
        api.delivered.clear()
        dispatcher.start()
        started = time.perf_counter()
        waits: list[float] = []

        async def open_all() -> None:
            limit = asyncio.Semaphore(10)

            async def one(i: int) -> None:
                async with limit:
                    opening = Opening(f"tg:{10_000 + i}", "pl", Reason.ASKED, (f"pytanie {i}",))
                    await queue.tickets.open_ticket(opening)

            await asyncio.gather(*(one(i) for i in range(tickets)))

        async def converse() -> None:
            await asyncio.sleep(0.5)
            for i in range(relays):
                ticket = await queue.tickets.active_ticket(f"tg:{USER}", with_messages=False)
                assert ticket is not None
                text = f"relay {i}"
                if i % 2:  # the key person answers: to the user
                    await queue.claims.answer(polish[0], text)
                    waits.append(await arrived(api, USER, text, time.perf_counter()))
                else:  # the user writes: to a key person who is also being announced to
                    await queue.tickets.add_user_message(ticket, text)
                    waits.append(await arrived(api, ANNA, text, time.perf_counter()))
                await asyncio.sleep(0.5)

        opening_task = asyncio.create_task(open_all())
        await converse()
        await opening_task
        opened = time.perf_counter() - started
        while await outbox.pending():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        drained = time.perf_counter() - started
        await dispatcher.stop()
    announcements = [t for c, t in api.delivered if 100 <= c < 200 and not t.startswith("💬")]
    return {
        "relay_max": max(waits),
        "relay_median": statistics.median(waits),
        "relays": len(waits),
        "opened": opened,
        "drained": drained,
        "messages_to_key_persons": len(announcements),
        "per_key_person": len(announcements) / len(polish),
        "bot_api_calls": len(api.calls),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--relays", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per Bot API call")
    args = parser.parse_args()
    own = os.environ.get("MIP_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        db = Database(own or f"sqlite+aiosqlite:///{Path(folder) / 'burst.db'}")
        if own:
            async with db.engine.begin() as connection:
                await connection.run_sync(Base.metadata.drop_all)
                await connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        await db.migrate()
        try:
            r = await burst(db, args.tickets, args.relays, args.latency)
        finally:
            await db.dispose()
    body = table(
        ["what", "figure"],
        [
            [
                f"relay latency during the burst, max of {r['relays']:.0f}",
                f"{r['relay_max']:.2f} s",
            ],
            ["relay latency, median", f"{r['relay_median']:.2f} s"],
            [f"{args.tickets} tickets opened (10 at a time)", f"{r['opened']:.1f} s"],
            ["every announcement delivered", f"{r['drained']:.1f} s after the first ticket"],
            [
                "messages to the 5 Polish key persons",
                f"{r['messages_to_key_persons']:.0f} ({r['per_key_person']:.0f} each: digests)",
            ],
            ["Bot API calls in all", f"{r['bot_api_calls']:.0f}"],
        ],
    )
    verdict = "meets" if r["relay_max"] <= 5 else "misses"
    body += (
        f"\n\n{database_name()}, the production dispatcher and rate limiter, {args.latency * 1000:.0f} ms "
        f"per Bot API call. The slowest relay took {r['relay_max']:.2f} s: this {verdict} the "
        "target of 5 s (before fair delivery, issue 15 measured 32 s after 60 tickets and "
        "299 s after 300: the outbox sent the 30 oldest rows across all recipients at one a "
        "second per chat)."
    )
    print(body)
    write_section("Handoff: a relay during a burst of 300 new tickets", body)


if __name__ == "__main__":
    asyncio.run(main())
