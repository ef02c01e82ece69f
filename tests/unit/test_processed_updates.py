"""Processed Telegram updates on SQLite (the same cases run on PostgreSQL in integration)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from tests.storage_cases import check_processed_updates


@pytest.fixture
async def updates(tmp_path: Path) -> AsyncIterator[SqlProcessedUpdates]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}")
    await db.migrate()
    yield SqlProcessedUpdates(db)
    await db.dispose()


async def test_an_update_is_claimed_once_per_bot_and_old_ones_are_pruned(
    updates: SqlProcessedUpdates,
) -> None:
    await check_processed_updates(updates)
