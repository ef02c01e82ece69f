"""The handoff's part of privacy (bot/storage/privacy.py): a user's tickets erased on /forget,
ended tickets deleted after the retention period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.handoff.model import Status
from bot.handoff import steps
from bot.handoff.repository import TicketRepository
from bot.handoff.unit_of_work import UnitOfWork
from bot.storage.privacy import Part


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
