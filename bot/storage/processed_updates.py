"""Which Telegram updates were already handled (idempotent update handling)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from bot.storage.db import Database
from bot.storage.tables import ProcessedUpdateRow

# Telegram keeps an unconfirmed update for at most 24 hours; a week is ample.
KEEP = dt.timedelta(days=7)


class SqlProcessedUpdates:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._claim = db.insert(ProcessedUpdateRow).on_conflict_do_nothing()

    async def claim(self, bot_id: int, update_id: int) -> bool:
        """True the first time an update is seen; False when it was handled before.

        Claimed before handling: an update that crashes the handler is not retried, which
        beats answering twice (a crash is logged, and the user can simply ask again).
        """
        async with self.db.begin_relaxed() as connection:
            result = await connection.execute(
                self._claim,
                {"bot_id": bot_id, "update_id": update_id, "received_at": dt.datetime.now(dt.UTC)},
            )
        return bool(result.rowcount)

    async def prune(self, now: dt.datetime | None = None) -> int:
        """Forget updates older than a week; returns how many rows went."""
        cutoff = (now or dt.datetime.now(dt.UTC)) - KEEP
        async with self.db.session() as session, session.begin():
            result = await session.execute(
                delete(ProcessedUpdateRow).where(ProcessedUpdateRow.received_at < cutoff)
            )
        return int(getattr(result, "rowcount", 0) or 0)
