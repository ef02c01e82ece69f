"""Messages to users other than the sender (relays, announcements, reminders).

The core never sends. What it has to say to someone else is written to the outbox in the
same database transaction as the change that caused it, and the transport drains the
outbox: a crash between the two loses nothing, and a restart sends what is still pending.

Nothing leaves the outbox silently: a message is delivered, or retried while it certainly
did not arrive, or kept as a dead letter (refused for good, or given up after retries) with
its sender told, or recorded as uncertain (the request went out and no answer came: it may
have arrived, so it is not sent twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.core.events import Reply


class Kind(StrEnum):
    """What a message is; it decides its priority and what happens when it fails."""

    RELAY = "relay"  # one side of a ticket's conversation to the other
    NOTICE = "notice"  # the queue to someone about their own ticket (claimed, closed...)
    FAILURE = "failure"  # "your message could not be delivered"
    ANNOUNCE = "announce"  # a ticket offered to a key person (folded into digests)
    BULK = "bulk"  # announcements of information evenings


# Lower goes first: a conversation never waits behind announcements.
PRIORITY = {Kind.RELAY: 0, Kind.NOTICE: 0, Kind.FAILURE: 0, Kind.ANNOUNCE: 1, Kind.BULK: 2}


@dataclass(frozen=True)
class Failure:
    """Whom to tell, and what, when a message is refused for good."""

    recipient: str
    reply: Reply


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    recipient: str  # a user_key, e.g. "tg:12345"
    reply: Reply
    kind: Kind = Kind.NOTICE
    ticket: str | None = None  # the ticket's code, for logs (never the text)
    parts_sent: int = 0  # of a long message, the parts already delivered
    folded: tuple[int, ...] = ()  # a digest: the other rows it delivers


class OutboxSource(Protocol):
    """What a transport needs to deliver the outbox."""

    async def due(
        self, limit: int = 50, *, skip: frozenset[str] = frozenset(), recipient: str | None = None
    ) -> list[OutgoingMessage]:
        """Pending messages whose time has come: for each recipient (except `skip`) its
        most urgent, oldest first. With `recipient`, all of that one recipient's, in order."""
        ...

    async def claim(self, limit: int = 50) -> list[OutgoingMessage]:
        """Due messages this process delivers now, as `due` orders them: no other process
        gets them meanwhile, and at most one per recipient is in hand at a time (so a
        recipient's messages keep their order, and the source may space them out)."""
        ...

    async def mark_sent(self, message: OutgoingMessage) -> None: ...

    async def mark_failed(
        self, message: OutgoingMessage, error: str, retry_in: dt.timedelta, parts_sent: int = 0
    ) -> None:
        """Certainly not delivered: try again after `retry_in` (from `parts_sent`); after
        too many attempts it becomes a dead letter."""
        ...

    async def mark_dead(self, message: OutgoingMessage, error: str) -> None:
        """Refused for good (e.g. blocked, too long): kept as a dead letter, sender told."""
        ...

    async def mark_uncertain(
        self, message: OutgoingMessage, error: str, parts_sent: int, parts: int
    ) -> None:
        """Part `parts_sent` went out and no answer came: recorded, never resent; the parts
        after it are still sent."""
        ...
