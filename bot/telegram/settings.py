"""Telegram-only settings (MIP_WEBHOOK_*, MIP_CALLBACK_SECRET), read once at start.

Kept beside the adapter rather than in bot/config.py: nothing else needs them, and the
token and Bot API base URL stay in the shared Settings.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.config import ConfigError, Secret

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
