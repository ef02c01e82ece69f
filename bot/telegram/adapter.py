"""The Telegram adapter: updates in, core events through, replies out as Bot API calls.

Only bot/telegram/ imports `telegram`. The pieces: `mapping` (update -> event, reply ->
message parts), `signing` (callback data HMAC), `request` (retries that never double-send),
`delivery` (delivers messages the core wrote for other users), `webhook` (the webhook server),
`runner` (polling or webhook).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Awaitable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    TypeHandler,
)
from telegram.request import HTTPXRequest

from bot.config import ConfigError, Settings
from bot.core.conversation import Once
from bot.core.events import Reply, UserEvent
from bot.language.codes import DEFAULT, SUPPORTED, normalise
from bot.language.i18n import Texts
from bot.monitoring.metrics import REPLY_SECONDS, UPDATES
from bot.telegram.identity import api_urls
from bot.telegram.mapping import OutgoingPart, event_for, is_private, parts_for
from bot.telegram.request import RetryingRequest
from bot.telegram.signing import CallbackSigner

log = logging.getLogger(__name__)

# Only what the bot uses: no channel posts, reactions or member lists of others.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
GROUP_CHATS = (ChatType.GROUP, ChatType.SUPERGROUP)
JOINED = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
# Remembered groups already told "private chat only" (per process: at worst once more after
# a restart, never once per message).
MAX_TOLD_GROUPS = 10_000

TgApplication = Application[Any, Any, Any, Any, Any, Any]
TgContext = ContextTypes.DEFAULT_TYPE


class EventHandler(Protocol):
    async def handle(self, event: UserEvent, *, once: Once | None = None) -> list[Reply]: ...


class UpdateLog(Protocol):
    """Remembers handled updates (bot.storage.processed_updates.SqlProcessedUpdates)."""

    async def claim(self, bot_id: int, update_id: int) -> bool: ...


class Turns(Protocol):
    """One update of a user at a time across processes (bot.storage.turns.UserTurns)."""

    def of(self, user_key: str) -> AbstractAsyncContextManager[None]: ...


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of one chat strictly in order, different chats concurrently.

    A conversation's state is read, changed and written per update; two updates of the same
    chat at once would overwrite each other. One slow user never holds up the others.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user else None


def _kind(update: Update) -> str:
    if update.callback_query is not None:
        return "button"
    return "message" if update.message is not None else "other"


class TelegramAdapter:
    def __init__(
        self,
        handler: EventHandler,
        signer: CallbackSigner,
        updates: UpdateLog | None = None,
        turns: Turns | None = None,
    ) -> None:
        self.handler = handler
        self.signer = signer
        self.updates = updates
        self.turns = turns
        self._told_groups: set[int] = set()

    # -- handlers ---------------------------------------------------------------------------

    async def first_time(self, update: Update, bot: Bot) -> bool:
        """False when this update was handled before (Telegram redelivers after a restart)."""
        if self.updates is None or await self.updates.claim(bot.id, update.update_id):
            return True
        log.info("update %d was handled before; skipped", update.update_id)
        return False

    async def on_update(self, update: Update, context: TgContext) -> None:
        received = time.perf_counter()
        UPDATES.labels(_kind(update)).inc()
        if update.callback_query is not None:
            # Stops the client's spinner; failing to do so must not cost the answer.
            try:
                await update.callback_query.answer()
            except TelegramError as e:
                log.warning("could not answer callback query: %s", e)
        event = event_for(update, self.signer) if is_private(update) else None
        if event is None or update.effective_chat is None:
            if not await self.first_time(update, context.bot):
                return
            if update.my_chat_member is not None:
                await self.on_membership(update, context)
            elif not is_private(update):
                await self.on_group_message(update, context)
            return

        chat_id = update.effective_chat.id
        async with contextlib.AsyncExitStack() as turn:
            taken = False

            async def once() -> bool:
                # The user's turn before the check: an update that another replica is
                # handling (Telegram sent it again) is then acknowledged only after it was
                # handled there, so the user's next update cannot overtake it.
                nonlocal taken
                if self.turns is not None and not taken:
                    taken = True
                    await turn.enter_async_context(self.turns.of(event.user_key))
                return await self.first_time(update, context.bot)

            try:
                # The core checks `once` while the engine already reads the message.
                replies = await self.handler.handle(event, once=once)
            except Exception:
                # The user hears something either way; the error handler is for Telegram errors.
                log.exception("the conversation failed on update %d", update.update_id)
                replies = [self.sorry(event.locale_hint)]
            # Sent within the turn: the next update of this user, here or on another
            # replica, is answered after these replies.
            await self.send(context.bot, chat_id, replies)
            REPLY_SECONDS.observe(time.perf_counter() - received)

    async def on_membership(self, update: Update, context: TgContext) -> None:
        change = update.my_chat_member
        assert change is not None
        chat = change.chat
        if chat.type in GROUP_CHATS and change.new_chat_member.status in JOINED:
            await self.tell_group(context.bot, chat.id, change.from_user.language_code)

    async def on_group_message(self, update: Update, context: TgContext) -> None:
        chat = update.effective_chat
        if chat is None or chat.type not in GROUP_CHATS or chat.id in self._told_groups:
            return
        hint = update.effective_user.language_code if update.effective_user else None
        await self.tell_group(context.bot, chat.id, hint)

    async def tell_group(self, bot: Bot, chat_id: int, hint: str | None) -> None:
        if len(self._told_groups) >= MAX_TOLD_GROUPS:
            self._told_groups.clear()
        self._told_groups.add(chat_id)
        language = normalise(hint)
        languages = (language,) if language else SUPPORTED
        text = "\n".join(
            Texts(code).gettext(
                "I answer questions only in a private chat, to keep your questions private. Write to me directly."
            )
            for code in languages
        )
        label = Texts(language or DEFAULT).gettext("💬 Open a private chat")
        markup = (
            InlineKeyboardMarkup([[InlineKeyboardButton(label, url=bot.link)]])
            if bot.username
            else None
        )
        await bot.send_message(chat_id, text, reply_markup=markup)

    @staticmethod
    def sorry(hint: str | None) -> Reply:
        language = normalise(hint) or DEFAULT
        return Reply(
            Texts(language).gettext(
                "Something went wrong on my side. Please try again in a minute."
            ),
            language=language,
        )

    @staticmethod
    async def on_error(update: object, context: TgContext) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("error while handling update %s", update_id, exc_info=context.error)

    # -- sending ----------------------------------------------------------------------------

    async def send(self, bot: Bot, chat_id: int, replies: list[Reply]) -> None:
        for reply in replies:
            for part in parts_for(reply, chat_id, self.signer):
                await send_part(bot, chat_id, part)


async def send_part(bot: Bot, chat_id: int, part: OutgoingPart) -> None:
    await bot.send_message(
        chat_id,
        part.html,
        parse_mode=ParseMode.HTML,
        reply_markup=part.markup,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


def build_application(
    settings: Settings,
    handler: EventHandler,
    signer: CallbackSigner,
    updates: UpdateLog | None = None,
    *,
    request: HTTPXRequest | None = None,
    turns: Turns | None = None,
) -> tuple[TgApplication, TelegramAdapter]:
    """The PTB Application with the adapter's handlers (not started)."""
    token = settings.telegram_token.get()
    if not token:
        raise ConfigError("MIP_TELEGRAM_TOKEN is not set (the token BotFather gave you)")
    builder = (
        ApplicationBuilder()
        .token(token)
        .request(request or RetryingRequest(connection_pool_size=64))
        .get_updates_request(HTTPXRequest(connection_pool_size=2))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if settings.telegram_base_url:
        base_url, file_url = api_urls(settings)
        builder = builder.base_url(base_url).base_file_url(file_url)
    application: TgApplication = builder.build()
    adapter = TelegramAdapter(handler, signer, updates, turns)
    application.add_handler(TypeHandler(Update, adapter.on_update))
    application.add_error_handler(adapter.on_error)
    return application, adapter


def command_menu(language: str) -> list[tuple[str, str]]:
    t = Texts(language)
    return [
        ("start", t.gettext("Start")),
        ("menu", t.gettext("Topics")),
        ("language", t.gettext("Change language")),
        ("help", t.gettext("What I can do")),
        ("profile", t.gettext("My stay and municipality")),
        ("events", t.gettext("Information evenings")),
        ("forget", t.gettext("Erase my data")),
    ]


async def set_command_menu(bot: Bot) -> None:
    """The command menu in Telegram's clients, per interface language."""
    # A Bot API server without setMyCommands is no reason to stop.
    try:
        await bot.set_my_commands(command_menu(DEFAULT))
        for language in SUPPORTED:
            await bot.set_my_commands(command_menu(language), language_code=language)
    except TelegramError as e:
        log.warning("could not set the command menu: %s", e)
