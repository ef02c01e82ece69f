"""Engine and session factory; migrations applied at start-up (and by `mip db upgrade`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS = Path(__file__).parent / "migrations"

# PostgreSQL advisory locks are named by two 32-bit keys: one of these classes, and the hash
# of a name (a user key, a job). Distinct classes keep the bot's locks apart from each other
# and from other applications on the same server.
USER_TURNS = 0x4D495001  # "MIP" 1: one update of a user at a time, across replicas
JOBS = 0x4D495002  # "MIP" 2: a periodic job or the migrations, one replica at a time


class Database:
    """One engine per process; created explicitly, never at import time."""

    def __init__(self, url: str, *, connect_args: dict[str, Any] | None = None) -> None:
        self.url = make_url(url)
        # Each update in hand holds one connection for its user's turn and uses others
        # meanwhile; bot.storage.turns.MAX_TURNS at once leaves most of the pool to them.
        options: dict[str, Any] = {
            "pool_pre_ping": True,
            "connect_args": connect_args or {},
            "pool_size": 10,
            "max_overflow": 30,
        }
        if self.url.get_backend_name() == "sqlite":
            database = self.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            # SQLite lets one writer in at a time anyway. One connection per process queues
            # the bot's transactions in asyncio (cheap) instead of in SQLite's busy handler,
            # which sleeps and retries; other processes (mip commands) wait up to 30 s.
            options = {
                "connect_args": {"timeout": 30, **(connect_args or {})},
                "pool_size": 1,
                "max_overflow": 0,
                "pool_timeout": 60,
            }
        # Errors and SQL logs show statements without their parameters: those are users' text
        # and Telegram ids (bot/logs.py keeps the statements out of the logs as well).
        self.engine: AsyncEngine = create_async_engine(self.url, hide_parameters=True, **options)
        if self.url.get_backend_name() == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgresql(self) -> bool:
        """Several processes (replicas) may share it; SQLite serves one process."""
        return self.url.get_backend_name() == "postgresql"

    def session(self) -> AsyncSession:
        return self.sessions()

    async def only_one(self, connection: AsyncConnection | AsyncSession, job: str) -> bool:
        """Inside a transaction: whether this process may run `job` now. On PostgreSQL a
        transaction-scoped advisory lock that another replica already holds says no (and is
        released at commit); SQLite has one process, which always may."""
        if not self.is_postgresql:
            return True
        taken = await connection.scalar(
            select(func.pg_try_advisory_xact_lock(JOBS, func.hashtext(job)))
        )
        return bool(taken)

    @asynccontextmanager
    async def begin_relaxed(self) -> AsyncIterator[AsyncConnection]:
        """A transaction whose commit does not wait for the disk, for what a power cut of the
        database server may cost (a handled update id, a conversation's last state). On
        PostgreSQL every commit otherwise waits for an fsync, which on a busy disk can take
        hundreds of milliseconds; SQLite in WAL with synchronous=NORMAL already works so.
        Tickets, messages to key persons and the outbox never use it."""
        async with self.engine.begin() as connection:
            if self.is_postgresql:
                await connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
            yield connection

    async def scrub(self) -> bool:
        """After erasing someone: on SQLite, copy the write-ahead log into the database file and
        empty it, so the erased text is gone from the files (deleted content is overwritten
        with zeros: `secure_delete`). False when another process held the log open and part
        of it stays until the next checkpoint. PostgreSQL reuses the space of deleted rows at
        its next (auto)vacuum; nothing to do here."""
        if self.url.get_backend_name() != "sqlite":
            return True
        async with self.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            row = (await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        return not row[0]  # (busy, log frames, frames checkpointed)

    def insert(self, entity: type[DeclarativeBase]) -> sqlite.Insert | postgresql.Insert:
        """INSERT in this database's dialect, for ON CONFLICT clauses (both have them)."""
        if self.is_postgresql:
            return postgresql.insert(entity)
        return sqlite.insert(entity)

    async def migrate(self) -> None:
        async with self.engine.begin() as connection:
            if self.is_postgresql:
                # Replicas starting at once migrate one after the other; the later ones find
                # the schema at head and do nothing.
                await connection.execute(
                    select(func.pg_advisory_xact_lock(JOBS, func.hashtext("migrations")))
                )
            await connection.run_sync(_upgrade)

    async def dispose(self) -> None:
        await self.engine.dispose()


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that _sqlite_begin decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL keeps every committed transaction through a crash of the bot
    # (kill -9); only a power cut can lose the last ones. FULL would fsync every commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not left readable in free pages (/forget).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return  # e.g. a checkpoint, which must run outside a transaction
    # BEGIN IMMEDIATE takes the write lock at the start, so two transactions that both
    # read and then write (a claim, a ticket opening) wait for each other instead of
    # failing with "database is locked" halfway; the PostgreSQL equivalent is row locking.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
