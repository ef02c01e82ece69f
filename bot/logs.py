"""Logs that hold no message text, name, Telegram id or secret, at every level.

Three rules, applied to every log record of the process (a record factory, so they hold for
every handler, pytest's too, and for records of any library):

1. Exceptions are logged by type and where they happened, never by their message: a
   database error's message quotes the statement's parameters (a user's text, `tg:<id>`),
   an HTTP error's the URL (the bot token). A record's own arguments that are exceptions
   are shown as their type; a library's record that carries a traceback loses its arguments
   too (python-telegram-bot logs a whole update next to an error).
2. Libraries log at INFO at most, whatever MIP_LOG_LEVEL says: at DEBUG python-telegram-bot
   logs every update (user id, username, names, text) and the Bot API URL with the token,
   httpx and httpcore request lines with the token, SQLAlchemy and aiosqlite statements
   with their parameters and rows. httpx, httpcore and SQLAlchemy stay at WARNING. The
   bot's own loggers (`bot.*`) follow MIP_LOG_LEVEL.
3. The bot token, the webhook and callback secrets and the database password are replaced
   by `[REDACTED]` wherever they appear, and so is anything shaped like a bot token.

MIP_UNSAFE_DEBUG_LOGS=1 lifts rules 1 and 2 for debugging on a test system: logs then hold
message text, names and Telegram ids. Rule 3 always holds.

A handler that fails to write (a closed stream) stays silent: by default logging would print
the failure's traceback to standard error, and with it the exception being handled when the
line was logged, message and all.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from bot.config import Settings
from bot.monitoring.logs import JsonFormatter

REDACTED = "[REDACTED]"
# A Telegram bot token: the bot's id, a colon, 35 characters of secret.
TOKEN_SHAPE = re.compile(r"\b\d{5,15}(?::|%3A)[A-Za-z0-9_-]{30,}")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OWN = "bot"
# Libraries that log secrets or personal data at INFO as well: kept at WARNING.
QUIET = ("httpx", "httpcore", "sqlalchemy")
MIN_SECRET = 6  # shorter strings are not redacted: they would blank out ordinary words


def safe_traceback(error: BaseException) -> str:
    """The traceback of `error` and its causes: frames and exception types, no messages."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts = []
    for exc in reversed(chain):
        frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        parts.append(
            f"Traceback (most recent call last):\n{frames}{error_type(exc)} "
            "(message not logged: it may quote personal data)"
        )
    return "\n\nwhich led to:\n\n".join(parts)


def error_type(error: BaseException) -> str:
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    if isinstance(error, BaseExceptionGroup):
        name += "[" + ", ".join(error_type(e) for e in error.exceptions) + "]"
    return name


class Redactor:
    """Replaces the given secrets, and anything shaped like a bot token, by [REDACTED]."""

    def __init__(self, secrets: Iterable[str]) -> None:
        found: set[str] = set()
        for secret in secrets:
            if len(secret) < MIN_SECRET:
                continue
            found.update({secret, quote(secret, safe="")})
            _, colon, tail = secret.partition(":")
            if colon and len(tail) >= 16:  # a token's secret half on its own
                found.add(tail)
        ordered = sorted(found, key=len, reverse=True)
        self._secrets = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text: str) -> str:
        if self._secrets is not None:
            text = self._secrets.sub(REDACTED, text)
        return TOKEN_SHAPE.sub(REDACTED, text)


class SafeRecords:
    """A log record factory that applies the rules above to each record as it is made."""

    def __init__(self, redact: Redactor, *, unsafe: bool, base: Any = None) -> None:
        self.redact = redact
        self.unsafe = unsafe
        self.base = base or logging.getLogRecordFactory()

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = self.base(*args, **kwargs)
        try:
            self._clean(record)
        except Exception:  # a record that cannot be made safe loses its details, not its line
            record.msg = f"{record.msg if isinstance(record.msg, str) else '?'} (details dropped)"
            record.args, record.exc_info, record.exc_text = None, None, None
            record.msg = self.redact(record.msg)
        return record

    def _clean(self, record: logging.LogRecord) -> None:
        own = record.name == OWN or record.name.startswith(OWN + ".")
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(record.msg, BaseException) and not self.unsafe:
            record.msg = error_type(record.msg)
        if error is not None:
            if self.unsafe:
                record.exc_text = "".join(traceback.format_exception(error)).rstrip("\n")
            else:
                record.exc_text = safe_traceback(error)
                if not own:  # a library's words around a traceback may quote the update
                    record.args = None
            record.exc_info = None  # formatters use exc_text as it is now
        if record.args and not self.unsafe:
            record.args = _safe_args(record.args)
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)


def _safe_args(args: tuple[Any, ...] | Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
    def safe(value: Any) -> Any:
        return error_type(value) if isinstance(value, BaseException) else value

    if isinstance(args, Mapping):
        return {key: safe(value) for key, value in args.items()}
    return tuple(safe(value) for value in args)


def secrets_of(settings: Settings) -> list[str]:
    found = [settings.telegram_token.get(), settings.telegram.callback_secret.get()]
    if settings.telegram.webhook is not None:
        found.append(settings.telegram.webhook.secret.get())
    try:
        password = urlsplit(settings.database_url).password
    except ValueError:
        password = None
    if password:
        found.append(password)
    return [s for s in found if s]


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to `sys.stderr` as it is when the line is written, not when logging was set up
    (a test's capture, a daemon's redirection)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


@dataclass
class LogSetup:
    """What `setup_logging` changed, so that tests can undo it."""

    handler: logging.Handler
    factory: SafeRecords
    levels: dict[str, int]
    raise_exceptions: bool = True

    def undo(self) -> None:
        logging.raiseExceptions = self.raise_exceptions
        logging.getLogger().removeHandler(self.handler)
        if logging.getLogRecordFactory() is self.factory:
            logging.setLogRecordFactory(self.factory.base)
        for name, level in self.levels.items():
            logging.getLogger(name or None).setLevel(level)


def setup_logging(settings: Settings, *, stream: Any = None) -> LogSetup:
    """Log to standard error at MIP_LOG_LEVEL, by the rules in this module's docstring."""
    level = logging.getLevelName(settings.log_level)
    unsafe = settings.unsafe_debug_logs
    root = logging.getLogger()
    for old in list(root.handlers):  # a second call replaces the first
        if getattr(old, "mip", False):
            root.removeHandler(old)
    current = logging.getLogRecordFactory()
    if isinstance(current, SafeRecords):
        current = current.base
    factory = SafeRecords(Redactor(secrets_of(settings)), unsafe=unsafe, base=current)
    logging.setLogRecordFactory(factory)
    handler: logging.Handler = (
        logging.StreamHandler(stream) if stream is not None else StderrHandler()
    )
    handler.setFormatter(
        JsonFormatter() if settings.log_format == "json" else logging.Formatter(FORMAT)
    )
    handler.mip = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    names = ["", OWN, *QUIET]
    levels = {name: logging.getLogger(name or None).level for name in names}
    raise_exceptions, logging.raiseExceptions = logging.raiseExceptions, False
    if unsafe:
        root.setLevel(level)
        for name in (OWN, *QUIET):
            logging.getLogger(name).setLevel(logging.NOTSET)
        logging.getLogger(__name__).warning(
            "MIP_UNSAFE_DEBUG_LOGS=1: logs may now hold message text, names and Telegram ids"
        )
    else:
        root.setLevel(max(level, logging.INFO))
        logging.getLogger(OWN).setLevel(level)
        for name in QUIET:
            logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return LogSetup(handler, factory, levels, raise_exceptions)
