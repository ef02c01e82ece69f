"""The queue's clockwork: reminders, widening and late notices that are due.

Each mark is set in the same transaction as its messages, so a sweep is safe to run at any
time, any number of times, and resumes after a restart exactly where the data says it is.
Replicas on one PostgreSQL sweep one at a time (a replica that finds another sweeping skips
its round), so two never send the same reminder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.handoff import notices
from bot.core.handoff.hours import Schedule
from bot.core.handoff.notices import Titles
from bot.handoff import steps
from bot.handoff.unit_of_work import UnitsOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    reminded: int = 0
    widened: int = 0
    late_notices: int = 0


class Timers:
    def __init__(self, uow: UnitsOfWork, schedule: Schedule, titles: Titles) -> None:
        self.uow = uow
        self.schedule = schedule
        self.titles = titles

    async def sweep(self) -> SweepResult:
        now = self.uow.clock.now()
        reminded = widened = late = 0
        async with self.uow() as work:
            if not await self.uow.db.only_one(work.session, "queue timers"):
                return SweepResult()
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
                if not row.late_notice_sent and now > row.promised_by:
                    row.late_notice_sent = True
                    ticket = await work.tickets.view(row, with_messages=False)
                    work.send(row.user_key, notices.user_late(ticket, self.schedule, now))
                    late += 1
        result = SweepResult(reminded, widened, late)
        if reminded or widened or late:
            log.info("queue timers: %d reminded, %d widened, %d late notices", *_counts(result))
        return result


def _counts(result: SweepResult) -> tuple[int, int, int]:
    return result.reminded, result.widened, result.late_notices
