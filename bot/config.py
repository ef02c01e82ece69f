"""Settings, read once from MIP_* environment variables (and nowhere else): one `Settings`
object, with the Telegram adapter's own part (webhook, callback key) in `Settings.telegram`.
A missing or malformed variable fails at start, naming the variable."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Secret:
    """A string that never shows itself in logs, reprs or tracebacks."""

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")

# What Telegram accepts as a webhook secret token (Bot API setWebhook).
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class Webhook:
    url: str  # the public HTTPS address Telegram posts to
    secret: Secret  # sent back by Telegram in X-Telegram-Bot-Api-Secret-Token
    listen: str = "0.0.0.0"
    port: int = 8080

    @property
    def path(self) -> str:
        """The local path the webhook server answers on: the public URL's path."""
        return urlsplit(self.url).path.strip("/")


@dataclass(frozen=True)
class TelegramSettings:
    callback_secret: Secret = field(default_factory=lambda: Secret(""))
    webhook: Webhook | None = None  # None: long polling

    @classmethod
    def from_env(cls, token: Secret, env: dict[str, str] | None = None) -> TelegramSettings:
        env = dict(os.environ if env is None else env)

        def get(name: str) -> str | None:
            value = env.get(f"MIP_{name}", "").strip()
            return value or None

        return cls(
            callback_secret=Secret(get("CALLBACK_SECRET") or derive_secret(token)),
            webhook=_webhook(get),
        )


def derive_secret(token: Secret) -> str:
    """A callback key derived from the bot token, so a fresh install needs no extra setting."""
    return hmac.new(token.get().encode(), b"mip callback data v1", hashlib.sha256).hexdigest()


def _webhook(get: Callable[[str], str | None]) -> Webhook | None:
    url = get("WEBHOOK_URL")
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ConfigError(f"MIP_WEBHOOK_URL must be an https:// address, not {url!r}")
    secret = get("WEBHOOK_SECRET")
    if secret is None:
        raise ConfigError(
            "MIP_WEBHOOK_SECRET is not set: with MIP_WEBHOOK_URL, Telegram must prove each "
            "request with a secret token (1-256 characters A-Z, a-z, 0-9, _ and -)"
        )
    if not SECRET_TOKEN.match(secret):
        raise ConfigError(
            "MIP_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256 characters)"
        )
    port_text = get("WEBHOOK_PORT") or "8080"
    try:
        port = int(port_text)
    except ValueError:
        raise ConfigError(f"MIP_WEBHOOK_PORT must be a port number, not {port_text!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"MIP_WEBHOOK_PORT must be between 1 and 65535, not {port}")
    return Webhook(url, Secret(secret), get("WEBHOOK_LISTEN") or "0.0.0.0", port)


def read_secret(env: dict[str, str], name: str) -> str | None:
    """MIP_<name>, or the content of the file named by MIP_<name>_FILE (a Docker or
    Kubernetes secret): a secret given as a file stays out of `docker inspect` and `ps e`."""
    value = env.get(f"MIP_{name}", "").strip()
    path = env.get(f"MIP_{name}_FILE", "").strip()
    if value and path:
        raise ConfigError(f"set MIP_{name} or MIP_{name}_FILE, not both")
    if not path:
        return value or None
    try:
        return Path(path).read_text(encoding="utf-8").strip() or None
    except OSError as e:
        raise ConfigError(f"MIP_{name}_FILE={path} cannot be read: {e.strerror}") from None


def with_password(url: str, password: str | None) -> str:
    """The database URL with MIP_DATABASE_PASSWORD put in, quoted, so that any character
    (@ : / %) is safe and the password need not sit in the URL's own variable."""
    if password is None:
        return url
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at or not userinfo:
        raise ConfigError(
            "MIP_DATABASE_PASSWORD needs a user in MIP_DATABASE_URL, e.g. postgresql+asyncpg://mip@db/mip"
        )
    if ":" in userinfo:
        raise ConfigError(
            "MIP_DATABASE_URL has a password already; with MIP_DATABASE_PASSWORD leave it out"
        )
    netloc = f"{userinfo}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def _port(get: Callable[[str], str | None], name: str) -> int | None:
    text = get(name)
    if text is None:
        return None
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"MIP_{name} must be a port number (1-65535), not {text!r}")
    return int(text)


@dataclass(frozen=True)
class Settings:
    # With MIP_DATABASE_PASSWORD(_FILE) the password is inside: never printed.
    database_url: str = field(default="sqlite+aiosqlite:///data/mip.db", repr=False)
    engine_url: str | None = None
    # Sent as ?token= (Rasa's --auth-token); the local engine makes its own when unset.
    engine_token: Secret = field(default_factory=lambda: Secret(""))
    engine_python: str | None = None
    engine_venv: Path = Path(".mip/engine-venv")
    engine_timeout: float = 1.2  # the whole answer, menu included, within 2 s
    intents_dir: Path = Path("intents")
    content_dir: Path = Path("content")
    telegram_token: Secret = field(default_factory=lambda: Secret(""))
    telegram_base_url: str | None = None
    log_level: str = "INFO"
    log_message_text: bool = False
    log_format: str = "text"  # "json": one JSON object per line
    metrics_port: int | None = None  # /healthz, /readyz, /metrics; off when None
    metrics_listen: str = "0.0.0.0"
    # Libraries' DEBUG logs and exception messages, which hold personal data (bot/logs.py).
    unsafe_debug_logs: bool = False
    retention_days: int = 90
    # Open or claimed tickets with no message for this long are closed (bot/handoff/retention.py).
    stale_ticket_days: int = 14
    telegram_bot_username: str | None = None
    collect_questions: bool = False  # keep masked unanswered questions for staff review
    telegram: TelegramSettings = field(default_factory=lambda: TelegramSettings())

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)

        def get(name: str) -> str | None:
            value = env.get(f"MIP_{name}", "").strip()
            return value or None

        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise ConfigError(
                f"MIP_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}"
            )
        timeout = get("ENGINE_TIMEOUT") or str(cls.engine_timeout)
        try:
            engine_timeout = float(timeout)
        except ValueError:
            raise ConfigError(
                f"MIP_ENGINE_TIMEOUT must be a number of seconds, not {timeout!r}"
            ) from None
        retention = _days(get, "RETENTION_DAYS", 90)
        stale = _days(get, "STALE_TICKET_DAYS", 14)
        log_format = (get("LOG_FORMAT") or "text").lower()
        if log_format not in LOG_FORMATS:
            raise ConfigError(f"MIP_LOG_FORMAT must be text or json, not {log_format!r}")
        defaults = cls()
        token = Secret(read_secret(env, "TELEGRAM_TOKEN") or "")
        return cls(
            database_url=with_password(
                get("DATABASE_URL") or defaults.database_url, read_secret(env, "DATABASE_PASSWORD")
            ),
            engine_url=(get("ENGINE_URL") or "").rstrip("/") or None,
            engine_token=Secret(read_secret(env, "ENGINE_TOKEN") or ""),
            engine_python=get("ENGINE_PYTHON"),
            engine_venv=Path(get("ENGINE_VENV") or defaults.engine_venv),
            engine_timeout=engine_timeout,
            intents_dir=Path(get("INTENTS_DIR") or defaults.intents_dir),
            content_dir=Path(get("CONTENT_DIR") or defaults.content_dir),
            telegram_token=token,
            telegram_base_url=get("TELEGRAM_BASE_URL"),
            log_level=level,
            log_message_text=get("LOG_MESSAGE_TEXT") == "1",
            log_format=log_format,
            metrics_port=_port(get, "METRICS_PORT"),
            metrics_listen=get("METRICS_LISTEN") or defaults.metrics_listen,
            unsafe_debug_logs=get("UNSAFE_DEBUG_LOGS") == "1",
            retention_days=retention,
            stale_ticket_days=stale,
            telegram_bot_username=(get("TELEGRAM_BOT_USERNAME") or "").lstrip("@") or None,
            collect_questions=get("COLLECT_QUESTIONS") == "1",
            telegram=TelegramSettings.from_env(token, env),
        )


def _days(get: Callable[[str], str | None], name: str, default: int) -> int:
    value = get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"MIP_{name} must be a whole number of days (1 or more), not {value!r}")
    return int(value)
