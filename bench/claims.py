"""Handoff queue: claims per second with 20 key persons racing for the same tickets.

Each key person loops: take the oldest open ticket in the queue and press Claim, as fast as
the database lets them. Every ticket must have exactly one winner. Runs on the real
PostgreSQL (MIP_TEST_POSTGRES_URL, a throwaway schema) and on SQLite for comparison.

    .venv/bin/python -m bench.claims [--tickets 500] [--keypersons 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from bench.common import ROOT, Progress, table, write_section
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import ClaimOutcome, Opening, Reason
from bot.handoff import build_handoff
from bot.storage.db import Database
from bot.storage.tables import TicketRow

POSTGRES = os.environ.get(
    "MIP_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


async def race(db: Database, tickets: int, keypersons: int, label: str) -> list[object]:
    queue = build_handoff(db, Schedule.load(ROOT / "content" / "handoff.yml"), lambda _l, i: i)
    people = []
    for i in range(keypersons):
        token = await queue.key_persons.create_invite(["pl"], f"kp{i}")
        kp = await queue.key_persons.redeem_invite(token, f"bench:kp{i}", "pl")
        assert kp is not None
        people.append(kp)
    for i in range(tickets):
        await queue.tickets.open_ticket(Opening(f"bench:user{i}", "pl", Reason.ASKED, ("pytanie",)))
    codes = [t.code for t in await queue.claims.queue_for(people[0])]
    assert len(codes) == tickets
    wins: Counter[str] = Counter()
    attempts = 0
    progress = Progress(f"claims on {label}", tickets)

    async def key_person(index: int) -> None:
        nonlocal attempts
        kp = people[index]
        # Everyone goes for the oldest ticket still open, so every claim is contested.
        for code in codes:
            attempts += 1
            outcome, _ = await queue.claims.claim(kp, code)
            if outcome is ClaimOutcome.WON:
                wins[code] += 1
                progress(sum(wins.values()))

    started = time.perf_counter()
    await asyncio.gather(*(key_person(i) for i in range(keypersons)))
    elapsed = time.perf_counter() - started
    async with db.session() as session:
        claimed = await session.scalar(
            select(func.count()).select_from(TicketRow).where(TicketRow.status == "claimed")
        )
    doubles = sum(1 for n in wins.values() if n > 1)
    unclaimed = tickets - len(wins)
    assert doubles == 0 and unclaimed == 0 and claimed == tickets, (doubles, unclaimed, claimed)
    return [
        label,
        keypersons,
        tickets,
        attempts,
        f"{elapsed:.2f}",
        f"{tickets / elapsed:.0f}",
        f"{attempts / elapsed:.0f}",
        doubles,
    ]


async def on_postgres(tickets: int, keypersons: int) -> list[object] | None:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = Database(POSTGRES)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OSError as e:
        print(f"no PostgreSQL at {POSTGRES}: {e}")
        await admin.dispose()
        return None
    args: dict[str, Any] = {"server_settings": {"search_path": schema}}
    db = Database(POSTGRES, connect_args=args)
    try:
        await db.migrate()
        return await race(db, tickets, keypersons, "PostgreSQL 15")
    finally:
        await db.dispose()
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def on_sqlite(tickets: int, keypersons: int) -> list[object]:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        try:
            await db.migrate()
            return await race(db, tickets, keypersons, "SQLite (WAL)")
        finally:
            await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--keypersons", type=int, default=20)
    args = parser.parse_args()
    rows = [r for r in [await on_postgres(args.tickets, args.keypersons)] if r is not None]
    rows.append(await on_sqlite(args.tickets, args.keypersons))
    body = table(
        [
            "database",
            "key persons",
            "tickets",
            "claim attempts",
            "seconds",
            "tickets claimed/s",
            "claim attempts/s",
            "double claims",
        ],
        rows,
    )
    body += (
        "\n\nEvery key person presses Claim on every ticket, oldest first, concurrently: each "
        "ticket is contested by all of them, exactly one wins (checked in the database)."
    )
    print(body)
    write_section("Handoff queue: concurrent claims", body)


if __name__ == "__main__":
    asyncio.run(main())
