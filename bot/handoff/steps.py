"""Steps that several handoff services take inside their unit of work: announcing a ticket,
putting it back in the queue, telling its key person that the user left."""

from __future__ import annotations

from bot.core.events import Reply
from bot.core.handoff import notices
from bot.core.handoff.model import KeyPerson, Status, Ticket
from bot.core.handoff.notices import Titles
from bot.handoff.repository import key_person
from bot.handoff.unit_of_work import UnitOfWork
from bot.storage.tables import TicketRow


async def announce(
    work: UnitOfWork, ticket: Ticket, titles: Titles, *, widened: bool, note: str = ""
) -> None:
    """Tell available key persons about a ticket: those who speak its language, or, once
    widened, everyone else too."""
    for row in await work.key_persons.available():
        kp = key_person(row)
        speaks = ticket.language in kp.languages
        if widened and not speaks:
            reply: Reply = notices.announcement(kp, ticket, titles, note="widened")
        elif speaks:
            reply = notices.announcement(kp, ticket, titles, note=note)
        else:
            continue
        work.send(kp.user_key, reply, about=ticket.user_key)


async def next_active(work: UnitOfWork, kp: KeyPerson) -> None:
    """After release or done: the key person's other claimed ticket, if any, is active."""
    other = await work.tickets.latest_held(kp.id)
    await work.key_persons.update(kp.id, active_ticket_id=other)


async def requeue(work: UnitOfWork, row: TicketRow, titles: Titles) -> None:
    holder = row.claimed_by
    row.status, row.claimed_by, row.claimed_at = Status.OPEN, None, None
    row.queued_at, row.reminded, row.widened = work.clock.now(), False, False
    if holder is not None and (kp_row := await work.key_persons.get(holder)) is not None:
        await next_active(work, key_person(kp_row))
    await work.session.flush()
    await announce(work, await work.tickets.view(row), titles, widened=False)


async def tell_claimant(work: UnitOfWork, row: TicketRow) -> None:
    """The user withdrew (cancel, /forget): the key person holding the ticket is told."""
    if row.status != Status.CLAIMED or row.claimed_by is None:
        return
    kp_row = await work.key_persons.get(row.claimed_by)
    if kp_row is None:
        return
    kp = key_person(kp_row)
    ticket = await work.tickets.view(row, with_messages=False)
    work.send(kp.user_key, notices.keyperson_user_left(kp, ticket))
    row.claimed_by = None
    await next_active(work, kp)
