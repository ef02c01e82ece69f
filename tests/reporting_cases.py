"""A seeded reporting database with known counts, shared by the SQLite and PostgreSQL tests."""

from __future__ import annotations

import datetime as dt

from bot.contract import Contract
from bot.reporting.figures import Figures
from bot.reporting.recorder import Analytics
from bot.reporting.report import load_figures
from bot.reporting.sections import Section, sections
from bot.storage.db import Database

WEEK_A = dt.date(2026, 11, 2)  # Monday of 2026-W45
WEEK_B = dt.date(2026, 11, 10)  # Tuesday of 2026-W46
WAITS_PL = (5, 10, 15, 20, 30, 60)  # median 17.5, p90 (inclusive) 45


async def seed(db: Database) -> None:
    async def on(day: dt.date) -> Analytics:
        return Analytics(db, today=lambda: day)

    a, b = await on(WEEK_A), await on(WEEK_B)
    for _ in range(12):
        await a.answered("pl", "register_brp", "breda", "short")
    for _ in range(7):
        await a.answered("bg", "health_insurance", "breda", "mid")
    for _ in range(3):  # a small count: must show as <5
        await b.answered("ro", "minimum_wage", "tilburg", "long")
    for _ in range(6):
        await b.answered("nl", "get_bsn", None, None)
    for _ in range(5):
        await a.misunderstood("pl", "register_brp", "breda", "short")
    for _ in range(2):
        await b.out_of_scope("bg")
    for _ in range(6):
        await a.handoff_opened("pl", "registration", "breda", "short")
    for _ in range(2):
        await b.handoff_opened("bg", "health")
    for minutes in WAITS_PL:
        await a.first_answer("pl", "registration", minutes)
    for minutes in (3, 400):  # two waits: no median may be shown
        await b.first_answer("bg", "health", minutes)
    for helped in [True] * 8 + [False] * 2:
        await a.feedback("pl", "register_brp", helped)


async def seeded_figures(db: Database, contract: Contract) -> Figures:
    await seed(db)
    return await load_figures(db, contract)


def by_slug(figures: Figures) -> dict[str, Section]:
    return {s.slug: s for s in sections(figures)}


def row(section: Section, label: str) -> list[str]:
    [found] = [list(r) for r in section.rows if r[0] == label]
    return found


def check_known_counts(figures: Figures) -> None:
    """The counts the seed put in, as the report shows them."""
    s = by_slug(figures)
    assert figures.weeks == ["2026-W45", "2026-W46"]
    overview = s["overview"]
    # W45: 19 answered + 5 not understood = 24 questions; 6 handed to a person.
    assert row(overview, "2026-W45") == ["2026-W45", "24", "19", "5", "0", "6", "76%", "21%"]
    # W46: 3 + 6 answered, 2 out of scope (small), 2 handed (small): shares hidden.
    week_b = row(overview, "2026-W46")
    assert week_b[1:4] == ["11", "9", "0"] and week_b[4] == "<5" and week_b[5] == "<5"
    assert week_b[6] == "x"
    per_topic = s["questions_per_topic_and_language"]
    assert per_topic.header[1:5] == ["Polish (pl)", "Bulgarian (bg)", "Romanian (ro)", "Dutch (nl)"]
    assert row(per_topic, "Registration")[1] == "12"
    assert row(per_topic, "Work")[3] == "<5"
    waiting = row(s["per_language"], "Polish (pl)")
    assert waiting[4:] == ["6", "18", "45"]
    assert row(s["per_language"], "Bulgarian (bg)")[4:] == ["<5", "x", "x"]
    feedback = row(s["feedback_per_topic"], "Registration")
    assert feedback == ["Registration", "x", "<5", "10", "x"]
    assert row(s["municipalities"], "tilburg")[1:] == ["<5", "x"]
    assert row(s["municipalities"], "breda")[1] == "24"
