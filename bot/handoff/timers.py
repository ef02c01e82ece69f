"""The queue's clockwork: reminders, widening, late notices and stale tickets that are due.

Each mark is set in the same transaction as its messages, so a sweep is safe to run at any
time, any number of times, and resumes after a restart exactly where the data says it is.
Replicas on one PostgreSQL sweep one at a time (a replica that finds another sweeping skips
its round), so two never send the same reminder or close a ticket twice.

A ticket, open or claimed, in which nobody wrote for `stale_after` (MIP_STALE_TICKET_DAYS,
14 days by default) is closed by bot/handoff/retention.py's close_stale, in the sweep's
transaction: the user is told and may ask again, the key person holding it is told too;
from then on it follows the retention period like any closed ticket.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.core.handoff import notices
from bot.core.handoff.history import Titles
from bot.core.handoff.hours import Schedule
from bot.handoff import steps
from bot.handoff.retention import STALE_AFTER, close_stale
from bot.handoff.unit_of_work import UnitsOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    reminded: int = 0
    widened: int = 0
    late_notices: int = 0
    stale_closed: int = 0


class Timers:
    def __init__(
        self,
        uow: UnitsOfWork,
        schedule: Schedule,
        titles: Titles,
        stale_after: dt.timedelta = STALE_AFTER,
    ) -> None:
        self.uow = uow
        self.schedule = schedule
        self.titles = titles
        self.stale_after = stale_after

    async def sweep(self) -> SweepResult:
        now = self.uow.clock.now()
        reminded = widened = late = 0
        async with self.uow() as work:
            if not await self.uow.db.only_one(work.session, "queue timers"):
                return SweepResult()
            stale = len(await close_stale(work, self.stale_after))
            for row in await work.tickets.waiting():
                waited = now - row.queued_at
                if not row.widened and waited >= self.schedule.widen_after:
                    row.widened = row.reminded = True
                    ticket = await work.tickets.view(row)
                    await steps.announce(work, ticket, self.titles, widened=True)
                    widened += 1
                elif not row.reminded and waited >= self.schedule.remind_after:
                    row.reminded = True
                    ticket = await work.tickets.view(row)
                    await steps.announce(work, ticket, self.titles, widened=False, note="reminder")
                    reminded += 1
                if row.promised and not row.late_notice_sent and now > row.promised_by:
                    row.late_notice_sent = True
                    ticket = await work.tickets.view(row, with_messages=False)
                    work.send(
                        row.user_key, notices.user_late(ticket, self.schedule, now), ticket=ticket
                    )
                    late += 1
        result = SweepResult(reminded, widened, late, stale)
        if reminded or widened or late or stale:
            log.info(
                "queue timers: %d reminded, %d widened, %d late notices, %d stale closed",
                *_counts(result),
            )
        return result


def _counts(result: SweepResult) -> tuple[int, int, int, int]:
    return result.reminded, result.widened, result.late_notices, result.stale_closed
