"""Reports over fixed periods only, checked against the reports already published: no count
below 5 can be worked out from all published reports together.

The check in the tests is independent of the code's: every count a report shows is an
equation over days, and a hidden count is given away when its days are a combination of
shown ones (linear algebra over all published reports, not the code's linked dates).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from bot.contract import Contract
from bot.reporting.disclosure import SMALL
from bot.reporting.figures import Figures, Period, build, load_events
from bot.reporting.periods import PeriodError, parse_period, require_ended
from bot.reporting.published import Cell, cell_of, load_published
from bot.reporting.recorder import Analytics
from bot.reporting.report import publish
from bot.storage.db import Database

AFTER_ALL = dt.date(2027, 1, 10)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}")
    await database.migrate()
    yield database
    await database.dispose()


async def questions(db: Database, day: dt.date, language: str, intent: str, n: int) -> None:
    analytics = Analytics(db, today=lambda: day)
    for _ in range(n):
        await analytics.answered(language, intent, "breda", "short")


def small_cells(figures: Figures) -> list[tuple[tuple[str, ...], dt.date, dt.date]]:
    return [
        cell_of(key, figures.period) for key in figures.d.values if figures.d.text(key) == SMALL
    ]


def derivable(cells: list[Cell], category: tuple[str, ...], since: dt.date, until: dt.date) -> bool:
    """Whether the days `since`..`until` of `category` are a combination of shown counts."""
    mine = [c for c in cells if c.category == category]
    if not mine:
        return False
    first = min(since, *(c.since for c in mine))
    days = (max(until, *(c.until for c in mine)) - first).days + 1

    def row(a: dt.date, b: dt.date) -> list[float]:
        return [1.0 if (a - first).days <= i <= (b - first).days else 0.0 for i in range(days)]

    shown = np.array([row(c.since, c.until) for c in mine])
    target = np.array([row(since, until)])
    return bool(np.linalg.matrix_rank(np.vstack([shown, target])) == np.linalg.matrix_rank(shown))


def check_nothing_small_is_derivable(reports: list[Figures], cells: list[Cell]) -> None:
    for figures in reports:
        for category, since, until in small_cells(figures):
            assert not derivable(cells, category, since, until), (category, since, until)


def test_only_iso_weeks_months_and_quarters_are_periods() -> None:
    assert parse_period("2026-W48") == parse_period("2026-w48")
    week = parse_period("2026-W53")
    assert (week.since, week.until) == (dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    feb = parse_period("2028-02")
    assert (feb.since, feb.until) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    q4 = parse_period("2026-Q4")
    assert (q4.label, q4.since, q4.until) == (
        "2026-Q4",
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    for wrong in ("2026-11-09", "2026-W54", "2025-W53", "2026-13", "2026-Q5", "last month", ""):
        with pytest.raises(PeriodError):
            parse_period(wrong)
    require_ended(q4, dt.date(2027, 1, 1))
    with pytest.raises(PeriodError, match="2026-12-31"):
        require_ended(q4, dt.date(2026, 12, 31))


async def test_a_quarter_after_its_months_gives_no_month_away(
    db: Database, contract: Contract, tmp_path: Path
) -> None:
    """October and November show 10 Bulgarian questions each and December 1 ("<5"): a
    quarter showing 21 would tell that December had exactly one."""
    for day, bulgarian in ((dt.date(2026, 10, 5), 10), (dt.date(2026, 11, 10), 10)):
        await questions(db, day, "bg", "health_insurance", bulgarian)
        await questions(db, day, "pl", "register_brp", 20)
    await questions(db, dt.date(2026, 12, 15), "bg", "health_insurance", 1)
    await questions(db, dt.date(2026, 12, 15), "pl", "register_brp", 20)
    reports = []
    for label in ("2026-10", "2026-11", "2026-12"):
        written = await publish(
            db, contract, parse_period(label), tmp_path / label, today=AFTER_ALL
        )
        reports.append(written.figures)
    december = reports[-1]
    assert december.d.text(december.q(language="bg")) == SMALL

    # Without the check, the quarter would give December away.
    rows, waits, _ = await load_events(db, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    naive = build(rows, waits, Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31)), contract)
    assert naive.d.text(naive.q(language="bg")) == "21"
    published = await load_published(db, besides="")
    naive_cells = [*published, *_shown(naive)]
    assert derivable(naive_cells, ("Q", "*", "bg"), dt.date(2026, 12, 1), dt.date(2026, 12, 31))

    quarter = (
        await publish(db, contract, parse_period("2026-Q4"), tmp_path / "q4", today=AFTER_ALL)
    ).figures
    assert quarter.d.text(quarter.q(language="bg")) != "21"
    # The Polish total goes too (with the grand total it would give the Bulgarian one away);
    # what gives nothing away stays.
    assert quarter.d.text(quarter.q(language="pl")) == "x"
    assert quarter.d.text(quarter.q()) == "81"
    everything = await load_published(db, besides="")
    check_nothing_small_is_derivable([*reports, quarter], everything)


async def test_an_iso_week_across_two_months_gives_neither_month_away(
    db: Database, contract: Contract, tmp_path: Path
) -> None:
    """2026-W44 runs from Monday 26 October to Sunday 1 November."""
    await questions(db, dt.date(2026, 10, 27), "ro", "minimum_wage", 9)
    await questions(db, dt.date(2026, 11, 1), "ro", "minimum_wage", 2)
    await questions(db, dt.date(2026, 11, 12), "ro", "minimum_wage", 8)
    reports = []
    for label in ("2026-W44", "2026-10", "2026-11"):
        written = await publish(
            db, contract, parse_period(label), tmp_path / label, today=AFTER_ALL
        )
        reports.append(written.figures)
    week, october, november = reports
    assert week.d.text(week.q(language="ro")) == "11"  # published first: nothing to check against
    assert october.d.text(october.q(language="ro")) != "9"  # 11 - 9 would be 1 November's 2
    check_nothing_small_is_derivable(reports, await load_published(db, besides=""))
    del november


async def test_publishing_a_period_again_gives_the_same_report_and_one_record(
    db: Database, contract: Contract, tmp_path: Path
) -> None:
    await questions(db, dt.date(2026, 11, 10), "nl", "get_bsn", 12)
    await questions(db, dt.date(2026, 11, 11), "nl", "find_doctor", 3)
    period = parse_period("2026-W46")
    first = await publish(db, contract, period, tmp_path / "a", today=AFTER_ALL)
    again = await publish(db, contract, period, tmp_path / "b", today=AFTER_ALL)
    assert first.figures.d.values == again.figures.d.values
    assert first.figures.d.hidden == again.figures.d.hidden
    assert (tmp_path / "a" / "overview.csv").read_text() == (
        tmp_path / "b" / "overview.csv"
    ).read_text()
    cells = await load_published(db, besides="")
    assert len(cells) == len(_shown(first.figures))  # replaced, not added
    assert await load_published(db, besides="2026-W46") == []


def _shown(figures: Figures) -> list[Cell]:
    found: dict[tuple[tuple[str, ...], dt.date, dt.date], int] = defaultdict(int)
    for key, value in figures.d.values.items():
        if figures.d.shown(key) is not None:
            found[cell_of(key, figures.period)] = value
    return [
        Cell(category, since, until, value) for (category, since, until), value in found.items()
    ]
