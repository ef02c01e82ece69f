"""The unanswered-question loop: kept only when switched on, masked, exported, purged."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.cli.main import main
from bot.core.clock import SystemClock
from bot.reporting.review import Pseudonyms, QuestionCollector, export_yaml
from bot.reporting.tables import ReviewItemRow
from bot.storage.db import Database

DAY = dt.date(2026, 11, 20)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}")
    await database.migrate()
    yield database
    await database.dispose()


async def test_nothing_is_kept_when_collection_is_off(db: Database) -> None:
    collector = QuestionCollector(db, enabled=False)
    await collector.unanswered("pl", "Nazywam się Jan Kowalski")
    await collector.handoff_question("pl", "registration", "tel 0612345678")
    assert await collector.items() == []


async def test_questions_are_masked_before_they_are_stored(db: Database) -> None:
    collector = QuestionCollector(db, enabled=True, today=lambda: DAY)
    await collector.unanswered("nl", "Ik heet Piet de Vries, bel 06-12345678", "register_brp")
    await collector.handoff_question("bg", "health", "Казвам се Иван Петров")
    await collector.suggested_answer("ro", "work", "Sunați la 0800 123 456 pentru ajutor.")
    async with db.session() as session:
        stored = [r.text for r in (await session.scalars(select(ReviewItemRow))).all()]
    assert stored[0] == "Ik heet [NAME], bel [PHONE]"
    assert "Иван" not in stored[1] and "[NAME]" in stored[1]
    items = await collector.items()
    assert [i.source for i in items] == ["unanswered", "handoff", "suggested"]
    assert items[0].intent == "register_brp" and items[0].day == DAY


async def test_it_can_join_the_callers_transaction(db: Database) -> None:
    collector = QuestionCollector(db, enabled=True, today=lambda: DAY)
    async with db.session() as session:
        await collector.handoff_question("pl", None, "cofnięte", session=session)
        await session.rollback()  # the caller's work failed: nothing of it is kept
        await collector.handoff_question("pl", None, "zapisane", session=session)
        await session.commit()
    assert [i.text for i in await collector.items()] == ["zapisane"]


async def test_export_is_yaml_staff_can_read(db: Database) -> None:
    collector = QuestionCollector(db, enabled=True, today=lambda: DAY)
    await collector.unanswered("pl", "Czy mogę dostać zasiłek? Mój PESEL 85010112345", "allowances")
    text = export_yaml(await collector.items(), exported=dt.date(2026, 11, 23))
    assert text.startswith("# Questions the bot could not answer")
    document = yaml.safe_load(text)
    assert document["exported"] == "2026-11-23" and document["count"] == 1
    assert document["items"] == [
        {
            "day": "2026-11-20",
            "language": "pl",
            "source": "unanswered",
            "guessed_intent": "allowances",
            "text": "Czy mogę dostać zasiłek? Mój PESEL [NUMBER]",
        }
    ]
    assert "zasiłek" in text  # not escaped: readable as it is


async def test_purge_removes_items_older_than_the_retention(db: Database) -> None:
    old = QuestionCollector(db, enabled=True, today=lambda: DAY - dt.timedelta(days=91))
    recent = QuestionCollector(db, enabled=True, today=lambda: DAY - dt.timedelta(days=90))
    await old.unanswered("nl", "oud")
    await recent.unanswered("nl", "recent")
    now = QuestionCollector(db, enabled=True, today=lambda: DAY)
    assert await now.purge(90) == 1
    assert [i.text for i in await now.items()] == ["recent"]


def test_review_export_command_writes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MIP_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    out = tmp_path / "review.yaml"
    assert main(["review", "export", "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["items"] == []
    assert "MIP_COLLECT_QUESTIONS is off" in capsys.readouterr().err
    assert main(["review", "purge", "--days", "30"]) == 0


async def test_forget_finds_the_authors_items_by_a_keyed_hash(db: Database) -> None:
    pseudonyms = Pseudonyms(b"k" * 32)
    monday = QuestionCollector(db, enabled=True, today=lambda: DAY, pseudonyms=pseudonyms)
    tuesday = QuestionCollector(
        db, enabled=True, today=lambda: DAY + dt.timedelta(days=1), pseudonyms=pseudonyms
    )
    await monday.unanswered("pl", "pierwsze pytanie", user_key="tg:4242")
    await tuesday.handoff_question("pl", None, "drugie pytanie", user_key="tg:4242")
    await tuesday.suggested_answer("pl", None, "odpowiedź dla niego", user_key="tg:4242")
    await monday.out_of_scope("pl", "cudze pytanie", user_key="tg:77")
    await monday.unanswered("pl", "bez autora")  # e.g. `mip` commands: nobody to link
    async with db.session() as session:
        subjects = list((await session.scalars(select(ReviewItemRow.subject))).all())
    assert not any(s and "4242" in s for s in subjects)
    assert len(set(subjects)) == 4  # one author on two days: two unlinkable subjects
    async with db.session() as session, session.begin():
        assert await monday.forget(session, "tg:4242", SystemClock()) == 3
    assert [i.text for i in await monday.items()] == ["cudze pytanie", "bez autora"]
    export = export_yaml(await monday.items(), exported=DAY)
    assert "subject" not in export


async def test_without_pseudonyms_nothing_can_be_found_or_erased(db: Database) -> None:
    collector = QuestionCollector(db, enabled=True, today=lambda: DAY)
    await collector.unanswered("nl", "een vraag", user_key="tg:1")
    async with db.session() as session, session.begin():
        assert await collector.forget(session, "tg:1", SystemClock()) == 0
    assert len(await collector.items()) == 1
