"""Assemble the product from settings: storage, content, language detection, engine, core."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import ConfigError, Settings
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.announcements import Announcer
from bot.core.conversation import Conversation
from bot.engine.client import EngineClient
from bot.engine.process import LocalEngine
from bot.language_id import LanguageIdentifier
from bot.languages import SUPPORTED
from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
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
        conversation = Conversation(
            contract,
            content,
            engine,
            languages,
            SqlConversationStates(db),
            log_text=settings.log_message_text,
            subscriptions=SqlSubscriptions(db),
        )
        try:
            yield App(settings, contract, content, languages, engine, db, conversation)
        finally:
            await engine.aclose()
            await db.dispose()


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Bot API URLs contain the token; request lines stay out of the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def announcer(db: Database) -> Announcer:
    """Where `mip events announce` puts announcements.

    The outbox table (handoff issue) is the real destination; until it is merged, this
    refuses, so that no event is marked announced without being queued.
    """
    raise ConfigError(
        "announcements need the outbox, which this build does not have yet; use --dry-run"
    )
