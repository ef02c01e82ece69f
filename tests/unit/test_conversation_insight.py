"""The core reports answered, not understood and out-of-scope questions, with no person in them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.conversation import Conversation
from bot.core.events import UserEvent
from bot.core.understanding import IntentScore
from bot.language.identify import LanguageIdentifier
from bot.reporting import Analytics, QuestionCollector, ReportingInsight
from bot.reporting.tables import AnalyticsEventRow, ReviewItemRow
from bot.storage.conversations import SqlConversationStates
from tests.unit.test_conversation import ScriptedEngine

DAY = dt.date(2026, 11, 23)


def conversation(
    contract: Contract,
    content: ContentStore,
    engine: ScriptedEngine,
    language_id: LanguageIdentifier,
    states: SqlConversationStates,
    *,
    collect: bool,
) -> Conversation:
    insight = ReportingInsight(
        Analytics(states.db, today=lambda: DAY),
        QuestionCollector(states.db, enabled=collect, today=lambda: DAY),
    )
    return Conversation(contract, content, engine, language_id, states, insight=insight)


async def events(states: SqlConversationStates) -> list[tuple[str, str | None, str | None]]:
    async with states.db.session() as session:
        rows = (
            await session.scalars(select(AnalyticsEventRow).order_by(AnalyticsEventRow.id))
        ).all()
    assert all(r.day == DAY for r in rows)
    return [(r.kind, r.language, r.intent) for r in rows]


async def review_texts(states: SqlConversationStates) -> list[str]:
    async with states.db.session() as session:
        return list((await session.scalars(select(ReviewItemRow.text))).all())


async def test_answers_misses_and_out_of_scope_are_counted(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> None:
    engine = ScriptedEngine()
    core = conversation(contract, content, engine, language_id, sqlite_states, collect=False)
    await core.handle(UserEvent.message("tg:1", "jak się zameldować w gminie"))
    await core.handle(UserEvent.button("tg:1", callbacks.answer("get_bsn")))
    engine.intent = "nlu_fallback"
    engine.ranking = (IntentScore("nlu_fallback", 0.4), IntentScore("find_doctor", 0.3))
    await core.handle(UserEvent.message("tg:1", "Nazywam się Jan Kowalski i mam pytanie o lekarza"))
    engine.intent, engine.ranking = "out_of_scope", ()
    await core.handle(UserEvent.message("tg:1", "kto wygra mecz legia dzisiaj"))
    assert await events(sqlite_states) == [
        ("question_answered", "pl", "find_doctor"),
        ("question_answered", "pl", "get_bsn"),
        ("misunderstood", "pl", "find_doctor"),
        ("out_of_scope", "pl", None),
    ]
    assert await review_texts(sqlite_states) == []  # collection is off by default


async def test_unanswered_questions_are_kept_masked_when_collection_is_on(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> None:
    engine = ScriptedEngine(intent="nlu_fallback", confidence=0.3)
    core = conversation(contract, content, engine, language_id, sqlite_states, collect=True)
    await core.handle(UserEvent.message("tg:2", "Nazywam się Jan Kowalski, tel. 0612345678"))
    assert await review_texts(sqlite_states) == ["Nazywam się [NAME], tel. [PHONE]"]


async def test_no_user_key_in_the_reporting_tables(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> None:
    engine = ScriptedEngine()
    core = conversation(contract, content, engine, language_id, sqlite_states, collect=True)
    await core.handle(UserEvent.message("tg:777", "jak się zameldować w gminie"))
    columns = set(AnalyticsEventRow.__table__.columns.keys()) | set(
        ReviewItemRow.__table__.columns.keys()
    )
    assert not {"user_key", "chat_id", "user_id", "created_at"} & columns
    async with sqlite_states.db.session() as session:
        row = (await session.scalars(select(AnalyticsEventRow))).one()
    assert "777" not in repr(vars(row))
