"""The report's queries and the review table on the real PostgreSQL server."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.contract import Contract
from bot.reporting.review import QuestionCollector
from bot.storage.db import Database
from tests.reporting_cases import check_known_counts, seeded_figures

pytestmark = pytest.mark.integration


async def test_report_on_postgresql(pg_db: Database, contract: Contract) -> None:
    check_known_counts(await seeded_figures(pg_db, contract))


async def test_review_items_and_purge_on_postgresql(pg_db: Database) -> None:
    day = dt.date(2026, 11, 20)
    old = QuestionCollector(pg_db, enabled=True, today=lambda: day - dt.timedelta(days=100))
    await old.unanswered("bg", "Казвам се Иван Петров")
    now = QuestionCollector(pg_db, enabled=True, today=lambda: day)
    await now.handoff_question("nl", "health", "bel mij op 06-12345678")
    assert [i.text for i in await now.items()] == ["Казвам се [NAME]", "bel mij op [PHONE]"]
    assert await now.purge(90) == 1
    assert [i.source for i in await now.items()] == ["handoff"]
