"""One update of a user at a time, across all bot processes (replicas) on one PostgreSQL.

Within a process the Telegram adapter already handles a chat's updates one after the other.
Replicas behind one webhook address share the database, and a conversation's state is read,
changed and written per update: two replicas handling the same user at once would overwrite
each other, and a reply could overtake the one before it. A turn is a transaction holding a
PostgreSQL advisory lock on the user's key; it ends after the replies are sent and the
conversation's state (written behind the reply) is stored, so the next update of that user,
on any replica, starts from it. SQLite serves one process: there a turn is free.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import func, select

from bot.storage.db import USER_TURNS, Database

# Turns held at once by one process; each holds a pooled connection for its duration, and
# the work inside a turn needs others (see bot.storage.db.Database's pool).
MAX_TURNS = 20

Settle = Callable[[str], Awaitable[None]]


class UserTurns:
    def __init__(self, db: Database, settle: Settle) -> None:
        """`settle(user_key)` waits until what was written behind for the user is stored."""
        self.db = db
        self.settle = settle
        self._slots = asyncio.Semaphore(MAX_TURNS)

    @asynccontextmanager
    async def of(self, user_key: str) -> AsyncIterator[None]:
        if not self.db.is_postgresql:
            yield
            return
        async with self._slots, self.db.engine.connect() as connection, connection.begin():
            # Waits while another replica has this user's turn; released at commit (or when
            # the connection drops, if this process dies).
            await connection.execute(
                select(func.pg_advisory_xact_lock(USER_TURNS, func.hashtext(user_key)))
            )
            try:
                yield
            finally:
                await self.settle(user_key)
