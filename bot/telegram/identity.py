"""The Bot API's address, built one way for the running bot and for `mip` commands, and the
bot's @name for invite links.

MIP_TELEGRAM_BASE_URL names a server (`http://127.0.0.1:9000`); python-telegram-bot wants
the method prefix (`http://127.0.0.1:9000/bot`), to which it appends the token.
"""

from __future__ import annotations

import httpx
from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from bot.config import Settings

TELEGRAM = "https://api.telegram.org"


class BotApiUnreachable(Exception):
    """The Bot API did not tell who the bot is; the message is one line for the user."""


def server(settings: Settings) -> str:
    """The Bot API server as configured (no token in it: safe to show)."""
    return (settings.telegram_base_url or TELEGRAM).rstrip("/")


def api_urls(settings: Settings) -> tuple[str, str]:
    """python-telegram-bot's base_url and base_file_url for the configured server."""
    base = server(settings)
    return f"{base}/bot", f"{base}/file/bot"


async def bot_username(settings: Settings, request: HTTPXRequest | None = None) -> str:
    """The bot's @name, asked from the Bot API (getMe) at the same address `mip run` uses."""
    base_url, file_url = api_urls(settings)
    try:
        bot = Bot(
            settings.telegram_token.get(),
            base_url=base_url,
            base_file_url=file_url,
            request=request or HTTPXRequest(connect_timeout=5.0, read_timeout=10.0),
        )
        async with bot:
            username = bot.username
    except InvalidToken:
        raise BotApiUnreachable(
            f"the Bot API at {server(settings)} refused the token (check MIP_TELEGRAM_TOKEN)"
        ) from None
    except (TelegramError, httpx.HTTPError, ValueError) as e:
        raise BotApiUnreachable(
            f"cannot reach the Bot API at {server(settings)} ({_reason(e)}); check "
            "MIP_TELEGRAM_BASE_URL, or set MIP_TELEGRAM_BOT_USERNAME to make invites without it"
        ) from None
    if not username:
        raise BotApiUnreachable(f"the Bot API at {server(settings)} gave no bot username")
    return username


def _reason(error: BaseException) -> str:
    """The innermost cause, in one line ("All connection attempts failed")."""
    while True:
        if isinstance(error, BaseExceptionGroup) and error.exceptions:
            error = error.exceptions[0]
        elif error.__cause__ is not None:
            error = error.__cause__
        else:
            break
    return (str(error).split("\n")[0] or type(error).__name__).strip()
