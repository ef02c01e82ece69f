"""Reports checked against the reports already published, so that none can be subtracted from
another to single out a few people.

Every count a report shows covers some days: a cell of a week row the days of that week in
the period, a total the whole period. For one kind of count (a "category": questions on one
topic in one language, handoffs in one language, one municipality...) each shown count says
`S(until + 1) - S(since) = n`, with S the running total over the days. Counts of one
category, from all published reports and the new one, link days into groups; within a group
the count of the days between any two of its dates can be worked out (Oct + Nov shown, Q4
shown: December follows). If such a derived count is 1 to 4 and could not be worked out
before the new report, the new report hides one more of its counts on the way, and its own
disclosure control (disclosure.py) protects that one in turn; repeated until nothing new can
be derived. A derived count of 0 or of 5 and more is no disclosure.

What this does not model: a count derived by combining other categories and days at once
(topics summed across reports with different hidden cells); each report's own sums across
categories are protected by disclosure.py, and the periods are fixed (periods.py), which
leaves few such combinations.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from sqlalchemy import delete, select

from bot.contract import Contract
from bot.reporting.disclosure import ALL, THRESHOLD, Key
from bot.reporting.figures import EventCount, Figures, Period, build, count, load_events
from bot.reporting.periods import ReportPeriod
from bot.reporting.tables import PublishedReportRow
from bot.storage.db import Database

WEEKLY = frozenset({"Q", "A", "H"})  # cubes whose second coordinate is an ISO week
SAME_AS_GRAND_TOTAL = (("S", ALL), ("M", ALL))  # both count the questions of the period
GRAND_TOTAL = ("Q", ALL, ALL)
MAX_ROUNDS = 50

Category = tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    """A shown count: how many in `category` from `since` to `until` (both included)."""

    category: Category
    since: dt.date
    until: dt.date
    value: int
    key: Key | None = None  # its key in the report being checked (None: published before)


def cell_of(key: Key, period: Period) -> tuple[Category, dt.date, dt.date]:
    if key[0] in WEEKLY:
        category: Category = (key[0], *key[2:])
        if key[1] == ALL:
            since, until = period.since, period.until
        else:
            year, week = key[1].split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
            since = max(monday, period.since)
            until = min(monday + dt.timedelta(days=6), period.until)
    else:
        category, since, until = key, period.since, period.until
    if category in SAME_AS_GRAND_TOTAL:
        category = GRAND_TOTAL
    return category, since, until


def shown_cells(figures: Figures) -> list[Cell]:
    cells = []
    for key, value in figures.d.values.items():
        if figures.d.shown(key) is not None:
            category, since, until = cell_of(key, figures.period)
            cells.append(Cell(category, since, until, value, key))
    return cells


class DayCounts:
    """Counts per category and day (built like the report, one day at a time), so that the
    count of any run of days is a difference of running totals."""

    def __init__(self, rows: Sequence[EventCount], contract: Contract, first: dt.date) -> None:
        self.first = first
        by_day: dict[dt.date, list[EventCount]] = defaultdict(list)
        for row in rows:
            by_day[row.day].append(row)
        last = max(by_day, default=first)
        self.days = (last - first).days + 1
        daily: dict[Category, list[int]] = defaultdict(lambda: [0] * self.days)
        for day, found in by_day.items():
            one = count(found, {}, Period(day, day), contract)
            for key, value in one.d.values.items():
                if key[0] in WEEKLY and key[1] != ALL:
                    continue  # the day's week row repeats its total
                if value and key not in SAME_AS_GRAND_TOTAL:
                    daily[cell_of(key, one.period)[0]][(day - first).days] += value
        self.running = {c: [0, *accumulate(v)] for c, v in daily.items()}

    def between(self, category: Category, start: dt.date, end: dt.date) -> int:
        """The count from `start` up to, not including, `end`."""
        running = self.running.get(category)
        if running is None:
            return 0

        def at(day: dt.date) -> int:
            return running[min(max((day - self.first).days, 0), self.days)]

        return at(end) - at(start)


@dataclass(frozen=True)
class Leak:
    category: Category
    start: dt.date
    end: dt.date  # excluded
    count: int
    through: tuple[Cell, ...]  # the new report's cells on the way from start to end


def leaks(new: Sequence[Cell], published: Sequence[Cell], counts: DayCounts) -> list[Leak]:
    """Counts of 1 to 4 that `new` together with `published` give away, and did not before."""
    found = []
    published_of: dict[Category, list[Cell]] = defaultdict(list)
    for cell in published:
        published_of[cell.category].append(cell)
    new_of: dict[Category, list[Cell]] = defaultdict(list)
    for cell in new:
        new_of[cell.category].append(cell)
    for category, cells in new_of.items():
        before = _Groups(published_of[category])
        after = _Groups([*published_of[category], *cells])
        for group in after.groups():
            for i, start in enumerate(group):
                for end in group[i + 1 :]:
                    if before.linked(start, end):
                        continue
                    n = counts.between(category, start, end)
                    if 0 < n < THRESHOLD:
                        path = after.path(start, end)
                        found.append(Leak(category, start, end, n, tuple(c for c in path if c.key)))
    return found


class _Groups:
    """Dates linked by shown counts (each links its first day and the day after its last)."""

    def __init__(self, cells: Iterable[Cell]) -> None:
        self.edges: dict[dt.date, list[tuple[dt.date, Cell]]] = defaultdict(list)
        self.parent: dict[dt.date, dt.date] = {}
        for cell in cells:
            a, b = cell.since, cell.until + dt.timedelta(days=1)
            self.edges[a].append((b, cell))
            self.edges[b].append((a, cell))
            self.parent[self._root(a)] = self._root(b)

    def _root(self, day: dt.date) -> dt.date:
        self.parent.setdefault(day, day)
        while self.parent[day] != day:
            self.parent[day] = self.parent[self.parent[day]]
            day = self.parent[day]
        return day

    def linked(self, a: dt.date, b: dt.date) -> bool:
        return a in self.parent and b in self.parent and self._root(a) == self._root(b)

    def groups(self) -> list[list[dt.date]]:
        members: dict[dt.date, list[dt.date]] = defaultdict(list)
        for day in list(self.parent):
            members[self._root(day)].append(day)
        return [sorted(days) for days in members.values() if len(days) > 1]

    def path(self, start: dt.date, end: dt.date) -> list[Cell]:
        """The cells on a shortest chain of linked dates from `start` to `end`."""
        came: dict[dt.date, tuple[dt.date, Cell] | None] = {start: None}
        queue = [start]
        while queue and end not in came:
            day = queue.pop(0)
            for other, cell in self.edges[day]:
                if other not in came:
                    came[other] = (day, cell)
                    queue.append(other)
        cells, day = [], end
        while (step := came.get(day)) is not None:
            day, cell = step
            cells.append(cell)
        return cells


async def protected_figures(
    db: Database, contract: Contract, period: ReportPeriod, published: Sequence[Cell]
) -> Figures:
    """The report of `period`, protected on its own and against the published reports."""
    rows, waits, _ = await load_events(db, period.since, period.until)
    span = Period(period.since, period.until)
    figures = build(rows, waits, span, contract)
    if not published:
        return figures
    first = min(period.since, *(c.since for c in published))
    last = max(period.until, *(c.until for c in published))
    all_rows, _, _ = await load_events(db, first, last)
    counts = DayCounts(all_rows, contract, first)
    hide: set[Key] = set()
    for _ in range(MAX_ROUNDS):
        found = leaks(shown_cells(figures), published, counts)
        more = {_to_hide(leak) for leak in found} - {None}
        if not more:
            return figures
        hide |= {key for key in more if key is not None}
        figures = build(rows, waits, span, contract, hide=frozenset(hide))
    raise AssertionError(f"{period.label}: still giving counts away after {MAX_ROUNDS} rounds")


def _to_hide(leak: Leak) -> Key | None:
    """The smallest count of the new report on the way (a zero hides nothing)."""
    candidates = [c for c in leak.through if c.value >= THRESHOLD and c.key is not None]
    if not candidates:
        return None  # only published counts and zeros: given away before this report
    return min(candidates, key=lambda c: (c.value, c.until - c.since, repr(c.key))).key


# -- the record of published reports -------------------------------------------------------


async def load_published(db: Database, *, besides: str) -> list[Cell]:
    """The shown counts of every published report but `besides` (the one being redone)."""
    async with db.session() as session:
        rows = (await session.scalars(select(PublishedReportRow))).all()
    cells = []
    for row in rows:
        if row.period == besides:
            continue
        for category, since, until, value in json.loads(row.cells):
            cells.append(
                Cell(
                    tuple(category),
                    dt.date.fromisoformat(since),
                    dt.date.fromisoformat(until),
                    value,
                )
            )
    return cells


async def record_published(
    db: Database, period: ReportPeriod, figures: Figures, today: dt.date
) -> None:
    unique = {(c.category, c.since, c.until): c.value for c in shown_cells(figures)}
    cells = [
        [list(category), since.isoformat(), until.isoformat(), value]
        for (category, since, until), value in unique.items()
    ]
    async with db.session() as session, session.begin():
        await session.execute(
            delete(PublishedReportRow).where(PublishedReportRow.period == period.label)
        )
        session.add(
            PublishedReportRow(
                period=period.label,
                since=period.since,
                until=period.until,
                cells=json.dumps(cells, separators=(",", ":")),
                published_at=today,
            )
        )
