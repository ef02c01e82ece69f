"""The migrant's side of the queue: open a ticket, write into it, cancel it, say if it helped."""

from __future__ import annotations

import logging
import secrets

from sqlalchemy.exc import IntegrityError

from bot.core.handoff import notices
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import ACTIVE, Opening, Status, Ticket, TicketMessage
from bot.core.handoff.notices import Titles
from bot.handoff import steps
from bot.handoff.domain_events import TicketFeedback, TicketOpened
from bot.handoff.repository import MESSAGE_MAX, key_person
from bot.handoff.unit_of_work import UnitsOfWork
from bot.storage.tables import TicketRow

log = logging.getLogger(__name__)

# Ticket codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so they can be read aloud and typed back.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 4


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class TicketService:
    def __init__(self, uow: UnitsOfWork, schedule: Schedule, titles: Titles) -> None:
        self.uow = uow
        self.schedule = schedule
        self.titles = titles
        self.clock = uow.clock

    async def active_ticket(self, user_key: str, *, with_messages: bool = True) -> Ticket | None:
        async with self.uow(read_only=True) as work:
            row = await work.tickets.active(user_key)
            return await work.tickets.view(row, with_messages=with_messages) if row else None

    async def open_ticket(self, opening: Opening) -> tuple[Ticket, bool]:
        """Open a ticket, or return the user's open one (one per user). True when new."""
        for _ in range(5):
            try:
                return await self._open(opening)
            except IntegrityError:
                # A code collision, or a second ticket racing the first for the same user:
                # try again; the next round finds the open ticket or draws a new code.
                continue
        raise RuntimeError("could not open a ticket after 5 attempts")

    async def _open(self, opening: Opening) -> tuple[Ticket, bool]:
        now = self.clock.now()
        async with self.uow() as work:
            existing = await work.tickets.active(opening.user_key)
            if existing is not None:
                for question in opening.questions:
                    work.tickets.add_message(existing.id, "user", question, now)
                return await work.tickets.view(existing), False
            row = await work.tickets.add(
                TicketRow(
                    code=new_code(),
                    user_key=opening.user_key,
                    language=opening.language,
                    status=Status.OPEN,
                    reason=opening.reason,
                    topic=opening.topic,
                    answered=",".join(opening.answered[-5:]),
                    stay=opening.stay,
                    municipality=opening.municipality,
                    created_at=now,
                    queued_at=now,
                    promised_by=self.schedule.promise(now),
                )
            )
            for question in opening.questions:
                work.tickets.add_message(row.id, "user", question, now)
            # The messages are the opening's questions: no need to read them back.
            written = tuple(TicketMessage("user", q[:MESSAGE_MAX], now) for q in opening.questions)
            ticket = await work.tickets.view(row, messages=written)
            await steps.announce(work, ticket, self.titles, widened=False)
            work.record(
                TicketOpened(
                    ticket.user_key,
                    ticket.language,
                    ticket.topic,
                    ticket.municipality,
                    ticket.stay,
                    opening.questions,
                )
            )
            log.info("ticket %s opened (%s, %s)", ticket.label, ticket.language, ticket.reason)
            return ticket, True

    async def add_user_message(self, ticket: Ticket, text: str) -> bool:
        """Store a user's message in their ticket; relayed at once when claimed (True)."""
        now = self.clock.now()
        async with self.uow() as work:
            row = await work.tickets.get(ticket.id)
            if row is None or row.status not in ACTIVE:
                return False
            work.tickets.add_message(row.id, "user", text, now)
            if row.status != Status.CLAIMED or row.claimed_by is None:
                return False
            kp_row = await work.key_persons.get(row.claimed_by)
            if kp_row is None:
                return False
            view = await work.tickets.view(row, with_messages=False)
            kp = key_person(kp_row)
            work.send(kp.user_key, notices.relay_to_keyperson(kp, view, text), about=row.user_key)
            return True

    async def cancel(self, user_key: str) -> Ticket | None:
        async with self.uow() as work:
            row = await work.tickets.active(user_key)
            if row is None:
                return None
            await steps.tell_claimant(work, row)
            row.status, row.closed_at = Status.CANCELLED, self.clock.now()
            log.info("ticket #%s cancelled by the user", row.code)
            return await work.tickets.view(row, with_messages=False)

    async def record_feedback(self, user_key: str, code: str, helped: bool) -> Ticket | None:
        """The user's verdict on a closed ticket; only the ticket's own user can give it."""
        async with self.uow() as work:
            row = await work.tickets.closed_awaiting_feedback(user_key, code)
            if row is None:
                return None
            row.helped = helped
            work.record(TicketFeedback(row.language, row.topic or "info_point", helped))
            return await work.tickets.view(row, with_messages=False)
