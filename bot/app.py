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
        retention = dt.timedelta(days=self.settings.retention_days)
        return background(
            queue_timers=every(30.0, self.handoff.timers.sweep, name="queue timers"),
            retention=every(
                3600.0, lambda: self.handoff.privacy.purge(retention), name="retention purge"
            ),
            content_watch=self.content.watch(),
            report_counts=every(
                5.0, self.conversation.insight.flush, name="report counts", wait_first=True
            ),
        )


def load_contract(settings: Settings) -> Contract:
    return Contract.load(settings.intents_dir / "contract.yml")


@asynccontextmanager
async def engine_url(settings: Settings) -> AsyncIterator[str]:
    """MIP_ENGINE_URL when set; otherwise start the local engine and stop it afterwards."""
    if settings.engine_url:
        yield settings.engine_url
        return
    async with LocalEngine(settings) as url:
        yield url


@asynccontextmanager
async def open_app(settings: Settings) -> AsyncIterator[App]:
    contract = load_contract(settings)
    content = ContentStore(settings.content_dir, SUPPORTED, contract)
    content.load()
    languages = LanguageIdentifier.from_training_data(settings.intents_dir / "data" / "nlu")
    db = Database(settings.database_url)
    await db.migrate()
    async with engine_url(settings) as url:
        engine = EngineClient(url, timeout=settings.engine_timeout)
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
            await engine.aclose()
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
    questions = QuestionCollector(db, enabled=settings.collect_questions)
    handoff = build_handoff(db, Schedule.load(settings.content_dir / "handoff.yml"), content.title)
    handoff.privacy.register(Part("review items", purge=purge_review_items))
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


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Bot API URLs contain the token; request lines stay out of the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def announcer(db: Database) -> Announcer:
    """Where `mip events announce` puts announcements: the outbox, delivered by `mip run`."""
    return OutboxAnnouncer(db)
