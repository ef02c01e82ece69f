"""The real PostgreSQL server (MIP_TEST_POSTGRES_URL): a fresh schema per test.

Without a reachable server the tests that need it are skipped, and the skip reason names the
URL that was tried.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from bot.storage.db import Database

POSTGRES_URL = os.environ.get(
    "MIP_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
async def schema() -> AsyncIterator[dict[str, Any]]:
    """connect_args that put every connection in a fresh schema, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    admin = Database(POSTGRES_URL)
    try:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except OSError as e:
        await admin.dispose()
        pytest.skip(f"no PostgreSQL reachable at {POSTGRES_URL}: {e}")
    try:
        yield {"server_settings": {"search_path": name}}
    finally:
        async with admin.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        await admin.dispose()


@pytest.fixture
async def pg_db(schema: dict[str, Any]) -> AsyncIterator[Database]:
    """A migrated database in that schema."""
    db = Database(POSTGRES_URL, connect_args=schema)
    await db.migrate()
    yield db
    await db.dispose()
