"""Run the bot on Telegram: long polling by default, a webhook when MIP_WEBHOOK_URL is set.

By webhook, an update is answered (HTTP 200) only once it has been handled: Telegram sends a
chat's next update only after the previous one was answered, so a chat's updates stay in
order even when a load balancer spreads them over several replicas (README, "Running several
replicas"); one that a dying replica never answered is sent again.

Stops gracefully on cancellation (SIGTERM, Ctrl-C) or when `stop` is set: the outbox
finishes the message in hand, updates already received are handled (new ones get 503 and
come again, to another replica or after the restart), then the connections close. A webhook
stays registered on shutdown, so Telegram keeps updates during a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Bot, Update

from bot.config import Settings, TelegramSettings
from bot.core.conversation import Conversation
from bot.core.outgoing import OutboxSource
from bot.core.throttle import Throttle, ThrottledConversation
from bot.periodic import every
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.storage.turns import UserTurns
from bot.telegram.adapter import (
    ALLOWED_UPDATES,
    TgApplication,
    build_application,
    set_command_menu,
)
from bot.telegram.delivery import BotSender, OutboxDispatcher
from bot.telegram.signing import CallbackSigner
from bot.telegram.webhook import WebhookServer

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = 6 * 3600.0  # seconds between prunes of the processed-updates table
DRAIN_TIMEOUT = 10.0  # seconds to finish the webhook updates in hand when stopping


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
        turns=UserTurns(db, conversation.states.settled),
    )
    stop = stop or asyncio.Event()

    sender = BotSender(application.bot, adapter.signer)

    dispatcher = OutboxDispatcher(outbox, sender) if outbox is not None else None
    hooked = Handled(application)
    server: WebhookServer | None = None
    async with application:
        await application.start()
        await set_command_menu(application.bot)
        updater = application.updater
        assert updater is not None
        if telegram.webhook is not None:
            hook = telegram.webhook
            server = WebhookServer(hook.path, hook.secret.get(), hooked.receive)
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
            if server is not None:
                await hooked.drain(DRAIN_TIMEOUT)
                await server.stop()
            if dispatcher is not None:
                await dispatcher.stop()
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            if updater.running:
                await updater.stop()
            await application.stop()


class Handled:
    """Webhook updates handled before they are answered, and a count of those in hand."""

    def __init__(self, application: TgApplication) -> None:
        self.application = application
        self.in_hand = 0
        self.stopping = False
        self._idle = asyncio.Event()
        self._idle.set()

    async def receive(self, data: dict[str, Any]) -> None:
        if self.stopping:
            raise tornado.web.HTTPError(HTTPStatus.SERVICE_UNAVAILABLE)
        update = Update.de_json(data, self.application.bot)
        if update is None:
            return
        self.in_hand += 1
        self._idle.clear()
        try:
            # Through the update processor, as a polled update: one chat at a time.
            application = self.application
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        finally:
            self.in_hand -= 1
            if not self.in_hand:
                self._idle.set()

    async def drain(self, within: float) -> None:
        self.stopping = True
        try:
            await asyncio.wait_for(self._idle.wait(), within)
        except TimeoutError:
            log.warning("stopped with %d webhook updates still in hand", self.in_hand)


async def _prune(updates: SqlProcessedUpdates) -> None:
    if removed := await updates.prune():
        log.info("forgot %d processed update ids older than a week", removed)
