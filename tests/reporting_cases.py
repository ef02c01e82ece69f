"""A seeded reporting database with known counts, shared by the SQLite and PostgreSQL tests."""

from __future__ import annotations

import datetime as dt

from bot.contract import Contract
from bot.reporting.figures import Figures
from bot.reporting.periods import parse_period
from bot.reporting.recorder import Analytics
from bot.reporting.report import load_figures
from bot.reporting.sections import Section, cube_rows, sections
from bot.storage.db import Database

WEEK_A = dt.date(2026, 11, 2)  # Monday of 2026-W45
WEEK_B = dt.date(2026, 11, 10)  # Tuesday of 2026-W46
WAITS_PL = (5, 10, 15, 20, 30, 60)  # median 17.5, p90 (inclusive) 45
NOVEMBER = parse_period("2026-11")  # Sunday 1 (W44) to Monday 30 (W49)
NOVEMBER_WEEKS = ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"]


async def seed(db: Database) -> None:
    a = Analytics(db, today=lambda: WEEK_A)
    b = Analytics(db, today=lambda: WEEK_B)
    for week in (a, b):
        for _ in range(20):
            await week.answered("pl", "register_brp", "breda", "short")
        for _ in range(10):
            await week.answered("bg", "health_insurance", "breda", "mid")
        for _ in range(8):
            await week.answered("nl", "get_bsn", "tilburg", None)
        for _ in range(6):
            await week.misunderstood("pl", "register_brp", "breda", "short")
        for _ in range(6):
            await week.handoff_opened("pl", "registration", "breda", "short")
        for _ in range(5):
            await week.handoff_opened("bg", "health", "breda", "mid")
    for _ in range(3):  # a small count: must show as <5
        await b.answered("ro", "minimum_wage", "etten-leur", "long")
    for _ in range(2):  # a small count: must show as <5
        await b.out_of_scope("bg", "breda", "mid")
    for minutes in WAITS_PL:
        await a.first_answer("pl", "registration", minutes)
    for minutes in (3, 400):  # two waits: no median may be shown
        await b.first_answer("bg", "health", minutes)
    for minutes in (1, 2, 3, 4, 5):
        await b.first_answer("nl", "registration", minutes)
    for helped in [True] * 8 + [False] * 2:
        await a.feedback("pl", "register_brp", helped)
    for helped in [True] * 6 + [False] * 7:
        await a.feedback("bg", "health_insurance", helped)


async def seeded_figures(db: Database, contract: Contract) -> Figures:
    await seed(db)
    return await load_figures(db, contract, NOVEMBER)


def by_slug(figures: Figures) -> dict[str, Section]:
    return {s.slug: s for s in sections(figures)}


def row(section: Section, label: str) -> list[str]:
    [found] = [list(r) for r in section.rows if r[0] == label]
    return found


def check_known_counts(figures: Figures) -> None:
    """The counts the seed put in, as the report shows them."""
    s = by_slug(figures)
    assert figures.weeks == NOVEMBER_WEEKS
    overview = s["overview"]
    # W45: 20 + 10 + 8 answered + 6 not understood = 44; 11 handed to a person.
    assert row(overview, "2026-W45") == ["2026-W45", "44", "38", "6", "0", "11", "78%", "14%"]
    # W46 has 2 out of scope (small): its answered count would reveal them, so it is hidden.
    week_b = row(overview, "2026-W46")
    assert week_b[1] == "49" and week_b[2] == "x" and week_b[4] == "<5" and week_b[6] == "x"
    per_topic = s["questions_per_topic_and_language"]
    assert per_topic.header[1:5] == ["Polish (pl)", "Bulgarian (bg)", "Romanian (ro)", "Dutch (nl)"]
    assert row(per_topic, "Registration") == ["Registration", "40", "0", "0", "16", "56"]
    assert row(per_topic, "Work")[3] == "<5"
    assert row(per_topic, "(out of scope)")[2] == "<5"
    # Polish: 6 waits, median 17.5 -> 18, 90th percentile 45; Bulgarian: 2 waits, nothing shown.
    assert row(s["per_language"], "Polish (pl)") == [
        "Polish (pl)",
        "52",
        "23%",
        "12",
        "6",
        "18",
        "45",
    ]
    assert row(s["per_language"], "Bulgarian (bg)")[4:] == ["<5", "x", "x"]
    assert row(s["feedback_per_topic"], "Registration") == ["Registration", "x", "<5", "10", "x"]
    assert row(s["municipalities"], "breda")[1:] == ["74", "80%"]
    assert row(s["municipalities"], "etten-leur")[1:] == ["<5", "x"]
    assert row(s["stay_length"], "short (under 4 months)")[1:] == ["52", "56%"]
    check_no_small_number_shown(figures)


def check_no_small_number_shown(figures: Figures) -> None:
    for section in sections(figures):
        for line in section.rows:
            for header, value in zip(section.header, line, strict=True):
                if "minutes" not in header:
                    assert value not in {"1", "2", "3", "4"}, (section.slug, line)
    for line in cube_rows(figures):
        assert line[-1] not in {"1", "2", "3", "4"}, line
