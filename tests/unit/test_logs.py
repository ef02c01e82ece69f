"""Logs hold no message text, no Telegram id and no secret, at DEBUG too (bot/logs.py)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.logs import REDACTED, LogSetup, safe_traceback, setup_logging
from bot.storage.db import Database

TOKEN = "7012345678:AAH9dXk2Qw-8LmNopQrsTuvWxYz0123abcd"
WEBHOOK_SECRET = "hook_Secret-1234567890"
TEXT = "Mój szef nie płaci, mój BSN 123456782"

Configure = Callable[..., tuple[LogSetup, io.StringIO]]


@pytest.fixture
def configure() -> Iterator[Configure]:
    """setup_logging as `mip` calls it, writing to a buffer; undone after the test."""
    done: list[LogSetup] = []

    def configure(**env: str) -> tuple[LogSetup, io.StringIO]:
        settings = Settings.from_env(
            {
                "MIP_TELEGRAM_TOKEN": TOKEN,
                "MIP_WEBHOOK_URL": "https://bot.example.nl/hook",
                "MIP_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "MIP_DATABASE_URL": "postgresql+asyncpg://mip:db-Passw0rd!@db/mip",
                **env,
            }
        )
        stream = io.StringIO()
        done.append(setup_logging(settings, stream=stream))
        return done[-1], stream

    yield configure
    for setup in reversed(done):
        setup.undo()


def test_the_token_and_secrets_are_redacted_wherever_they_appear(
    configure: Configure, caplog: pytest.LogCaptureFixture
) -> None:
    _, stream = configure(MIP_LOG_LEVEL="DEBUG")
    log = logging.getLogger("bot.test")
    log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    log.info("url-encoded: %s", TOKEN.replace(":", "%3A"))
    log.warning("secret half alone: " + TOKEN.split(":")[1])
    log.info("another bot's token 5000000001:%s", "B" * 35)
    log.info("webhook %s, database db-Passw0rd!", WEBHOOK_SECRET)
    try:
        raise RuntimeError(f"connect failed for /bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("request failed")
    for output in (stream.getvalue(), caplog.text):
        assert TOKEN not in output and TOKEN.split(":")[1] not in output
        assert "B" * 35 not in output
        assert WEBHOOK_SECRET not in output and "db-Passw0rd!" not in output
        assert output.count(REDACTED) >= 6
        assert "request failed" in output and "RuntimeError" in output


async def test_a_database_error_is_logged_by_type_without_the_statements_values(
    configure: Configure, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    _, stream = configure(MIP_LOG_LEVEL="DEBUG")
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}")
    try:
        async with db.session() as session, session.begin():
            await session.execute(
                text("INSERT INTO no_such_table (user_key, text) VALUES (:u, :t)"),
                {"u": "tg:424242", "t": TEXT},
            )
    except SQLAlchemyError as error:
        # hide_parameters: not even the error's own message quotes the values.
        assert TEXT not in str(error) and "tg:424242" not in str(error)
        logging.getLogger("bot.test").exception("saving failed: %s", error)
    finally:
        await db.dispose()
    for output in (stream.getvalue(), caplog.text):
        assert "saving failed: sqlalchemy.exc.OperationalError" in output
        assert "sqlalchemy.exc.OperationalError" in output and "sqlite3.OperationalError" in output
        assert "no_such_table" not in output  # no exception message at all
        assert TEXT not in output and "tg:424242" not in output


def test_a_librarys_record_next_to_a_traceback_loses_its_arguments(
    configure: Configure, caplog: pytest.LogCaptureFixture
) -> None:
    _, stream = configure()
    update = {"message": {"from": {"id": 424242, "username": "kasia_nl"}, "text": TEXT}}
    try:
        raise ValueError(f"bad update {update}")
    except ValueError as e:
        logging.getLogger("telegram.ext.Updater").critical(
            "Received data was *not* processed! Received data was: %r", update, exc_info=e
        )
    for output in (stream.getvalue(), caplog.text):
        assert "Received data was: %r" in output and "ValueError" in output
        assert TEXT not in output and "424242" not in output and "kasia_nl" not in output


def test_libraries_stay_above_debug_and_the_bot_follows_the_level(
    configure: Configure, caplog: pytest.LogCaptureFixture
) -> None:
    _, stream = configure(MIP_LOG_LEVEL="DEBUG")
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", TEXT)
    logging.getLogger("telegram.Bot").debug("Calling Bot API endpoint with %s", TEXT)
    logging.getLogger("aiosqlite").debug("executing %s", TEXT)
    logging.getLogger("httpx").info("HTTP Request: POST .../sendMessage %s", TEXT)
    logging.getLogger("sqlalchemy.engine.Engine").info("INSERT ... %s", TEXT)
    logging.getLogger("telegram.ext.Application").info("Application started")
    logging.getLogger("bot.core.dialogue").debug("own debug line")
    for output in (stream.getvalue(), caplog.text):
        assert TEXT not in output
        assert "Application started" in output and "own debug line" in output


def test_the_unsafe_switch_lets_libraries_log_at_debug_but_never_the_token(
    configure: Configure, caplog: pytest.LogCaptureFixture
) -> None:
    _, stream = configure(MIP_LOG_LEVEL="DEBUG", MIP_UNSAFE_DEBUG_LOGS="1")
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", TEXT)
    logging.getLogger("httpx").debug("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    for output in (stream.getvalue(), caplog.text):
        assert "MIP_UNSAFE_DEBUG_LOGS=1" in output
        assert TEXT in output  # what the switch is for
        assert TOKEN not in output and REDACTED in output


def test_info_level_keeps_the_bots_debug_lines_out(
    configure: Configure, caplog: pytest.LogCaptureFixture
) -> None:
    _, stream = configure()
    logging.getLogger("bot.core.dialogue").debug("own debug line")
    logging.getLogger("bot.core.dialogue").info("own info line")
    assert "own debug line" not in stream.getvalue() and "own info line" in stream.getvalue()


def test_undo_restores_the_previous_logging(configure: Configure) -> None:
    before = (logging.getLogger().level, logging.getLogger("httpx").level)
    setup, _ = configure(MIP_LOG_LEVEL="DEBUG")
    setup.undo()
    assert (logging.getLogger().level, logging.getLogger("httpx").level) == before
    assert not isinstance(logging.getLogRecordFactory(), type(setup.factory))


def test_a_safe_traceback_names_each_exception_in_the_chain_and_no_message() -> None:
    try:
        try:
            raise KeyError(TEXT)
        except KeyError as inner:
            raise RuntimeError(TEXT) from inner
    except RuntimeError as e:
        shown = safe_traceback(e)
    assert "KeyError" in shown and "RuntimeError" in shown and "which led to" in shown
    assert TEXT not in shown and "raise RuntimeError(TEXT)" in shown  # code lines, not values


def test_a_handler_that_cannot_write_prints_no_traceback(
    configure: Configure, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's logging would print the failure and the exception being handled to stderr."""
    _, stream = configure()
    stream.close()
    try:
        raise RuntimeError(TEXT)
    except RuntimeError:
        logging.getLogger("bot.test").exception("saving failed")
    assert TEXT not in capsys.readouterr().err


def test_the_default_handler_writes_to_standard_error_as_it_is_now(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup = setup_logging(Settings.from_env({"MIP_TELEGRAM_TOKEN": TOKEN}))
    try:
        logging.getLogger("bot.test").warning("to standard error, token %s", TOKEN)
    finally:
        setup.undo()
    err = capsys.readouterr().err
    assert "to standard error, token [REDACTED]" in err
