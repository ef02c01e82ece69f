"""The handoff queue in the database, split by role.

    repository.py     queries, and rows mapped to the core's views (bot.core.handoff.model)
    unit_of_work.py   one transaction: repositories, outbox rows, domain events after commit
    tickets.py        the migrant's side: open, write into, cancel, feedback
    keypersons.py     invites, registration, lookup, availability
    claims.py         the key person's side: queue, claim, answer, release, done
    timers.py         reminders, widening, late notices (run by the bot's periodic loop)
    retention.py      the handoff's part of privacy (bot/storage/privacy.py), stale tickets
    steps.py          steps the services share inside a unit of work

`build_handoff` wires them on one database; `Handoff` is what the core and the entry points
are given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.clock import Clock, SystemClock
from bot.core.handoff.hours import Schedule
from bot.core.handoff.notices import Titles
from bot.handoff.claims import Claims
from bot.handoff.keypersons import KeyPersons
from bot.handoff.retention import TICKETS, StaleTickets
from bot.handoff.tickets import TicketService
from bot.handoff.timers import Timers
from bot.handoff.unit_of_work import Subscriber, UnitsOfWork
from bot.storage.db import Database
from bot.storage.privacy import STORAGE_PARTS, Privacy


@dataclass(frozen=True)
class Handoff:
    tickets: TicketService
    key_persons: KeyPersons
    claims: Claims
    timers: Timers
    privacy: Privacy
    units: UnitsOfWork
    stale: StaleTickets

    @property
    def schedule(self) -> Schedule:
        return self.tickets.schedule

    @property
    def clock(self) -> Clock:
        return self.units.clock

    def subscribe(self, subscriber: Subscriber) -> None:
        """Called with each domain event after its transaction committed."""
        self.units.subscribe(subscriber)


def build_handoff(
    db: Database,
    schedule: Schedule,
    titles: Titles,
    *,
    clock: Clock | None = None,
    stale_after: dt.timedelta = dt.timedelta(days=14),
) -> Handoff:
    units = UnitsOfWork(db, clock or SystemClock())
    privacy = Privacy(db, units.clock).register(TICKETS, *STORAGE_PARTS)
    return Handoff(
        tickets=TicketService(units, schedule, titles),
        key_persons=KeyPersons(units, titles),
        claims=Claims(units, titles),
        timers=Timers(units, schedule, titles),
        privacy=privacy,
        units=units,
        stale=StaleTickets(units, stale_after),
    )
