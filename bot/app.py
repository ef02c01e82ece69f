"""Assemble the product from settings: storage, content, language detection, engine, core."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import Settings
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.conversation import Conversation
from bot.core.evenings import Announcer
from bot.core.handoff.hours import Schedule
from bot.core.risk import RiskClassifier
from bot.core.understanding import IntentParser
from bot.engine.client import EngineClient
from bot.engine.process import LocalEngine
from bot.handoff import Handoff, build_handoff
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier
from bot.periodic import background, every
from bot.reporting import (
    Analytics,
    HandoffReporting,
    Pseudonyms,
    QuestionCollector,
    ReportingInsight,
    purge_review_items,
)
from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.outbox import OutboxAnnouncer, SqlOutbox
from bot.storage.privacy import Part
from bot.storage.subscriptions import SqlSubscriptions

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    contract: Contract
    content: ContentStore
    languages: LanguageIdentifier
    engine: EngineClient
    db: Database
    conversation: Conversation
    handoff: Handoff
    outbox: SqlOutbox
    analytics: Analytics
    questions: QuestionCollector

    def running(self) -> contextlib.AbstractAsyncContextManager[None]:
        """The background work of a running bot: the queue's timers and retention purge,
        reloading edited content, writing the anonymous counts."""
        return background(
            queue_timers=every(30.0, self.handoff.timers.sweep, name="queue timers"),
            retention=every(3600.0, self.retention, name="retention purge"),
            content_watch=self.content.watch(),
            report_counts=every(
                5.0, self.conversation.insight.flush, name="report counts", wait_first=True
            ),
        )

    async def retention(self) -> None:
        """Abandoned tickets closed, then everything past the retention period deleted."""
        await self.handoff.stale.close()
        await self.handoff.privacy.purge(dt.timedelta(days=self.settings.retention_days))


def load_contract(settings: Settings) -> Contract:
    return Contract.load(settings.intents_dir / "contract.yml")


@asynccontextmanager
async def engine_client(settings: Settings, *, parse_timeout: float) -> AsyncIterator[EngineClient]:
    """A client of MIP_ENGINE_URL (with MIP_ENGINE_TOKEN) when set; otherwise of the local
    engine, started with its own token and stopped afterwards."""
    if settings.engine_url:
        client = EngineClient(
            settings.engine_url, timeout=parse_timeout, token=settings.engine_token.get() or None
        )
        try:
            yield client
        finally:
            await client.aclose()
        return
    local = LocalEngine(settings)
    async with local as url:
        client = EngineClient(url, timeout=parse_timeout, token=local.token)
        try:
            yield client
        finally:
            await client.aclose()


@asynccontextmanager
async def open_app(settings: Settings) -> AsyncIterator[App]:
    contract = load_contract(settings)
    content = ContentStore(settings.content_dir, SUPPORTED, contract)
    content.load()
    languages = LanguageIdentifier.from_training_data(settings.intents_dir / "data" / "nlu")
    db = Database(settings.database_url)
    await db.migrate()
    async with engine_client(settings, parse_timeout=settings.engine_timeout) as engine:
        conversation, handoff, analytics, questions = assemble(
            settings, contract, content, languages, db, engine
        )
        app = App(
            settings,
            contract,
            content,
            languages,
            engine,
            db,
            conversation,
            handoff,
            SqlOutbox(db),
            analytics,
            questions,
        )
        try:
            yield app
        finally:
            await conversation.flush()
            await db.dispose()


def assemble(
    settings: Settings,
    contract: Contract,
    content: ContentStore,
    languages: LanguageIdentifier,
    db: Database,
    engine: IntentParser,
) -> tuple[Conversation, Handoff, Analytics, QuestionCollector]:
    """The conversation core as every entry point runs it (also the benchmarks and e2e tests):
    storage, the handoff queue, subscriptions and the anonymous reporting hooks."""
    analytics = Analytics(db)
    questions = QuestionCollector(
        db, enabled=settings.collect_questions, pseudonyms=Pseudonyms.for_settings(settings)
    )
    handoff = build_handoff(
        db,
        Schedule.load(settings.content_dir / "handoff.yml"),
        content.title,
        stale_after=dt.timedelta(days=settings.stale_ticket_days),
    )
    handoff.privacy.register(
        Part("review items", forget=questions.forget, purge=purge_review_items)
    )
    handoff.subscribe(HandoffReporting(analytics, questions))
    conversation = Conversation(
        contract,
        content,
        engine,
        languages,
        SqlConversationStates(db),
        handoff=handoff,
        log_text=settings.log_message_text,
        subscriptions=SqlSubscriptions(db),
        insight=ReportingInsight(analytics, questions, batch_seconds=2.0),
        risk=RiskClassifier.from_training_data(settings.intents_dir),
    )
    return conversation, handoff, analytics, questions


def announcer(db: Database) -> Announcer:
    """Where `mip events announce` puts announcements: the outbox, delivered by `mip run`."""
    return OutboxAnnouncer(db)
