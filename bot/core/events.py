"""What a transport hands the core, and what the core hands back."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    TEXT = "text"
    COMMAND = "command"  # /start, /menu, /language, /help
    BUTTON = "button"  # a pressed button; `data` is its callback data
    MEDIA = "media"  # sticker, photo, voice...: something that is not text


@dataclass(frozen=True)
class UserEvent:
    user_key: str  # transport-scoped and stable, e.g. "tg:12345" or "console:local"
    kind: EventKind
    text: str = ""
    data: str = ""  # a button's callback data, or a command's arguments
    locale_hint: str | None = None  # the client's interface language, e.g. Telegram's
    edited: bool = False  # a text the user changed after sending it (a correction)

    @classmethod
    def message(
        cls, user_key: str, text: str, locale_hint: str | None = None, *, edited: bool = False
    ) -> UserEvent:
        return cls(user_key, EventKind.TEXT, text=text, locale_hint=locale_hint, edited=edited)

    @classmethod
    def command(
        cls, user_key: str, name: str, locale_hint: str | None = None, args: str = ""
    ) -> UserEvent:
        """`name` may be the whole message ("/start abc"); the rest becomes `data`."""
        head, _, rest = name.strip().partition(" ")
        return cls(
            user_key,
            EventKind.COMMAND,
            text=head.lstrip("/").split("@")[0].lower(),
            data=(args or rest).strip()[:200],
            locale_hint=locale_hint,
        )

    @classmethod
    def button(cls, user_key: str, data: str, locale_hint: str | None = None) -> UserEvent:
        return cls(user_key, EventKind.BUTTON, data=data, locale_hint=locale_hint)

    @classmethod
    def media(cls, user_key: str, what: str, locale_hint: str | None = None) -> UserEvent:
        return cls(user_key, EventKind.MEDIA, text=what, locale_hint=locale_hint)


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """One message. `markdown` texts come from content files; others are plain text."""

    text: str
    markdown: bool = False
    buttons: tuple[tuple[Button, ...], ...] = ()
    language: str | None = None

    @property
    def button_list(self) -> list[Button]:
        return [b for row in self.buttons for b in row]
