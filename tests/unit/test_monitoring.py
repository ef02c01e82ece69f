"""/healthz, /readyz and /metrics of MIP_METRICS_PORT on a real database; JSON logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot.core.events import Reply
from bot.monitoring.checks import database_check
from bot.monitoring.gauges import DatabaseGauges
from bot.monitoring.logs import JsonFormatter
from bot.monitoring.metrics import DEAD_LETTERS
from bot.monitoring.server import MonitoringServer, NotReady, Readiness
from bot.storage.db import Database
from bot.storage.outbox import SqlOutbox, enqueue
from bot.storage.tables import DeadLetterRow, KeyPersonRow, OutboxRow, TicketRow

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}")
    await database.migrate()
    yield database
    await database.dispose()


def ticket(code: str, language: str, status: str, queued_minutes_ago: float) -> TicketRow:
    queued = NOW - dt.timedelta(minutes=queued_minutes_ago)
    return TicketRow(
        code=code,
        user_key=f"tg:{code}",
        language=language,
        status=status,
        reason="asked",
        created_at=queued,
        queued_at=queued,
        promised_by=queued + dt.timedelta(hours=1),
    )


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def get(server: MonitoringServer, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
        return await http.get(path)


async def test_metrics_show_the_queue_the_outbox_and_key_persons(db: Database) -> None:
    async with db.session() as session, session.begin():
        session.add_all(
            [
                ticket("AAAA", "pl", "open", 30),
                ticket("BBBB", "pl", "open", 5),
                ticket("CCCC", "pl", "claimed", 50),
                ticket("DDDD", "bg", "open", 1),
                ticket("EEEE", "ro", "closed", 90),
                KeyPersonRow(
                    user_key="tg:1",
                    languages="pl,nl",
                    ui_language="pl",
                    available=True,
                    created_at=NOW,
                ),
                KeyPersonRow(
                    user_key="tg:2",
                    languages="pl",
                    ui_language="pl",
                    available=False,
                    created_at=NOW,
                ),
                OutboxRow(
                    recipient="tg:9", payload="{}", not_before=NOW - dt.timedelta(seconds=40)
                ),
                OutboxRow(recipient="tg:9", payload="{}", not_before=NOW + dt.timedelta(hours=1)),
            ]
        )
    server = MonitoringServer(Readiness({}), DatabaseGauges(db), listen="127.0.0.1")
    async with server:
        response = await get(server, "/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    got = samples(response.text)
    # The gauges measure ages against the clock; NOW was taken when the module was imported,
    # which in a full run can be minutes before this test.
    late = (dt.datetime.now(dt.UTC) - NOW).total_seconds()
    assert got[("mip_tickets_open", (("language", "pl"), ("state", "waiting")))] == 2
    assert got[("mip_tickets_open", (("language", "pl"), ("state", "claimed")))] == 1
    assert got[("mip_tickets_open", (("language", "bg"), ("state", "waiting")))] == 1
    assert not any(k[0] == "mip_tickets_open" and ("language", "ro") in k[1] for k in got)
    oldest_pl = got[("mip_ticket_oldest_waiting_seconds", (("language", "pl"),))]
    assert 30 * 60 - 5 < oldest_pl - late < 30 * 60 + 60
    assert got[("mip_outbox_rows", ())] == 2
    # The scheduled one is not due.
    assert 35 <= got[("mip_outbox_oldest_due_seconds", ())] - late < 100
    assert got[("mip_keypersons_available", (("language", "pl"),))] == 1
    assert got[("mip_keypersons_available", (("language", "nl"),))] == 1
    # The counters of the process are there from the start, at 0 until something happens.
    assert ("mip_engine_errors_total", (("reason", "unavailable"),)) in got
    assert ("mip_outbox_dead_letters_total", ()) in got


async def test_a_message_given_up_counts_as_a_dead_letter(db: Database) -> None:
    async with db.session() as session, session.begin():
        for recipient in ("tg:9", "tg:10"):
            enqueue(session, recipient, Reply("hallo"), NOW)
    outbox = SqlOutbox(db)
    refused, uncertain = sorted(await outbox.due(), key=lambda m: m.recipient)[::-1]
    before = DEAD_LETTERS._value.get()
    await outbox.mark_dead(refused, "Forbidden: bot was blocked by the user")
    assert DEAD_LETTERS._value.get() == before + 1
    # Sent with no answer: it may have arrived, so it is kept as a dead letter, not counted.
    await outbox.mark_uncertain(uncertain, "timed out", parts_sent=1, parts=1)
    assert DEAD_LETTERS._value.get() == before + 1
    assert await outbox.pending() == 0
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(DeadLetterRow)) == 2


async def test_readiness_names_what_is_missing_and_health_does_not_ask(db: Database) -> None:
    async def engine_down() -> None:
        raise NotReady("the engine at http://engine:5005 does not answer")

    ready = MonitoringServer(Readiness({"database": database_check(db)}), listen="127.0.0.1")
    not_ready = MonitoringServer(
        Readiness({"database": database_check(db), "engine": engine_down}), listen="127.0.0.1"
    )
    async with ready, not_ready:
        ok = await get(ready, "/readyz")
        assert ok.status_code == 200
        assert ok.json() == {"ready": True, "checks": {"database": "ok"}}
        failing = await get(not_ready, "/readyz")
        assert failing.status_code == 503
        assert failing.json()["checks"] == {
            "database": "ok",
            "engine": "the engine at http://engine:5005 does not answer",
        }
        assert (await get(not_ready, "/healthz")).status_code == 200
        assert (await get(not_ready, "/nothing")).status_code == 404
        async with httpx.AsyncClient() as http:
            posted = await http.post(f"http://127.0.0.1:{ready.port}/metrics")
        assert posted.status_code == 405


async def test_a_broken_database_fails_readiness_and_leaves_the_gauges_out(tmp_path: Path) -> None:
    # A directory where the database file should be: every connection fails.
    broken = tmp_path / "db"
    broken.mkdir()
    db = Database(f"sqlite+aiosqlite:///{broken}")
    server = MonitoringServer(
        Readiness({"database": database_check(db)}), DatabaseGauges(db), listen="127.0.0.1"
    )
    try:
        async with server:
            readyz = await get(server, "/readyz")
            metrics = await get(server, "/metrics")
    finally:
        await db.dispose()
    assert readyz.status_code == 503
    assert "OperationalError" in readyz.json()["checks"]["database"]
    assert metrics.status_code == 200
    assert "mip_tickets_open" not in metrics.text
    assert "mip_updates_handled_total" in metrics.text


async def test_a_request_that_is_not_http_gets_400() -> None:
    import asyncio

    server = MonitoringServer(Readiness({}), listen="127.0.0.1")
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"hello\r\n\r\n")
        await writer.drain()
        answer = await reader.read()
        writer.close()
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_json_logs_are_one_object_per_line() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord(
        "bot.core", logging.WARNING, __file__, 1, "crisis fast path: %s", ("suicide",), None
    )
    record.ticket = "K7Q2"
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        failed = logging.LogRecord(
            "bot.app", logging.ERROR, __file__, 2, "it failed", (), sys.exc_info()
        )
    line = formatter.format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "bot.core"
    assert entry["message"] == "crisis fast path: suicide" and entry["ticket"] == "K7Q2"
    assert entry["time"].endswith("+00:00")
    error = formatter.format(failed)
    assert "\n" not in error
    assert "ValueError: boom" in json.loads(error)["exc"]
