"""Assemble the product from settings: storage, content, language detection, engine, core."""

from __future__ import annotations

import asyncio
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
from bot.core.early_parse import IntentParser
from bot.core.evenings import Announcer
from bot.core.handoff.hours import Schedule
from bot.engine.client import EngineClient
from bot.engine.process import LocalEngine
from bot.handoff.queue import HandoffQueue
from bot.handoff.worker import run_timers
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier
from bot.reporting import Analytics, QuestionCollector, ReportingInsight
from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.outbox import OutboxAnnouncer, SqlOutbox
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
    queue: HandoffQueue
    outbox: SqlOutbox
    analytics: Analytics
    questions: QuestionCollector

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The background work of a running bot: the queue's timers and retention purge,
        reloading edited content, writing the anonymous counts."""
        timers = asyncio.create_task(
            run_timers(self.queue, dt.timedelta(days=self.settings.retention_days)),
            name="queue-timers",
        )
        counts = asyncio.create_task(self._flush_counts(), name="report-counts")
        content = asyncio.create_task(self.content.watch(), name="content-watch")
        try:
            yield
        finally:
            for task in (timers, counts, content):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _flush_counts(self, every: float = 5.0) -> None:
        """Anonymous counts are written in batches; a quiet bot still writes them soon."""
        while True:
            await asyncio.sleep(every)
            await self.conversation.insight.flush()


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
        conversation, queue, analytics, questions = assemble(
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
            queue,
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
) -> tuple[Conversation, HandoffQueue, Analytics, QuestionCollector]:
    """The conversation core as every entry point runs it (also the benchmarks and e2e tests):
    storage, the handoff queue, subscriptions and the anonymous reporting hooks."""
    analytics = Analytics(db)
    questions = QuestionCollector(db, enabled=settings.collect_questions)
    queue = HandoffQueue(
        db,
        Schedule.load(settings.content_dir / "handoff.yml"),
        content.title,
        analytics=analytics,
        questions=questions,
    )
    conversation = Conversation(
        contract,
        content,
        engine,
        languages,
        SqlConversationStates(db),
        handoff=queue,
        log_text=settings.log_message_text,
        subscriptions=SqlSubscriptions(db),
        insight=ReportingInsight(analytics, questions, batch_seconds=2.0),
    )
    return conversation, queue, analytics, questions


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
