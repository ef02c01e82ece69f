"""The key person's side of the queue: see, claim, answer, release and close tickets.

Claiming is a single conditional UPDATE (`... WHERE status = 'open'`): on SQLite and
PostgreSQL alike exactly one of several simultaneous claims changes the row, and the others
are told it is taken.
"""

from __future__ import annotations

import logging

from bot.core.handoff import notices
from bot.core.handoff.model import ClaimOutcome, KeyPerson, Status, Ticket
from bot.core.handoff.notices import Titles
from bot.handoff import steps
from bot.handoff.domain_events import AnswerSuggested, FirstAnswer, TicketClosed
from bot.handoff.unit_of_work import UnitOfWork, UnitsOfWork
from bot.storage.tables import TicketRow

log = logging.getLogger(__name__)


class Claims:
    def __init__(self, uow: UnitsOfWork, titles: Titles) -> None:
        self.uow = uow
        self.titles = titles
        self.clock = uow.clock

    async def queue_for(self, kp: KeyPerson) -> list[Ticket]:
        """Open tickets in the key person's languages (and widened ones), oldest first."""
        async with self.uow(read_only=True) as work:
            rows = await work.tickets.waiting(kp.languages)
            # Unclaimed tickets are listed by code, language and topic: no messages needed.
            return [await work.tickets.view(r, with_messages=False) for r in rows]

    async def held_by(self, kp: KeyPerson) -> list[Ticket]:
        async with self.uow(read_only=True) as work:
            rows = await work.tickets.held_by(kp.id)
            return [await work.tickets.view(r, with_messages=False) for r in rows]

    async def claim(self, kp: KeyPerson, code: str) -> tuple[ClaimOutcome, Ticket | None]:
        now = self.clock.now()
        async with self.uow() as work:
            row = await work.tickets.by_code(code)
            if row is None:
                return ClaimOutcome.NOT_FOUND, None
            if row.language not in kp.languages and not row.widened:
                return ClaimOutcome.NOT_YOUR_LANGUAGE, None
            if not await work.tickets.claim_if_open(row.id, kp.id, now):
                return ClaimOutcome.TAKEN, None
            await work.key_persons.update(kp.id, active_ticket_id=row.id)
            await work.session.refresh(row)
            ticket = await work.tickets.view(row)
            work.send(ticket.user_key, notices.user_claimed(ticket))
            log.info("ticket %s claimed by key person %d", ticket.label, kp.id)
            return ClaimOutcome.WON, ticket

    async def active_for(self, kp: KeyPerson) -> Ticket | None:
        """The claimed ticket the key person's messages go to."""
        async with self.uow(read_only=True) as work:
            row = await _active_row(work, kp)
            return await work.tickets.view(row, with_messages=False) if row else None

    async def switch(self, kp: KeyPerson, code: str) -> Ticket | None:
        async with self.uow() as work:
            rows = await work.tickets.held_by(kp.id, code)
            if not rows:
                return None
            await work.key_persons.update(kp.id, active_ticket_id=rows[0].id)
            return await work.tickets.view(rows[0])

    async def answer(self, kp: KeyPerson, text: str) -> Ticket | None:
        """Relay the key person's message to the user of their active ticket."""
        now = self.clock.now()
        async with self.uow() as work:
            row = await _active_row(work, kp)
            if row is None:
                return None
            work.tickets.add_message(row.id, "keyperson", text, now)
            if row.first_answer_at is None:
                row.first_answer_at = now
                waited = (now - row.created_at).total_seconds() / 60
                work.record(FirstAnswer(row.language, row.topic, waited))
            ticket = await work.tickets.view(row, with_messages=False)
            work.send(row.user_key, notices.relay_to_user(ticket, kp, text))
            return ticket

    async def suggest(self, kp: KeyPerson) -> Ticket | None:
        """Offer the key person's last answer on their active ticket as content."""
        async with self.uow() as work:
            row = await _active_row(work, kp)
            if row is None or (last := await work.tickets.last_answer(row.id)) is None:
                return None
            work.record(AnswerSuggested(row.user_key, row.language, row.topic, last))
            return await work.tickets.view(row, with_messages=False)

    async def release(self, kp: KeyPerson) -> Ticket | None:
        async with self.uow() as work:
            row = await _active_row(work, kp)
            if row is None:
                return None
            await steps.requeue(work, row, self.titles)
            return await work.tickets.view(row, with_messages=False)

    async def done(self, kp: KeyPerson) -> Ticket | None:
        async with self.uow() as work:
            row = await _active_row(work, kp)
            if row is None:
                return None
            row.status, row.closed_at = Status.CLOSED, self.clock.now()
            await steps.next_active(work, kp)
            work.record(TicketClosed(row.language, row.topic))
            ticket = await work.tickets.view(row, with_messages=False)
            work.send(row.user_key, notices.user_closed(ticket))
            log.info("ticket %s closed", ticket.label)
            return ticket


async def _active_row(work: UnitOfWork, kp: KeyPerson) -> TicketRow | None:
    current = await work.key_persons.get(kp.id)
    if current is None or current.active_ticket_id is None:
        return None
    row = await work.tickets.get(current.active_ticket_id)
    if row is None or row.status != Status.CLAIMED or row.claimed_by != kp.id:
        return None
    return row
