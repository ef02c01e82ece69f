"""Privacy in one place: what `/forget` erases and what the retention period deletes.

Every part of the bot that stores something about a person registers a `Part` here (the
handoff its tickets, storage its conversations, subscriptions and outbox, reporting its
review items). `forget` runs every part's eraser in one transaction, then has the database
scrub its files (SQLite: deleted content zeroed, the write-ahead log emptied); `purge` runs
every part's retention rule. A new table that holds personal data needs a part, or it is
never erased. The tables and what each part erases:

    conversations     the user's row (language, last messages, stay, municipality)
    subscriptions     the user's row
    outbox            messages waiting for the user, and for others about the user
                      (announcements of their ticket, copies of their messages, notices
                      that a message in their ticket failed); on others' messages, the
                      failure notice that would go to the user is dropped
    dead letters      undelivered messages to, from or about the user (bot/storage/dead_letters.py)
    tickets           the user's tickets and their messages (ticket_messages)
    review items      questions kept for staff that the user wrote (review_items.subject)
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, SystemClock
from bot.core.handoff.model import ACTIVE
from bot.storage.db import Database
from bot.storage.outbox_rows import decode_failure
from bot.storage.tables import (
    ConversationRow,
    InviteRow,
    OutboxRow,
    SubscriptionRow,
    TicketRow,
)

log = logging.getLogger(__name__)

Forget = Callable[[AsyncSession, str, Clock], Awaitable[int]]
Purge = Callable[[AsyncSession, dt.datetime], Awaitable[int]]


@dataclass(frozen=True)
class Part:
    name: str
    forget: Forget | None = None
    purge: Purge | None = None


class Privacy:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.parts: list[Part] = []

    def register(self, *parts: Part) -> Privacy:
        self.parts.extend(parts)
        return self

    async def forget(self, user_key: str) -> dict[str, int]:
        """Erase everything stored about a user, in one transaction; counts per part."""
        async with self.db.session() as session, session.begin():
            erased = {
                part.name: await part.forget(session, user_key, self.clock)
                for part in self.parts
                if part.forget is not None
            }
        if not await self.db.scrub():
            log.warning("after /forget another process held the database log; it is emptied later")
        return erased

    async def purge(self, retention: dt.timedelta) -> dict[str, int]:
        """Delete what is older than the retention period; counts per part."""
        cutoff = self.clock.now() - retention
        async with self.db.session() as session, session.begin():
            if not await self.db.only_one(session, "retention purge"):
                return {}  # another replica is purging right now
            purged = {
                part.name: await part.purge(session, cutoff)
                for part in self.parts
                if part.purge is not None
            }
        log.info("retention purge: %s", ", ".join(f"{n} {k}" for k, n in purged.items()))
        return purged


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def _forget_conversation(session: AsyncSession, user_key: str, _clock: Clock) -> int:
    return _count(
        await session.execute(delete(ConversationRow).where(ConversationRow.user_key == user_key))
    )


async def _purge_conversations(session: AsyncSession, cutoff: dt.datetime) -> int:
    # A conversation with an open ticket stays: the ticket still needs its language.
    active_users = select(TicketRow.user_key).where(TicketRow.status.in_(ACTIVE))
    return _count(
        await session.execute(
            delete(ConversationRow).where(
                ConversationRow.updated_at < cutoff, ConversationRow.user_key.not_in(active_users)
            )
        )
    )


async def _forget_subscription(session: AsyncSession, user_key: str, _clock: Clock) -> int:
    return _count(
        await session.execute(delete(SubscriptionRow).where(SubscriptionRow.user_key == user_key))
    )


async def _forget_outbox(session: AsyncSession, user_key: str, _clock: Clock) -> int:
    """Messages waiting for the user, and those for others that quote or announce them. A
    message to someone else that would, if refused, tell the user (a key person's answer
    tells the key person) stays for its reader, without that notice: it would name the
    forgotten user again as a dead letter's sender and write to them after /forget."""
    about = or_(OutboxRow.recipient == user_key, OutboxRow.about == user_key)
    erased = _count(await session.execute(delete(OutboxRow).where(about)))
    for row in await session.scalars(select(OutboxRow).where(OutboxRow.on_failure.is_not(None))):
        failure = decode_failure(row.on_failure)
        if failure is not None and failure.recipient == user_key:
            row.on_failure = None
            erased += 1
    return erased


async def _purge_invites(session: AsyncSession, cutoff: dt.datetime) -> int:
    return _count(await session.execute(delete(InviteRow).where(InviteRow.expires_at < cutoff)))


STORAGE_PARTS = (
    Part("conversations", forget=_forget_conversation, purge=_purge_conversations),
    Part("subscriptions", forget=_forget_subscription),
    Part("outbox", forget=_forget_outbox),
    Part("invites", purge=_purge_invites),
)
