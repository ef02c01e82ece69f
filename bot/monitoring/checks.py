"""What /readyz asks, and the server's place in `mip run`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from telegram import Bot
from telegram.error import TelegramError

from bot.config import Settings
from bot.engine.client import EngineClient
from bot.monitoring.gauges import DatabaseGauges
from bot.monitoring.metrics import known_crisis_groups
from bot.monitoring.server import Check, MonitoringServer, NotReady, Readiness
from bot.storage.db import Database


def database_check(db: Database) -> Check:
    async def check() -> None:
        async with db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


def engine_check(engine: EngineClient) -> Check:
    async def check() -> None:
        if not await engine.ready():
            raise NotReady(
                f"the engine at {engine.base_url} does not answer /status with a model loaded"
            )

    return check


class TelegramCheck:
    """Ready once the runner receives updates and the Bot API answers getMe."""

    def __init__(self) -> None:
        self.bot: Bot | None = None

    def started(self, bot: Bot) -> None:
        self.bot = bot

    async def __call__(self) -> None:
        if self.bot is None:
            raise NotReady("not receiving updates yet (starting, or stopped)")
        try:
            await self.bot.get_me()
        except TelegramError as e:
            # The type only: a Bot API URL would carry the token.
            raise NotReady(f"the Bot API does not answer getMe ({type(e).__name__})") from e


@asynccontextmanager
async def serve_monitoring(
    settings: Settings, db: Database, engine: EngineClient, crisis_groups: list[str]
) -> AsyncIterator[TelegramCheck | None]:
    """With MIP_METRICS_PORT: the server runs inside this block; yields the Telegram check
    for the runner to arm (None when the port is not set: nothing runs)."""
    if settings.metrics_port is None:
        yield None
        return
    known_crisis_groups(crisis_groups)
    telegram = TelegramCheck()
    readiness = Readiness(
        {"database": database_check(db), "engine": engine_check(engine), "telegram": telegram}
    )
    server = MonitoringServer(
        readiness, DatabaseGauges(db), listen=settings.metrics_listen, port=settings.metrics_port
    )
    async with server:
        yield telegram
