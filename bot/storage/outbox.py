"""The outbox table: messages for other users, delivered by the transport after commit.

Several bot processes (replicas) may deliver from one table. A deliverer `claim`s messages:
one statement marks them taken for a lease (their `not_before` moves LEASE ahead), so no
other process takes them meanwhile, and takes only a recipient's oldest message, so one
recipient's messages go out one at a time, in order, whichever process sends them. A
process that dies holding a claim delays those messages by the lease, never loses them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.core.clock import Clock, SystemClock
from bot.core.events import Button, Reply
from bot.core.outgoing import OutgoingMessage
from bot.monitoring.metrics import DEAD_LETTERS
from bot.storage.db import Database
from bot.storage.tables import OutboxRow

# Attempts before a message is given up (e.g. the user blocked the bot for good).
MAX_ATTEMPTS = 8
# How long a claimed message is reserved for the process that claimed it; a deliverer sends
# nothing it claimed longer ago than half of this (bot/telegram/delivery.py).
LEASE = dt.timedelta(seconds=60)


def encode(reply: Reply) -> str:
    return json.dumps(
        {
            "text": reply.text,
            "markdown": reply.markdown,
            "language": reply.language,
            "buttons": [[[b.label, b.data] for b in row] for row in reply.buttons],
        },
        ensure_ascii=False,
    )


def decode(payload: str) -> Reply:
    data: dict[str, Any] = json.loads(payload)
    return Reply(
        text=data["text"],
        markdown=bool(data.get("markdown")),
        language=data.get("language"),
        buttons=tuple(
            tuple(Button(label, value) for label, value in row) for row in data.get("buttons", [])
        ),
    )


def enqueue(
    session: AsyncSession,
    recipient: str,
    reply: Reply,
    not_before: dt.datetime,
    *,
    about: str | None = None,
) -> None:
    """Add a message to the outbox inside the caller's transaction; `about` is the user it
    quotes or announces, whose /forget deletes it while it waits."""
    session.add(
        OutboxRow(recipient=recipient, about=about, payload=encode(reply), not_before=not_before)
    )


class SqlOutbox:
    """OutboxSource on the database: what the transport delivers, and its bookkeeping."""

    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        *,
        prefix: str = "",
        spacing: dt.timedelta = dt.timedelta(0),
    ) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.prefix = prefix  # deliver only to these user keys, e.g. "tg:"
        self.spacing = spacing  # at least this between two messages to one recipient

    async def due(self, limit: int = 50) -> list[OutgoingMessage]:
        """A look at what is due, oldest first (claims nothing)."""
        async with self.db.session() as session:
            rows = await session.scalars(
                select(OutboxRow)
                .where(OutboxRow.not_before <= self.clock.now(), self._ours())
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [OutgoingMessage(row.id, row.recipient, decode(row.payload)) for row in rows]

    async def claim(self, limit: int = 50) -> list[OutgoingMessage]:
        """Due messages for this process to deliver now, each its recipient's oldest, oldest
        first; reserved for LEASE. Rows another process is claiming at this moment are
        skipped (PostgreSQL's SKIP LOCKED; SQLite has one process)."""
        now = self.clock.now()
        older = aliased(OutboxRow)
        oldest_of_recipient = ~exists().where(
            older.recipient == OutboxRow.recipient, older.id < OutboxRow.id
        )
        taken = (
            select(OutboxRow.id)
            .where(OutboxRow.not_before <= now, self._ours(), oldest_of_recipient)
            .order_by(OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with self.db.session() as session, session.begin():
            rows = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(taken.scalar_subquery()))
                .values(not_before=now + LEASE)
                .returning(OutboxRow.id, OutboxRow.recipient, OutboxRow.payload)
            )
            claimed = sorted(rows.all())
        return [
            OutgoingMessage(id_, recipient, decode(payload)) for id_, recipient, payload in claimed
        ]

    async def mark_sent(self, message_id: int) -> None:
        # Delivered messages are deleted at once: the outbox keeps no message text longer
        # than it must.
        async with self.db.session() as session, session.begin():
            recipient = await session.scalar(
                delete(OutboxRow).where(OutboxRow.id == message_id).returning(OutboxRow.recipient)
            )
            if recipient is not None and self.spacing:
                after = self.clock.now() + self.spacing
                await session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.recipient == recipient, OutboxRow.not_before < after)
                    .values(not_before=after)
                )

    async def mark_failed(self, message_id: int, error: str, retry_at: dt.datetime | None) -> None:
        async with self.db.session() as session, session.begin():
            row = await session.get(OutboxRow, message_id)
            if row is None:
                return
            row.attempts += 1
            if retry_at is None or row.attempts >= MAX_ATTEMPTS:
                await session.delete(row)
                DEAD_LETTERS.inc()
                return
            row.last_error = error[:200]
            row.not_before = retry_at

    def _ours(self) -> Any:
        return OutboxRow.recipient.startswith(self.prefix, autoescape=True)

    async def pending(self) -> int:
        async with self.db.session() as session:
            return await session.scalar(select(func.count()).select_from(OutboxRow)) or 0


class OutboxAnnouncer:
    """Announcements of information evenings go out through the outbox like everything else
    sent to someone who did not just write; the transport paces them within Telegram's limits."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()

    async def enqueue(self, recipient: str, reply: Reply) -> None:
        async with self.db.session() as session, session.begin():
            enqueue(session, recipient, reply, self.clock.now())
