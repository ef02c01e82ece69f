"""The handoff queue on SQLite (the default database); the same checks run on PostgreSQL
in tests/integration/test_postgres.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from tests import handoff_cases as cases


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "mip.db"


@pytest.fixture
async def setup(db_path: Path) -> AsyncIterator[cases.Setup]:
    async def new_db() -> Database:
        db = Database(f"sqlite+aiosqlite:///{db_path}")
        await db.migrate()
        return db

    s = await cases.make_setup(new_db)
    yield s
    await s.db.dispose()


async def test_concurrent_claims_have_exactly_one_winner(setup: cases.Setup) -> None:
    await cases.check_concurrent_claims_have_one_winner(setup)


async def test_messages_are_relayed_both_ways_by_ticket_code(setup: cases.Setup) -> None:
    await cases.check_relay_both_ways(setup)


async def test_release_puts_back_and_done_asks_for_feedback(setup: cases.Setup) -> None:
    await cases.check_release_and_done(setup)


async def test_reminders_widening_and_late_notice(setup: cases.Setup) -> None:
    await cases.check_reminders_widening_and_late_notice(setup)


async def test_failed_delivery_is_retried_then_given_up(setup: cases.Setup) -> None:
    await cases.check_failed_delivery_is_retried_then_given_up(setup)


async def test_outbox_claims_one_message_per_recipient_spaced_and_leased(
    setup: cases.Setup,
) -> None:
    await cases.check_outbox_claims_one_message_per_recipient_spaced_and_leased(setup)


async def test_invites_work_once_and_expire(setup: cases.Setup) -> None:
    await cases.check_invites_work_once_and_expire(setup)


async def test_purge_and_forget(setup: cases.Setup) -> None:
    await cases.check_purge_and_forget(setup)


async def test_stale_tickets_close_with_a_notice_to_both_sides(setup: cases.Setup) -> None:
    await cases.check_stale_tickets_close_with_a_notice_to_both_sides(setup)


async def test_forget_takes_back_what_waits_for_key_persons(setup: cases.Setup) -> None:
    await cases.check_forget_takes_back_what_waits_for_key_persons(setup)


async def test_stale_tickets_are_closed_then_purged(setup: cases.Setup) -> None:
    await cases.check_stale_tickets_are_closed_then_purged(setup)


async def test_concurrent_openings_make_one_ticket(setup: cases.Setup) -> None:
    await cases.check_concurrent_openings_make_one_ticket(setup)


async def test_pending_outbox_and_timers_survive_a_restart(db_path: Path) -> None:
    def path_db() -> Database:
        return Database(f"sqlite+aiosqlite:///{db_path}")

    async def new_db() -> Database:
        db = path_db()
        await db.migrate()
        return db

    await cases.check_timers_survive_a_restart(new_db, path_db)


async def test_forget_leaves_no_failure_notice_or_dead_letter_about_the_user(
    setup: cases.Setup,
) -> None:
    await cases.check_forget_leaves_no_failure_notice_or_dead_letter_about_the_user(setup)
