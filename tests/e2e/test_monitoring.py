"""`mip run` with MIP_METRICS_PORT against the Bot API emulator: /healthz, /readyz, /metrics
move with the messages it handles, and readiness names the engine when it goes away."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.engine.process import free_port
from bot.storage.db import Database
from bot.storage.tables import KeyPersonRow, OutboxRow, TicketRow
from tests.conftest import CONTENT, ROOT
from tests.e2e.botapi_client import Chat
from tests.e2e.engine_switch import EngineSwitch

pytestmark = pytest.mark.e2e

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@dataclass
class Process:
    token: str
    monitor: httpx.AsyncClient
    botapi: httpx.AsyncClient
    switch: EngineSwitch
    database_url: str
    log: Path

    async def metrics(self) -> Samples:
        response = await self.monitor.get("/metrics")
        assert response.status_code == 200
        return {
            (s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples
        }


async def wait_for(what: str, check: Callable[[], Awaitable[bool]], within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if await check():
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what} within {within:.0f} s")


@pytest.fixture
async def mip_run(botapi_url: str, engine_url: str, tmp_path: Path) -> AsyncIterator[Process]:
    port = free_port()
    token = f"7{os.getpid()}:e2e-monitoring"
    switch = EngineSwitch(engine_url)
    await switch.start()
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    env = {
        **os.environ,
        "MIP_DATABASE_URL": database_url,
        "MIP_ENGINE_URL": switch.url,
        "MIP_TELEGRAM_TOKEN": token,
        "MIP_TELEGRAM_BASE_URL": botapi_url,
        "MIP_CONTENT_DIR": str(CONTENT),
        "MIP_METRICS_PORT": str(port),
        "MIP_METRICS_LISTEN": "127.0.0.1",
        "MIP_LOG_FORMAT": "json",
    }
    log = tmp_path / "mip-run.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as monitor,
            httpx.AsyncClient(base_url=botapi_url) as botapi,
        ):
            yield Process(token, monitor, botapi, switch, database_url, log)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()
        await switch.stop()


async def test_health_readiness_and_metrics_of_a_running_bot(mip_run: Process) -> None:
    bot = mip_run

    async def healthy() -> bool:
        return (await bot.monitor.get("/healthz")).status_code == 200

    async def ready() -> bool:
        return (await bot.monitor.get("/readyz")).status_code == 200

    # The language model takes some seconds to build before the bot listens.
    await wait_for("/healthz answers", healthy, 90)
    await wait_for("/readyz says ready", ready, 30)
    readyz = (await bot.monitor.get("/readyz")).json()
    assert readyz == {
        "ready": True,
        "checks": {"database": "ok", "engine": "ok", "telegram": "ok"},
    }

    before = await bot.metrics()
    assert before[("mip_updates_handled_total", (("kind", "message"),))] == 0
    assert before[("mip_reply_seconds_count", ())] == 0
    assert before[("mip_crisis_answers_total", (("group", "suicide"),))] == 0
    assert before[("mip_outbox_dead_letters_total", ())] == 0
    assert before[("mip_outbox_rows", ())] == 0

    chat = Chat(bot.botapi, bot.token, "pl")
    await chat.say("jak sie zameldowac w gminie?")
    await chat.reply(within=15)
    await chat.say("nie chce mi się żyć")
    await chat.reply(within=15)
    # A ticket waiting for a Polish key person, a key person away and an outbox message for
    # another transport (the Telegram dispatcher leaves it): rows as the handoff writes them.
    now = dt.datetime.now(dt.UTC)
    db = Database(bot.database_url)
    try:
        async with db.session() as session, session.begin():
            session.add_all(
                [
                    TicketRow(
                        code="K7Q2",
                        user_key="tg:1",
                        language="pl",
                        status="open",
                        reason="asked",
                        created_at=now - dt.timedelta(minutes=3),
                        queued_at=now - dt.timedelta(minutes=3),
                        promised_by=now + dt.timedelta(hours=1),
                    ),
                    KeyPersonRow(user_key="tg:2", languages="bg", ui_language="bg", created_at=now),
                    OutboxRow(recipient="console:x", payload="{}", not_before=now),
                ]
            )
    finally:
        await db.dispose()
    await asyncio.sleep(5.5)  # the database gauges are cached for 5 s

    after = await bot.metrics()
    assert after[("mip_updates_handled_total", (("kind", "message"),))] == 2
    assert after[("mip_reply_seconds_count", ())] == 2
    assert 0 < after[("mip_reply_seconds_sum", ())] < 10
    assert after[("mip_engine_seconds_count", ())] >= 1
    assert after[("mip_crisis_answers_total", (("group", "suicide"),))] == 1
    assert after[("mip_tickets_open", (("language", "pl"), ("state", "waiting")))] == 1
    assert 170 < after[("mip_ticket_oldest_waiting_seconds", (("language", "pl"),))] < 300
    assert after[("mip_keypersons_available", (("language", "bg"),))] == 1
    assert after[("mip_outbox_rows", ())] == 1
    assert after[("mip_outbox_oldest_due_seconds", ())] >= 5

    # The engine goes away: readiness says so (after its 2 s cache), health does not care.
    await bot.switch.stop()
    await asyncio.sleep(2.5)
    failing = await bot.monitor.get("/readyz")
    assert failing.status_code == 503
    checks = failing.json()["checks"]
    assert checks["database"] == "ok" and checks["telegram"] == "ok"
    assert "does not answer" in checks["engine"]
    assert (await bot.monitor.get("/healthz")).status_code == 200

    # Logs: one JSON object per line, no message text, no token.
    lines = [line for line in bot.log.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]
    assert any(e["logger"] == "bot.monitoring.server" for e in entries)
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    text = bot.log.read_text()
    assert "zameldowac" not in text and "żyć" not in text
    assert bot.token.split(":")[1] not in text
