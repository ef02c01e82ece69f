"""Telegram updates in, core events out (and core replies into Bot API message parts).

Pure functions over python-telegram-bot's objects: no network, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, MessageLimit

from bot.content.render import escape_html, render_telegram_html
from bot.core.events import Reply, UserEvent
from bot.core.textsize import cut_utf16, split_utf16, utf16_len
from bot.telegram.signing import CallbackSigner

# Telegram caps a message at 4096 UTF-16 units; an emulator or a client may not.
MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
# What is not text, by the Message attribute that holds it (checked in this order).
MEDIA = (
    "sticker",
    "photo",
    "animation",
    "video",
    "video_note",
    "voice",
    "audio",
    "document",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
)
# Stands in for button data that failed verification: the core rejects it as expired.
EXPIRED = ""


def user_key(user_id: int) -> str:
    return f"tg:{user_id}"


def chat_id_of(key: str) -> int | None:
    """The private chat of a "tg:<id>" user key (a private chat's id is the user's)."""
    prefix, _, number = key.partition(":")
    if prefix != "tg" or not number.lstrip("-").isdigit():
        return None
    return int(number)


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def command_args(text: str) -> str:
    """What follows a command (e.g. a /start deep-link payload), for future handlers."""
    match = COMMAND.match(text.strip())
    return (match.group(2) or "").strip() if match else ""


def event_for(update: Update, signer: CallbackSigner) -> UserEvent | None:
    """The core event for an update in a private chat; None for what needs no answer."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    key, hint = user_key(user.id), user.language_code
    if (query := update.callback_query) is not None:
        chat = query.message.chat.id if query.message else user.id
        payload = signer.verify(chat, query.data or "")
        return UserEvent.button(key, EXPIRED if payload is None else payload, hint)
    # An edited message is a correction: the core answers it as the corrected question, or,
    # inside a ticket, passes it on once, marked as a correction. An edited command is not
    # run again (an edited /done must not close a second question).
    message = update.message or update.edited_message
    if message is None:
        return None
    return _message_event(message, key, hint, edited=update.message is None)


def _message_event(
    message: Message, key: str, hint: str | None, *, edited: bool = False
) -> UserEvent | None:
    text = message.text if message.text is not None else message.caption
    if text is not None:
        text = cut_utf16(text, MAX_TEXT)
        if message.text is not None and (match := COMMAND.match(text.strip())):
            if edited:
                return None
            return UserEvent.command(key, match.group(1), hint, args=match.group(2) or "")
        if text.strip() or message.text is not None:
            return UserEvent.message(key, text, hint, edited=edited)
    if edited:
        return None  # a changed photo or sticker: nothing new to answer
    for kind in MEDIA:
        if getattr(message, kind, None):
            return UserEvent.media(key, kind, hint)
    return None  # service messages (pinned, joined...): nothing to answer


@dataclass(frozen=True)
class OutgoingPart:
    """One Bot API sendMessage: HTML text and, on the last part, the buttons."""

    html: str
    markup: InlineKeyboardMarkup | None


def parts_for(reply: Reply, chat_id: int, signer: CallbackSigner) -> list[OutgoingPart]:
    chunks = _chunks(reply)
    markup = _markup(reply, chat_id, signer)
    return [
        OutgoingPart(chunk, markup if i == len(chunks) - 1 else None)
        for i, chunk in enumerate(chunks)
    ]


def _chunks(reply: Reply) -> list[str]:
    """The reply as messages within Telegram's limit, counted as Telegram counts: UTF-16
    units of the text the user sees. Plain text is measured as it is (escaping adds no
    visible characters); rendered Markdown by its HTML, a safe upper bound."""
    if not reply.markdown:
        return [escape_html(piece) for piece in split_utf16(reply.text, MAX_TEXT)]
    whole = render_telegram_html(reply.text)
    if utf16_len(whole) <= MAX_TEXT:
        return [whole]
    # Split the source between paragraphs, so no markup is cut in two.
    chunks: list[str] = []
    current = ""
    for paragraph in reply.text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if current and utf16_len(render_telegram_html(candidate)) > MAX_TEXT:
            chunks.append(current)
            current = paragraph
        else:
            current = candidate
    chunks.append(current)
    return [html for chunk in chunks for html in _fit(chunk)]


def _fit(markdown: str) -> list[str]:
    """A paragraph longer than a message: its source split in halves (at lines or words)
    until each renders within the limit. Markup spanning a break is lost; no answer is
    that long."""
    html = render_telegram_html(markdown)
    if utf16_len(html) <= MAX_TEXT:
        return [html]
    half = max(2, utf16_len(markdown) // 2)
    return [part for piece in split_utf16(markdown, half) for part in _fit(piece)]


def _markup(reply: Reply, chat_id: int, signer: CallbackSigner) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=signer.sign(chat_id, b.data)) for b in row]
            for row in reply.buttons
        ]
    )
