"""The same storage and queue behaviour on the real PostgreSQL server (MIP_TEST_POSTGRES_URL).

Each test gets its own schema. Without a reachable server the tests are skipped, and the
skip reason names the URL that was tried.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.storage.subscriptions import SqlSubscriptions
from tests import handoff_cases as cases
from tests.storage_cases import (
    check_processed_updates,
    check_state_round_trip,
    check_subscriptions,
)

pytestmark = pytest.mark.integration
URL = os.environ.get("MIP_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


@pytest.fixture
async def schema() -> AsyncIterator[dict[str, Any]]:
    """connect_args that put every connection in a fresh schema, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    admin = Database(URL)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except OSError as e:
        await admin.dispose()
        pytest.skip(f"no PostgreSQL reachable at {URL}: {e}")
    try:
        yield {"server_settings": {"search_path": name}}
    finally:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def setup(schema: dict[str, Any]) -> AsyncIterator[cases.Setup]:
    async def new_db() -> Database:
        db = Database(URL, connect_args=schema)
        await db.migrate()
        return db

    s = await cases.make_setup(new_db)
    yield s
    await s.db.dispose()


async def test_conversation_state_round_trip_on_postgresql(schema: dict[str, Any]) -> None:
    db = Database(URL, connect_args=schema)
    await db.migrate()
    try:
        await check_state_round_trip(SqlConversationStates(db))
    finally:
        await db.dispose()


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


async def test_invites_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_invites_work_once_and_expire(setup)


async def test_purge_and_forget_on_postgresql(setup: cases.Setup) -> None:
    await cases.check_purge_and_forget(setup)


async def test_outbox_and_timers_survive_a_restart_on_postgresql(schema: dict[str, Any]) -> None:
    def path_db() -> Database:
        return Database(URL, connect_args=schema)

    async def new_db() -> Database:
        db = path_db()
        await db.migrate()
        return db

    await cases.check_timers_survive_a_restart(new_db, path_db)


async def test_subscriptions_on_postgresql(schema: dict[str, Any]) -> None:
    db = Database(URL, connect_args=schema)
    await db.migrate()
    try:
        await check_subscriptions(SqlSubscriptions(db))
    finally:
        await db.dispose()


async def test_processed_updates_on_postgresql(schema: dict[str, Any]) -> None:
    db = Database(URL, connect_args=schema)
    await db.migrate()
    try:
        await check_processed_updates(SqlProcessedUpdates(db))
    finally:
        await db.dispose()
