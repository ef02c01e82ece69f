"""The outbox table: messages for other users, delivered by the transport after commit.

Fair delivery. Each pass takes, for every recipient, only the first of their pending
messages (relays and notices before announcements, then oldest first), and orders those by
the same rule: a burst of announcements to a few key persons never holds up a relay to
anyone else, and a relay to a key person overtakes the announcements waiting for them. A
message waiting for a retry keeps its recipient's later messages behind it, so a
conversation stays in order. A key person with DIGEST_FROM or more announcements waiting
gets one digest instead (up to DIGEST_MAX questions, with Claim buttons; /queue shows all).

Several bot processes (replicas) may deliver from one table. A deliverer `claim`s messages:
one statement picks each recipient's first message by that rule and marks it taken for a
lease (its `not_before` moves LEASE ahead; rows another process is claiming at that moment
are skipped), so no other process takes it meanwhile. While a recipient has a message in
hand (claimed less than HELD ago) none of theirs is claimed, not even a more urgent one: a
recipient's messages go out one at a time, whichever process sends them, and `spacing`
after each (Telegram's second per chat) is kept in the table. A process that dies holding a
claim delays those messages by the lease, never loses them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.core.clock import Clock, SystemClock
from bot.core.events import Reply
from bot.core.handoff.notices import digest
from bot.core.outgoing import Kind, OutgoingMessage
from bot.storage.db import Database
from bot.storage.dead_letters import GAVE_UP, REFUSED, UNCERTAIN, bury
from bot.storage.outbox_rows import decode, encode, enqueue
from bot.storage.tables import OutboxRow

__all__ = ["MAX_ATTEMPTS", "OutboxAnnouncer", "SqlOutbox", "decode", "encode", "enqueue"]

# Attempts before a message that keeps failing (network, 5xx, 429) becomes a dead letter.
MAX_ATTEMPTS = 8
DIGEST_FROM = 3
DIGEST_MAX = 40
# How long a claimed message is reserved for the process that claimed it; a deliverer sends
# nothing it claimed HELD ago or longer (bot/telegram/delivery.py), so a lease that ends
# more than LEASE - HELD from now is a message still in hand. A retry waits at most
# bot.telegram.delivery.NETWORK_RETRY (30 s) unless Telegram asks for longer, and then the
# chat waits anyway.
LEASE = dt.timedelta(seconds=60)
HELD = LEASE / 2


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

    async def claim(self, limit: int = 50) -> list[OutgoingMessage]:
        """Due messages for this process to deliver now: each recipient's first (by priority,
        then age; announcements to a key person folded into a digest), most urgent first,
        reserved for LEASE. Rows another process is claiming at this moment are skipped
        (PostgreSQL's SKIP LOCKED; SQLite has one process)."""
        now = self.clock.now()
        taken = (
            select(OutboxRow.id)
            .where(OutboxRow.not_before <= now, self._ours(), _first(), _idle(now))
            .order_by(OutboxRow.priority, OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with self.db.session() as session, session.begin():
            claimed = (
                await session.scalars(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(taken.scalar_subquery()))
                    .values(not_before=now + LEASE)
                    .returning(OutboxRow.id)
                )
            ).all()
            # The rest of a key person's announcements stay behind the claimed one (it is
            # their first), so no other process takes them while the digest is in hand.
            return await _with_digests(session, claimed, now)

    async def due(
        self, limit: int = 50, *, skip: frozenset[str] = frozenset(), recipient: str | None = None
    ) -> list[OutgoingMessage]:
        """A look at what is due, as `claim` would take it (claims nothing): for the console,
        which delivers in the user's own turn, and for tests."""
        now = self.clock.now()
        async with self.db.session() as session:
            if recipient is not None:
                query = select(OutboxRow).where(
                    OutboxRow.recipient == recipient, OutboxRow.not_before <= now
                )
                ordered = query.order_by(OutboxRow.priority, OutboxRow.id)
                return [_message(row) for row in await session.scalars(ordered)]
            firsts = (await session.scalars(self._firsts(now, skip, limit))).all()
            return await _with_digests(session, firsts, now)

    def _firsts(self, now: dt.datetime, skip: frozenset[str], limit: int) -> Select[tuple[int]]:
        """Each recipient's first message (due or not: a retry keeps the rest behind it)."""
        ranked = (
            select(
                OutboxRow.id,
                OutboxRow.recipient,
                OutboxRow.priority,
                OutboxRow.not_before,
                func.row_number()
                .over(
                    partition_by=OutboxRow.recipient,
                    order_by=(OutboxRow.priority, OutboxRow.id),
                )
                .label("rank"),
            )
            .where(self._ours())
            .subquery()
        )
        query = select(ranked.c.id).where(ranked.c.rank == 1, ranked.c.not_before <= now)
        if skip:
            query = query.where(ranked.c.recipient.not_in(skip))
        return query.order_by(ranked.c.priority, ranked.c.id).limit(limit)

    async def mark_sent(self, message: OutgoingMessage) -> None:
        # Delivered messages are deleted at once: the outbox keeps no message text longer
        # than it must.
        async with self.db.session() as session, session.begin():
            await session.execute(delete(OutboxRow).where(OutboxRow.id.in_(_ids(message))))
            await self._space(session, message.recipient)

    async def mark_failed(
        self, message: OutgoingMessage, error: str, retry_in: dt.timedelta, parts_sent: int = 0
    ) -> None:
        now = self.clock.now()
        async with self.db.session() as session, session.begin():
            for row in await _rows(session, message):
                row.attempts += 1
                if row.attempts >= MAX_ATTEMPTS:
                    await bury(session, row, GAVE_UP, error, self.clock)
                    await session.delete(row)
                    continue
                row.last_error = error[:200]
                row.not_before = now + retry_in
                if not message.folded:
                    row.parts_sent = parts_sent

    async def mark_dead(self, message: OutgoingMessage, error: str) -> None:
        async with self.db.session() as session, session.begin():
            for row in await _rows(session, message):
                await bury(session, row, REFUSED, error, self.clock)
                await session.delete(row)

    async def mark_uncertain(
        self, message: OutgoingMessage, error: str, parts_sent: int, parts: int
    ) -> None:
        async with self.db.session() as session, session.begin():
            for row in await _rows(session, message):
                await bury(session, row, UNCERTAIN, error, self.clock)
                if parts_sent < parts and not message.folded:
                    row.parts_sent, row.not_before = parts_sent, self.clock.now()
                else:
                    await session.delete(row)
            await session.flush()
            await self._space(session, message.recipient)

    async def _space(self, session: AsyncSession, recipient: str) -> None:
        """After a message went out (or may have), the recipient's next waits `spacing`."""
        if not self.spacing:
            return
        after = self.clock.now() + self.spacing
        await session.execute(
            update(OutboxRow)
            .where(OutboxRow.recipient == recipient, OutboxRow.not_before < after)
            .values(not_before=after)
        )

    def _ours(self) -> Any:
        return OutboxRow.recipient.startswith(self.prefix, autoescape=True)

    async def pending(self) -> int:
        async with self.db.session() as session:
            return await session.scalar(select(func.count()).select_from(OutboxRow)) or 0


def _first() -> Any:
    """The row is its recipient's first by (priority, id), due or not: a retry keeps the
    recipient's later messages behind it (the index recipient, priority, id serves it)."""
    other = aliased(OutboxRow)
    return ~exists().where(
        other.recipient == OutboxRow.recipient,
        or_(
            other.priority < OutboxRow.priority,
            and_(other.priority == OutboxRow.priority, other.id < OutboxRow.id),
        ),
    )


def _idle(now: dt.datetime) -> Any:
    """No message of the row's recipient is in hand (claimed less than HELD ago)."""
    other = aliased(OutboxRow)
    return ~exists().where(
        other.recipient == OutboxRow.recipient, other.not_before > now + LEASE - HELD
    )


def _message(row: OutboxRow) -> OutgoingMessage:
    return OutgoingMessage(
        row.id,
        row.recipient,
        decode(row.payload),
        kind=Kind(row.kind),
        ticket=row.ticket_code,
        parts_sent=row.parts_sent,
    )


def _digest(rows: Sequence[OutboxRow], waiting: int) -> OutgoingMessage:
    """Several announcements to one key person as one message (of `waiting` in all)."""
    head = rows[0]
    language = decode(head.payload).language or "nl"
    items = [(r.ticket_code or "", r.summary or f"#{r.ticket_code}") for r in rows]
    return OutgoingMessage(
        head.id,
        head.recipient,
        digest(language, items, waiting),
        kind=Kind.ANNOUNCE,
        folded=tuple(r.id for r in rows[1:]),
    )


async def _with_digests(
    session: AsyncSession, ids: Sequence[Any], now: dt.datetime
) -> list[OutgoingMessage]:
    """The messages with these ids, by priority; a key person's first announcement carries
    their other due announcements as a digest once there are enough of them."""
    rows = (
        await session.scalars(
            select(OutboxRow)
            .where(OutboxRow.id.in_(ids))
            .order_by(OutboxRow.priority, OutboxRow.id)
        )
    ).all()
    waiting = await _announcements(
        session, [r.recipient for r in rows if r.kind == Kind.ANNOUNCE], now
    )
    messages = []
    for row in rows:
        # A claimed row is leased into the future, so it is not among the due ones: add it.
        others = [w for w in waiting.get(row.recipient, []) if w.id != row.id]
        pending = [row, *others]
        if row.kind == Kind.ANNOUNCE and len(pending) >= DIGEST_FROM:
            messages.append(_digest(pending[:DIGEST_MAX], len(pending)))
        else:
            messages.append(_message(row))
    return messages


async def _announcements(
    session: AsyncSession, recipients: list[str], now: dt.datetime
) -> dict[str, list[OutboxRow]]:
    if not recipients:
        return {}
    rows = await session.scalars(
        select(OutboxRow)
        .where(
            OutboxRow.recipient.in_(recipients),
            OutboxRow.kind == Kind.ANNOUNCE,
            OutboxRow.not_before <= now,
        )
        .order_by(OutboxRow.id)
    )
    waiting: dict[str, list[OutboxRow]] = {}
    for row in rows:
        waiting.setdefault(row.recipient, []).append(row)
    return waiting


def _ids(message: OutgoingMessage) -> tuple[int, ...]:
    return (message.id, *message.folded)


async def _rows(session: AsyncSession, message: OutgoingMessage) -> Sequence[OutboxRow]:
    query = select(OutboxRow).where(OutboxRow.id.in_(_ids(message))).order_by(OutboxRow.id)
    return (await session.scalars(query)).all()


class OutboxAnnouncer:
    """Announcements of information evenings go out through the outbox like everything else
    sent to someone who did not just write; they come after every conversation."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()

    async def enqueue(self, recipient: str, reply: Reply) -> None:
        async with self.db.session() as session, session.begin():
            enqueue(session, recipient, reply, self.clock.now(), kind=Kind.BULK)
