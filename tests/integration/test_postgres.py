"""The same storage behaviour on the real PostgreSQL server (MIP_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from tests.storage_cases import check_processed_updates, check_state_round_trip

pytestmark = pytest.mark.integration
URL = os.environ.get("MIP_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


@pytest.fixture
async def pg_states() -> AsyncIterator[SqlConversationStates]:
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = Database(URL)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OSError as e:
        await admin.dispose()
        pytest.skip(f"no PostgreSQL reachable at {URL}: {e}")
    db = Database(URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        await db.migrate()
        yield SqlConversationStates(db)
    finally:
        await db.dispose()
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def test_conversation_state_round_trip_on_postgresql(
    pg_states: SqlConversationStates,
) -> None:
    await check_state_round_trip(pg_states)


async def test_processed_updates_on_postgresql(pg_states: SqlConversationStates) -> None:
    await check_processed_updates(SqlProcessedUpdates(pg_states.db))
