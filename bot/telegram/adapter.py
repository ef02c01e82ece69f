"""Turn Telegram updates into core events and core replies into Bot API calls.

Long polling; `MIP_TELEGRAM_BASE_URL` points python-telegram-bot at another Bot API server.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import ConfigError, Settings
from bot.content.render import escape_html, render_telegram_html
from bot.core.conversation import Conversation
from bot.core.events import Reply, UserEvent

log = logging.getLogger(__name__)
COMMANDS = (
    "start",
    "menu",
    "help",
    "language",
    "profile",
    "settings",
    "events",
    "subscribe",
    "unsubscribe",
)


def user_key(update: Update) -> str:
    user = update.effective_user
    return (
        f"tg:{user.id}"
        if user
        else f"tg-chat:{update.effective_chat.id if update.effective_chat else 0}"
    )


def hint(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


def html(reply: Reply) -> str:
    return render_telegram_html(reply.text) if reply.markdown else escape_html(reply.text)


class TelegramAdapter:
    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation

    async def deliver(self, update: Update, replies: list[Reply]) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        for reply in replies:
            await chat.send_message(
                html(reply),
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply),
                disable_web_page_preview=True,
            )

    async def on_command(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        text = update.effective_message.text if update.effective_message else ""
        name = (text or "/start").split()[0].split("@")[0]
        event = UserEvent.command(user_key(update), name, hint(update))
        await self.deliver(update, await self.conversation.handle(event))

    async def on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        text = update.effective_message.text if update.effective_message else ""
        event = UserEvent.message(user_key(update), text or "", hint(update))
        await self.deliver(update, await self.conversation.handle(event))

    async def on_button(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        event = UserEvent.button(user_key(update), query.data or "", hint(update))
        await self.deliver(update, await self.conversation.handle(event))

    async def on_other(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        event = UserEvent.media(user_key(update), "media", hint(update))
        await self.deliver(update, await self.conversation.handle(event))

    @staticmethod
    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)


def build_application(settings: Settings, conversation: Conversation) -> Application:  # type: ignore[type-arg]
    token = settings.telegram_token.get()
    if not token:
        raise ConfigError("MIP_TELEGRAM_TOKEN is not set (the token BotFather gave you)")
    builder = ApplicationBuilder().token(token).rate_limiter(AIORateLimiter())
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    application = builder.build()
    adapter = TelegramAdapter(conversation)
    application.add_handler(CommandHandler(list(COMMANDS), adapter.on_command))
    application.add_handler(CallbackQueryHandler(adapter.on_button))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, adapter.on_text))
    application.add_handler(MessageHandler(filters.COMMAND, adapter.on_command))
    application.add_handler(MessageHandler(~filters.UpdateType.EDITED, adapter.on_other))
    application.add_error_handler(adapter.on_error)
    return application


async def run_polling(settings: Settings, conversation: Conversation) -> None:
    application = build_application(settings, conversation)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(drop_pending_updates=False)
        log.info("Telegram bot is polling")
        try:
            await asyncio.Event().wait()
        finally:
            await application.updater.stop()
            await application.stop()
