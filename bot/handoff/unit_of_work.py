"""One transaction of the handoff: the repositories on one session, the outbox rows written in
it, and the domain events it collected, published only after it committed.

    async with uow() as work:
        row = await work.tickets.active(user_key)
        work.send(recipient, reply)            # an outbox row, in the same transaction
        work.record(TicketClosed(...))         # published after commit
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.events import Reply
from bot.handoff.domain_events import DomainEvent
from bot.handoff.repository import KeyPersonRepository, TicketRepository
from bot.storage.db import Database
from bot.storage.outbox import enqueue

log = logging.getLogger(__name__)

Subscriber = Callable[[DomainEvent], Awaitable[None]]


class UnitOfWork:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.tickets = TicketRepository(session)
        self.key_persons = KeyPersonRepository(session)
        self.events: list[DomainEvent] = []

    def send(self, recipient: str, reply: Reply, *, about: str | None = None) -> None:
        """A message for someone else: delivered by the transport after commit. `about`: the
        user whose words or ticket it carries (erased with them by /forget while it waits)."""
        enqueue(self.session, recipient, reply, self.clock.now(), about=about)

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)


class UnitsOfWork:
    """Opens units of work on one database and publishes their events to the subscribers."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.append(subscriber)

    @asynccontextmanager
    async def __call__(self, *, read_only: bool = False) -> AsyncIterator[UnitOfWork]:
        async with self.db.session() as session:
            work = UnitOfWork(session, self.clock)
            if read_only:
                yield work
                return
            async with session.begin():
                yield work
        for event in work.events:
            for subscriber in self.subscribers:
                try:
                    await subscriber(event)
                except Exception:
                    # The ticket change is committed; a report count must not undo it.
                    log.exception("handoff event %s not recorded", type(event).__name__)
