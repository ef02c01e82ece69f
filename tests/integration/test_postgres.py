"""The same storage and queue behaviour on the real PostgreSQL server (fixtures in conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.storage.subscriptions import SqlSubscriptions
from tests import handoff_cases as cases
from tests.integration.conftest import POSTGRES_URL
from tests.storage_cases import (
    check_processed_updates,
    check_state_round_trip,
    check_states_written_behind,
    check_subscriptions,
)

pytestmark = pytest.mark.integration
URL = POSTGRES_URL


@pytest.fixture
async def setup(schema: dict[str, Any]) -> AsyncIterator[cases.Setup]:
    async def new_db() -> Database:
        db = Database(URL, connect_args=schema)
        await db.migrate()
        return db

    s = await cases.make_setup(new_db)
    yield s
    await s.db.dispose()


async def test_conversation_state_round_trip_on_postgresql(pg_db: Database) -> None:
    await check_state_round_trip(SqlConversationStates(pg_db))


async def test_conversation_states_are_written_behind_in_order_on_postgresql(
    pg_db: Database,
) -> None:
    await check_states_written_behind(SqlConversationStates(pg_db))


async def test_concurrent_claims_have_exactly_one_winner_on_postgresql(
    setup: cases.Setup,
) -> None:
    await cases.check_concurrent_claims_have_one_winner(setup, rounds=10)


async def test_concurrent_openings_make_one_ticket_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_concurrent_openings_make_one_ticket(setup)


async def test_relay_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_relay_both_ways(setup)


async def test_release_and_done_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_release_and_done(setup)


async def test_timers_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_reminders_widening_and_late_notice(setup)


async def test_stale_tickets_close_in_the_timers_sweep_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_stale_tickets_close_with_a_notice_to_both_sides(setup)


async def test_outbox_claims_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_outbox_claims_one_message_per_recipient_spaced_and_leased(setup)


async def test_invites_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_invites_work_once_and_expire(setup)


async def test_purge_and_forget_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_purge_and_forget(setup)


async def test_forget_takes_back_waiting_messages_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_forget_takes_back_what_waits_for_key_persons(setup)


async def test_stale_tickets_closed_then_purged_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_stale_tickets_are_closed_then_purged(setup)


async def test_outbox_and_timers_survive_a_restart_on_postgresql(schema: dict[str, Any]) -> None:
    def path_db() -> Database:
        return Database(URL, connect_args=schema)

    async def new_db() -> Database:
        db = path_db()
        await db.migrate()
        return db

    await cases.check_timers_survive_a_restart(new_db, path_db)


async def test_subscriptions_on_postgresql(pg_db: Database) -> None:
    await check_subscriptions(SqlSubscriptions(pg_db))


async def test_processed_updates_on_postgresql(pg_db: Database) -> None:
    await check_processed_updates(SqlProcessedUpdates(pg_db))


async def test_relaxed_transactions_do_not_wait_for_fsync_and_others_do(pg_db: Database) -> None:
    async with pg_db.begin_relaxed() as connection:
        assert await connection.scalar(text("SHOW synchronous_commit")) == "off"
    async with pg_db.engine.begin() as connection:
        assert await connection.scalar(text("SHOW synchronous_commit")) == "on"


async def test_forget_and_dead_letters_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_forget_leaves_no_failure_notice_or_dead_letter_about_the_user(setup)
