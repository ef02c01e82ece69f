"""The Bot API emulator and the bot under test, running against it."""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import assemble
from bot.config import Secret, Settings, TelegramSettings, Webhook
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.outgoing import OutboxSource
from bot.engine.client import EngineClient
from bot.handoff import Handoff
from bot.language.identify import LanguageIdentifier
from bot.storage.db import Database
from bot.storage.outbox import SqlOutbox
from bot.telegram.delivery import PER_CHAT_GAP
from bot.telegram.runner import run
from tests.conftest import CONTENT, ROOT
from tests.e2e.botapi_client import Chat
from tests.e2e.engine_switch import EngineSwitch

BOTAPI = ROOT / "tests" / "e2e" / "botapi"
_tokens = itertools.count(1)


@pytest.fixture(scope="session")
def botapi_url() -> Iterator[str]:
    """telegram-test-api, installed by `make test` (npm ci into tests/e2e/botapi)."""
    from bot.engine.process import free_port

    node = shutil.which("node")
    if node is None or not (BOTAPI / "node_modules" / "telegram-test-api").is_dir():
        pytest.fail("the Bot API emulator is not installed: run `make botapi` (needs Node.js)")
    port = free_port()
    with subprocess.Popen(
        [node, "server.js", str(port)], cwd=BOTAPI, stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("ready"), f"emulator did not start: {line!r}"
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


@dataclass(frozen=True)
class Shared:
    contract: Contract
    content: ContentStore
    languages: LanguageIdentifier


@dataclass
class RunningBot:
    token: str
    http: httpx.AsyncClient
    switch: EngineSwitch
    db: Database
    queue: Handoff

    def chat(self, language_code: str | None = None) -> Chat:
        return Chat(self.http, self.token, language_code)


async def start_bot(
    shared: Shared,
    botapi_url: str,
    engine_url: str,
    tmp_path: Path,
    webhook: Webhook | None = None,
    outbox: OutboxSource | None = None,
    *,
    token: str | None = None,
    env: dict[str, str] | None = None,
    connect_args: dict[str, Any] | None = None,
) -> AsyncIterator[RunningBot]:
    """`mip run` in-process: the real runner, PTB over HTTP to the emulator, the handoff
    queue and its outbox on the same database (relays go through the production dispatcher;
    `outbox` replaces it for tests of the dispatcher itself). `env`: more MIP_* settings
    (e.g. another MIP_DATABASE_URL, with `connect_args` for its connections)."""
    token = token or new_token(tmp_path)
    switch = EngineSwitch(engine_url)
    await switch.start()
    settings = Settings.from_env(
        {
            "MIP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "MIP_ENGINE_URL": switch.url,
            "MIP_TELEGRAM_TOKEN": token,
            "MIP_TELEGRAM_BASE_URL": botapi_url,
            "MIP_CONTENT_DIR": str(CONTENT),
            **(env or {}),
        }
    )
    telegram = TelegramSettings(Secret("e2e-callback-secret"), webhook)
    db = Database(settings.database_url, connect_args=connect_args)
    await db.migrate()
    # As bot.app.open_app assembles it, with the session's content and language model
    # (building the language model takes ~10 s; the bot does it once at start).
    engine = EngineClient(switch.url, timeout=settings.engine_timeout)
    conversation, queue, _, _ = assemble(
        settings, shared.contract, shared.content, shared.languages, db, engine
    )
    outbox = outbox or SqlOutbox(db, prefix="tg:", spacing=PER_CHAT_GAP)
    stop, started = asyncio.Event(), asyncio.Event()
    async with httpx.AsyncClient(base_url=botapi_url) as http:
        task = asyncio.create_task(
            run(
                settings,
                conversation,
                db,
                outbox=outbox,
                telegram=telegram,
                stop=stop,
                started=started,
            )
        )
        waiting = asyncio.create_task(started.wait())
        await asyncio.wait({task, waiting}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        if task.done():
            task.result()  # raises what stopped the bot
        assert started.is_set(), "the bot did not start within 20 s"
        try:
            yield RunningBot(token, http, switch, db, queue)
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)
            await conversation.flush()
            await switch.stop()
            await engine.aclose()
            await db.dispose()


def new_token(tmp_path: Path) -> str:
    """A bot token the emulator accepts, new for each bot (update ids count per token)."""
    return f"{next(_tokens)}{os.getpid()}:e2e-{tmp_path.name}"


@pytest.fixture
def shared(contract: Contract, content: ContentStore, language_id: LanguageIdentifier) -> Shared:
    return Shared(contract, content, language_id)


@pytest.fixture
async def bot(
    shared: Shared, botapi_url: str, engine_url: str, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    async for running in start_bot(shared, botapi_url, engine_url, tmp_path):
        yield running
