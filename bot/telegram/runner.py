"""Run the bot on Telegram: long polling by default, a webhook when MIP_WEBHOOK_URL is set.

Stops gracefully on cancellation (SIGTERM, Ctrl-C) or when `stop` is set: the outbox
finishes the message in hand, updates already received are handled, then the connections
close. A webhook stays registered on shutdown, so Telegram keeps updates during a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from telegram import Bot, Update

from bot.config import Settings, TelegramSettings
from bot.core.conversation import Conversation
from bot.core.outgoing import OutboxSource
from bot.core.throttle import Throttle, ThrottledConversation
from bot.periodic import every
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.telegram.adapter import ALLOWED_UPDATES, build_application, set_command_menu
from bot.telegram.delivery import BotSender, OutboxDispatcher
from bot.telegram.signing import CallbackSigner
from bot.telegram.webhook import WebhookServer

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = 6 * 3600.0  # seconds between prunes of the processed-updates table


async def run(
    settings: Settings,
    conversation: Conversation,
    db: Database,
    *,
    outbox: OutboxSource | None = None,
    telegram: TelegramSettings | None = None,
    stop: asyncio.Event | None = None,
    started: asyncio.Event | None = None,
    on_started: Callable[[Bot], None] | None = None,
) -> None:
    """Serve until cancelled or `stop` is set; `started` is set and `on_started` called with
    the Bot (for the readiness check) once updates are received."""
    telegram = telegram or settings.telegram
    updates = SqlProcessedUpdates(db)
    application, adapter = build_application(
        settings,
        ThrottledConversation(conversation, Throttle()),
        CallbackSigner(telegram.callback_secret.get()),
        updates,
    )
    stop = stop or asyncio.Event()

    sender = BotSender(application.bot, adapter.signer)

    async def receive(data: dict[str, Any]) -> None:
        update = Update.de_json(data, application.bot)
        if update is not None:
            await application.update_queue.put(update)

    dispatcher = OutboxDispatcher(outbox, sender) if outbox is not None else None
    server: WebhookServer | None = None
    async with application:
        await application.start()
        await set_command_menu(application.bot)
        updater = application.updater
        assert updater is not None
        if telegram.webhook is not None:
            hook = telegram.webhook
            server = WebhookServer(hook.path, hook.secret.get(), receive)
            server.start(hook.listen, hook.port)
            await application.bot.set_webhook(
                hook.url, secret_token=hook.secret.get(), allowed_updates=list(ALLOWED_UPDATES)
            )
            log.info("Telegram bot receives updates by webhook on %s:%d", hook.listen, hook.port)
        else:
            await updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
            log.info("Telegram bot is polling")
        housekeeping = asyncio.create_task(
            every(HOUSEKEEPING_EVERY, partial(_prune, updates), name="pruning processed updates"),
            name="housekeeping",
        )
        if dispatcher is not None:
            dispatcher.start()
        if on_started is not None:
            on_started(application.bot)
        if started is not None:
            started.set()
        try:
            await stop.wait()
        finally:
            log.info("Telegram bot is stopping")
            if dispatcher is not None:
                await dispatcher.stop()
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            if server is not None:
                await server.stop()
            if updater.running:
                await updater.stop()
            await application.stop()


async def _prune(updates: SqlProcessedUpdates) -> None:
    if removed := await updates.prune():
        log.info("forgot %d processed update ids older than a week", removed)
