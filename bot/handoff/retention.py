"""The handoff's part of privacy (bot/storage/privacy.py): a user's tickets erased on /forget,
ended tickets deleted after the retention period, and abandoned tickets closed.

An open or claimed ticket nobody opened, claimed, queued again or wrote in for
MIP_STALE_TICKET_DAYS (14) is closed, with a notice to the user and to the key person
holding it, through the outbox; once closed it is purged after the retention period like any
other closed ticket, with its messages (and the user's conversation row, which stays only
while a ticket is open). `close_stale` is the one implementation: the queue's timers run it
in every sweep (bot/handoff/timers.py), and the hourly purge and `mip purge` run it first
(StaleTickets), so a ticket is closed before the retention period is counted.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.handoff import notices
from bot.core.handoff.model import Status
from bot.handoff import steps
from bot.handoff.repository import TicketRepository, key_person
from bot.handoff.unit_of_work import UnitOfWork, UnitsOfWork
from bot.storage.privacy import Part

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(days=14)


async def forget_tickets(session: AsyncSession, user_key: str, clock: Clock) -> int:
    """A key person who held one of the user's tickets is told it was withdrawn."""
    work = UnitOfWork(session, clock)
    rows = await work.tickets.of_user(user_key)
    for row in rows:
        if row.status == Status.CLAIMED:
            await steps.tell_claimant(work, row)
    await work.tickets.delete([r.id for r in rows])
    return len(rows)


async def purge_tickets(session: AsyncSession, cutoff: dt.datetime) -> int:
    tickets = TicketRepository(session)
    ids = await tickets.ended_before(cutoff)
    await tickets.delete(ids)
    return len(ids)


TICKETS = Part("tickets", forget=forget_tickets, purge=purge_tickets)


async def close_stale(work: UnitOfWork, inactive: dt.timedelta) -> list[str]:
    """Close the tickets nobody opened, claimed or wrote in for `inactive`; the user and the
    key person holding one are told. Returns the codes closed."""
    now = work.clock.now()
    days = max(1, round(inactive / dt.timedelta(days=1)))
    closed = []
    for row in await work.tickets.inactive_since(now - inactive):
        ticket = await work.tickets.view(row, with_messages=False)
        holder = row.claimed_by
        row.status, row.closed_at = Status.CLOSED, now
        work.send(row.user_key, notices.user_stale(ticket, days), ticket=ticket)
        if holder is not None and (kp_row := await work.key_persons.get(holder)) is not None:
            kp = key_person(kp_row)
            work.send(kp.user_key, notices.keyperson_stale(kp, ticket, days), ticket=ticket)
            await steps.next_active(work, kp)
        closed.append(row.code)
    return closed


class StaleTickets:
    """The sweep the running bot (and `mip purge`) runs before the retention purge."""

    def __init__(self, uow: UnitsOfWork, inactive: dt.timedelta) -> None:
        self.uow = uow
        self.inactive = inactive

    async def close(self) -> list[str]:
        async with self.uow() as work:
            # One replica at a time, or two would close the same ticket and tell both twice.
            if not await self.uow.db.only_one(work.session, "stale tickets"):
                return []
            closed = await close_stale(work, self.inactive)
        if closed:
            codes = ", ".join(f"#{code}" for code in closed)
            log.info("closed %d ticket(s) without messages: %s", len(closed), codes)
        return closed
