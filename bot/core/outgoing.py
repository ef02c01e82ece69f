"""Messages to users other than the sender (relays, announcements, reminders).

The core never sends. What it has to say to someone else is written to the outbox in the
same database transaction as the change that caused it, and the transport drains the
outbox: a crash between the two loses nothing, and a restart sends what is still pending.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from bot.core.events import Reply


@dataclass(frozen=True)
class OutgoingMessage:
    id: int
    recipient: str  # a user_key, e.g. "tg:12345"
    reply: Reply


class OutboxSource(Protocol):
    """What a transport needs to deliver the outbox."""

    async def due(self, limit: int = 50) -> list[OutgoingMessage]:
        """Pending messages whose time has come, oldest first."""
        ...

    async def claim(self, limit: int = 50) -> list[OutgoingMessage]:
        """Due messages this process delivers now, oldest first: no other process gets them
        meanwhile, and at most one per recipient is in hand at a time (so a recipient's
        messages keep their order, and the source may space them out)."""
        ...

    async def mark_sent(self, message_id: int) -> None: ...

    async def mark_failed(self, message_id: int, error: str, retry_at: dt.datetime | None) -> None:
        """A failed delivery: retried at `retry_at`, or given up when it is None
        (e.g. the user blocked the bot)."""
        ...
