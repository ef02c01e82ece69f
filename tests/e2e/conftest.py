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

import httpx
import pytest

from bot.app import open_app
from bot.config import Secret, Settings
from bot.telegram.runner import run
from bot.telegram.settings import TelegramSettings, Webhook
from tests.conftest import CONTENT, INTENTS, ROOT
from tests.e2e.botapi_client import Chat
from tests.e2e.engine_switch import EngineSwitch

BOTAPI = ROOT / "tests" / "e2e" / "botapi"
_tokens = itertools.count(1)


@pytest.fixture(scope="session")
def botapi_url() -> Iterator[str]:
    """telegram-test-api, installed by `make test` (npm ci into tests/e2e/botapi)."""
    node = shutil.which("node")
    if node is None or not (BOTAPI / "node_modules" / "telegram-test-api").is_dir():
        pytest.fail("the Bot API emulator is not installed: run `make botapi` (needs Node.js)")
    from bot.engine.process import free_port

    port = free_port()
    process = subprocess.Popen(
        [node, "server.js", str(port)], cwd=BOTAPI, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready"), f"emulator did not start: {line!r}"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class RunningBot:
    token: str
    http: httpx.AsyncClient
    switch: EngineSwitch
    db_url: str

    def chat(self, language_code: str | None = None) -> Chat:
        return Chat(self.http, self.token, language_code)


async def start_bot(
    botapi_url: str, engine_url: str, tmp_path: Path, webhook: Webhook | None = None
) -> AsyncIterator[RunningBot]:
    token = f"{next(_tokens)}{os.getpid()}:e2e-token-{tmp_path.name}"
    switch = EngineSwitch(engine_url)
    await switch.start()
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    settings = Settings.from_env(
        {
            "MIP_DATABASE_URL": db_url,
            "MIP_ENGINE_URL": switch.url,
            "MIP_INTENTS_DIR": str(INTENTS),
            "MIP_CONTENT_DIR": str(CONTENT),
            "MIP_TELEGRAM_TOKEN": token,
            "MIP_TELEGRAM_BASE_URL": botapi_url,
        }
    )
    telegram = TelegramSettings(Secret("e2e-callback-secret"), webhook)
    stop, started = asyncio.Event(), asyncio.Event()
    async with open_app(settings) as app, httpx.AsyncClient(base_url=botapi_url) as http:
        task = asyncio.create_task(
            run(settings, app.conversation, app.db, telegram=telegram, stop=stop, started=started)
        )
        waiting = asyncio.create_task(started.wait())
        await asyncio.wait({task, waiting}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # raises what stopped the bot
        assert started.is_set(), "the bot did not start within 20 s"
        try:
            yield RunningBot(token, http, switch, db_url)
        finally:
            stop.set()
            await asyncio.wait_for(task, 20)
            await switch.stop()


@pytest.fixture
async def bot(botapi_url: str, engine_url: str, tmp_path: Path) -> AsyncIterator[RunningBot]:
    async for running in start_bot(botapi_url, engine_url, tmp_path):
        yield running
