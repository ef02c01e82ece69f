"""Settings, read once from MIP_* environment variables (and nowhere else)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


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


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite+aiosqlite:///data/mip.db"
    engine_url: str | None = None
    engine_python: str | None = None
    engine_venv: Path = Path(".mip/engine-venv")
    engine_timeout: float = 1.2  # the whole answer, menu included, within 2 s
    intents_dir: Path = Path("intents")
    content_dir: Path = Path("content")
    telegram_token: Secret = field(default_factory=lambda: Secret(""))
    telegram_base_url: str | None = None
    log_level: str = "INFO"
    log_message_text: bool = False
    retention_days: int = 90
    telegram_bot_username: str | None = None
    collect_questions: bool = False  # keep masked unanswered questions for staff review

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
        retention = get("RETENTION_DAYS") or "90"
        if not retention.isdigit() or int(retention) < 1:
            raise ConfigError(
                f"MIP_RETENTION_DAYS must be a whole number of days (1 or more), not {retention!r}"
            )
        defaults = cls()
        return cls(
            database_url=get("DATABASE_URL") or defaults.database_url,
            engine_url=(get("ENGINE_URL") or "").rstrip("/") or None,
            engine_python=get("ENGINE_PYTHON"),
            engine_venv=Path(get("ENGINE_VENV") or defaults.engine_venv),
            engine_timeout=engine_timeout,
            intents_dir=Path(get("INTENTS_DIR") or defaults.intents_dir),
            content_dir=Path(get("CONTENT_DIR") or defaults.content_dir),
            telegram_token=Secret(get("TELEGRAM_TOKEN") or ""),
            telegram_base_url=get("TELEGRAM_BASE_URL"),
            log_level=level,
            log_message_text=get("LOG_MESSAGE_TEXT") == "1",
            retention_days=int(retention),
            telegram_bot_username=(get("TELEGRAM_BOT_USERNAME") or "").lstrip("@") or None,
            collect_questions=get("COLLECT_QUESTIONS") == "1",
        )
