"""The canary: a unique string a user sends through Telegram, with a database failure on the
way and logging at DEBUG, is in no log line; after /forget it is in no byte of the SQLite
files (database, write-ahead log, shared memory), and in no row on PostgreSQL.

The path it takes: the user's message (conversation state, a question kept for review),
a ticket that first fails to open (the ticket_messages table is renamed away: a real
database error whose statement carries the canary), then opens, is claimed by a key person
who is not on Telegram (so what the bot writes to them waits in the outbox), and gets one
more message. Before /forget the canary must be in the database, or the test proves nothing.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.config import Settings
from bot.core.handoff.model import ClaimOutcome
from bot.language.i18n import Texts
from bot.logs import setup_logging
from bot.storage.db import Database
from bot.storage.tables import Base
from tests.e2e.botapi_client import Chat
from tests.e2e.conftest import RunningBot, Shared, new_token, start_bot
from tests.integration.conftest import POSTGRES_URL, schema  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e
CODE = re.compile(r"#([A-Z0-9]{4})")
BSN = "123456782"
SETTINGS = {"MIP_LOG_LEVEL": "DEBUG", "MIP_COLLECT_QUESTIONS": "1"}
t = Texts("pl")


@pytest.fixture
def canary() -> str:
    return f"kanarek{uuid.uuid4().hex[:12]}"


class Logs:
    """Everything logged while the bot runs: the process's output and pytest's records."""

    def __init__(self, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
        self.capfd = capfd
        self.caplog = caplog
        self.stderr = ""

    def text(self) -> str:
        out, err = self.capfd.readouterr()
        self.stderr += err
        records = "\n".join(
            f"{r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}" for r in self.caplog.records
        )
        return "\n".join((out, self.stderr, self.caplog.text, records))


@pytest.fixture
def logs(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Logs:
    return Logs(capfd, caplog)


@pytest.fixture
def token(tmp_path: Path) -> str:
    return new_token(tmp_path)


@pytest.fixture
def logging_as_mip_run(token: str, logs: Logs) -> Iterator[None]:
    """`mip run`'s logging at MIP_LOG_LEVEL=DEBUG: to standard error (the process's output,
    captured by capfd, which is why `logs` comes first) and, through the root logger, to
    pytest's handler (caplog)."""
    settings = Settings.from_env({**SETTINGS, "MIP_TELEGRAM_TOKEN": token})
    setup = setup_logging(settings)
    assert logging.getLogger("bot").getEffectiveLevel() == logging.DEBUG
    yield
    setup.undo()


async def canary_conversation(bot: RunningBot, canary: str, break_table: str) -> Chat:
    user = bot.chat("pl")
    token = await bot.queue.key_persons.create_invite(["pl"], "Anna")
    anna = await bot.queue.key_persons.redeem_invite(token, "console:anna", "pl")
    assert anna is not None

    await user.say(f"Mój szef nie płaci mi od marca, mój BSN {BSN}, {canary}")
    await user.reply()
    await user.silence(0.5)
    assert "conversations" in await rows_holding(bot.db, canary)  # its last messages

    async with bot.db.engine.begin() as connection:  # the database fails the next ticket
        await connection.execute(text(f"ALTER TABLE ticket_messages RENAME TO {break_table}"))
    await user.command("/menu")
    menu = await user.reply()
    await user.press(menu, t.gettext("🙋 Talk to a person"))
    sorry = await user.reply()
    assert sorry.plain == t.gettext(
        "Something went wrong on my side. Please try again in a minute."
    )
    async with bot.db.engine.begin() as connection:
        await connection.execute(text(f"ALTER TABLE {break_table} RENAME TO ticket_messages"))

    await user.command("/menu")
    menu = await user.reply()
    await user.press(menu, t.gettext("🙋 Talk to a person"))
    opened = await user.reply()
    match = CODE.search(opened.plain)
    assert match, opened.plain
    outcome, ticket = await bot.queue.claims.claim(anna, match.group(1))
    assert outcome is ClaimOutcome.WON and ticket is not None
    assert any(canary in m.text for m in ticket.messages)
    await user.reply()  # "a key person has taken your question"
    await user.say(f"jeszcze jedno {canary}")  # relayed to Anna: waits in the outbox
    await user.silence(0.5)
    return user


async def erase(user: Chat) -> str:
    """/forget as the user does it; returns the confirmation."""
    await user.command("/forget")
    question = await user.reply()
    await user.press(question, t.gettext("🗑 Yes, erase"))
    done = await user.reply()
    return done.plain


def check_logs(logs: Logs, canary: str, token: str, user_key: str) -> None:
    logged = logs.text()
    assert "the conversation failed on update" in logs.stderr  # the failure was logged there
    assert "the conversation failed on update" in logs.caplog.text
    assert "OperationalError" in logged or "ProgrammingError" in logged
    for secret in (canary, BSN, token, token.split(":")[1], user_key):
        assert secret not in logged, secret


async def rows_holding(db: Database, needle: str) -> list[str]:
    found = []
    async with db.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in (await connection.execute(select(table))).all():
                if needle in repr(tuple(row)):
                    found.append(table.name)
    return found


@pytest.fixture
async def sqlite_bot(
    shared: Shared,
    botapi_url: str,
    engine_url: str,
    tmp_path: Path,
    token: str,
    logging_as_mip_run: None,
) -> AsyncIterator[RunningBot]:
    async for running in start_bot(
        shared, botapi_url, engine_url, tmp_path, token=token, env=SETTINGS
    ):
        yield running


async def test_the_canary_is_in_no_log_and_after_forget_in_no_byte_of_the_sqlite_files(
    sqlite_bot: RunningBot, logs: Logs, canary: str, token: str, tmp_path: Path
) -> None:
    bot = sqlite_bot
    user = await canary_conversation(bot, canary, "ticket_messages_away")
    files = [tmp_path / name for name in ("bot.db", "bot.db-wal", "bot.db-shm")]
    assert any(canary.encode() in f.read_bytes() for f in files if f.exists())
    # A running bot copies its write-ahead log into the database file now and then (every
    # 1000 pages): do it now, so the canary sits in the file's pages when it is deleted.
    assert await bot.db.scrub()
    assert canary.encode() in files[0].read_bytes()
    assert {"ticket_messages", "outbox", "review_items"} <= set(await rows_holding(bot.db, canary))

    confirmation = await erase(user)
    assert "Telegram" in confirmation  # says what cannot be taken back

    assert await rows_holding(bot.db, canary) == []
    for f in files:
        assert f.exists()
        assert canary.encode() not in f.read_bytes(), f.name
        assert BSN.encode() not in f.read_bytes(), f.name
    check_logs(logs, canary, token, f"tg:{user.user_id}")


@pytest.fixture
async def postgres_bot(
    shared: Shared,
    botapi_url: str,
    engine_url: str,
    tmp_path: Path,
    token: str,
    schema: dict[str, Any],  # noqa: F811
    logging_as_mip_run: None,
) -> AsyncIterator[RunningBot]:
    env = {**SETTINGS, "MIP_DATABASE_URL": POSTGRES_URL}
    async for running in start_bot(
        shared, botapi_url, engine_url, tmp_path, token=token, env=env, connect_args=schema
    ):
        yield running


async def test_on_postgresql_no_row_holds_the_canary_after_forget(
    postgres_bot: RunningBot, logs: Logs, canary: str, token: str
) -> None:
    bot = postgres_bot
    user = await canary_conversation(bot, canary, "ticket_messages_away")
    holding = await rows_holding(bot.db, canary)
    assert {"ticket_messages", "outbox", "review_items"} <= set(holding)
    await erase(user)
    assert await rows_holding(bot.db, canary) == []
    assert await rows_holding(bot.db, BSN) == []
    check_logs(logs, canary, token, f"tg:{user.user_id}")
