"""The outbox table: messages for other users, delivered by the transport after commit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, SystemClock
from bot.core.events import Button, Reply
from bot.core.outgoing import OutgoingMessage
from bot.monitoring.metrics import DEAD_LETTERS
from bot.storage.db import Database
from bot.storage.tables import OutboxRow

# Attempts before a message is given up (e.g. the user blocked the bot for good).
MAX_ATTEMPTS = 8


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

    def __init__(self, db: Database, clock: Clock | None = None, *, prefix: str = "") -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.prefix = prefix  # deliver only to these user keys, e.g. "tg:"

    async def due(self, limit: int = 50) -> list[OutgoingMessage]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(OutboxRow)
                .where(
                    OutboxRow.not_before <= self.clock.now(),
                    OutboxRow.recipient.startswith(self.prefix, autoescape=True),
                )
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [OutgoingMessage(row.id, row.recipient, decode(row.payload)) for row in rows]

    async def mark_sent(self, message_id: int) -> None:
        # Delivered messages are deleted at once: the outbox keeps no message text longer
        # than it must.
        async with self.db.session() as session, session.begin():
            await session.execute(delete(OutboxRow).where(OutboxRow.id == message_id))

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
