"""kill -9 in the middle of queue work loses nothing that was confirmed.

A child process opens tickets and relays messages as fast as it can and prints each ticket
code once its transaction has committed; the test kills it with SIGKILL mid-stream, then a
new process finds every confirmed ticket, its messages and its pending announcements.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from bot.storage.db import Database
from tests.handoff_cases import SCHEDULE, titles

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from bot.core.handoff.hours import Schedule
    from bot.core.handoff.model import Opening, Reason
    from bot.handoff import Handoff, build_handoff
    from bot.storage.db import Database

    async def main(url, schedule):
        db = Database(url)
        await db.migrate()
        queue = build_handoff(db, Schedule.load(Path(schedule)), lambda l, i: i)
        token = await queue.key_persons.create_invite(["pl"], "Ala")
        await queue.key_persons.redeem_invite(token, "kp:ala", "pl")
        i = 0
        while True:
            ticket, _ = await queue.tickets.open_ticket(
                Opening(f"tg:{i}", "pl", Reason.ASKED, questions=(f"pytanie {i}",))
            )
            await queue.tickets.add_user_message(ticket, f"dopisek {i}")
            print(ticket.code, flush=True)
            i += 1

    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


async def test_kill_9_mid_stream_loses_no_confirmed_ticket(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}"
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        url,
        str(SCHEDULE),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    confirmed: list[str] = []
    while len(confirmed) < 40:
        line = await asyncio.wait_for(child.stdout.readline(), timeout=60)
        assert line, "the child stopped before it was killed"
        confirmed.append(line.decode().strip())
    os.kill(child.pid, signal.SIGKILL)
    await child.wait()

    from sqlalchemy import select

    from bot.core.clock import SystemClock
    from bot.core.handoff.hours import Schedule
    from bot.handoff import build_handoff
    from bot.storage.tables import OutboxRow

    db = Database(url)
    try:
        await db.migrate()
        queue = build_handoff(db, Schedule.load(SCHEDULE), titles, clock=SystemClock())
        for i, code in enumerate(confirmed):
            ticket = await queue.tickets.active_ticket(f"tg:{i}")
            assert ticket is not None and ticket.code == code
            assert [m.text for m in ticket.messages] == [f"pytanie {i}", f"dopisek {i}"]
        async with db.session() as session:
            rows = (await session.scalars(select(OutboxRow))).all()
        announced = {row.ticket_code for row in rows if row.kind == "announce"}
        assert set(confirmed) <= announced  # still to be sent, none lost
    finally:
        await db.dispose()
