"""Report periods: ISO weeks, calendar months and quarters, and nothing else.

Reports over free date ranges can be differenced: two reports that start on consecutive days
differ by the questions of one day, and that can be one person. Fixed periods either nest
(a month in its quarter), follow each other, or overlap by part of a week (an ISO week that
straddles two months); the published-report check (published.py) deals with what remains.
A period is reported only once it has ended, so a report of it never changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
FORMS = "2026-W48 (ISO week), 2026-11 (month) or 2026-Q4 (quarter)"


class PeriodError(ValueError):
    """Not a report period, or one that has not ended yet."""


@dataclass(frozen=True)
class ReportPeriod:
    label: str
    since: dt.date
    until: dt.date  # the last day, included

    def ended(self, today: dt.date) -> bool:
        return today > self.until


def parse_period(text: str) -> ReportPeriod:
    text = text.strip().upper()
    if match := _WEEK.match(text):
        year, week = int(match.group(1)), int(match.group(2))
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise PeriodError(f"{year} has no ISO week {week}") from None
        return ReportPeriod(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6))
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"not a month: {text!r}")
        return ReportPeriod(f"{year}-{month:02d}", dt.date(year, month, 1), _month_end(year, month))
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 3 * quarter - 2
        return ReportPeriod(
            f"{year}-Q{quarter}", dt.date(year, first, 1), _month_end(year, first + 2)
        )
    raise PeriodError(f"a report period is {FORMS}, not {text!r}")


def last_ended_month(today: dt.date) -> ReportPeriod:
    """The default period: the last whole calendar month before `today`."""
    last_day = today.replace(day=1) - dt.timedelta(days=1)
    return parse_period(f"{last_day.year}-{last_day.month:02d}")


def require_ended(period: ReportPeriod, today: dt.date) -> None:
    if not period.ended(today):
        raise PeriodError(
            f"{period.label} ends on {period.until.isoformat()}: a period is reported once it "
            "has ended, so that its report never changes"
        )


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
