"""Announcements of information evenings to the people who opted in (/subscribe).

`announcement_replies` turns one event into a Reply per matching subscriber; `announce`
hands them to an `Announcer` (the outbox: it delivers within Telegram's rate limits and
retries) and marks the event, so no event is announced twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from bot.content.evenings import Event, render_event
from bot.content.municipalities import Municipalities
from bot.core import callbacks
from bot.core.events import Button, Reply
from bot.language.i18n import Texts

UNSUBSCRIBE = "unsub"


@dataclass(frozen=True)
class Subscription:
    user_key: str
    language: str
    municipality: str | None  # None: events in every municipality


class Subscriptions(Protocol):
    async def subscribe(self, user_key: str, language: str, municipality: str | None) -> None: ...

    async def unsubscribe(self, user_key: str) -> bool: ...

    async def get(self, user_key: str) -> Subscription | None: ...

    async def all(self) -> list[Subscription]: ...

    async def announced(self) -> set[str]: ...

    async def mark_announced(self, event_id: str, recipients: int) -> None: ...


class Announcer(Protocol):
    """Where announcements go: the outbox in production, a list in tests."""

    async def enqueue(self, recipient: str, reply: Reply) -> None: ...


def wants(subscription: Subscription, event: Event) -> bool:
    return subscription.language in event.languages and subscription.municipality in (
        None,
        event.municipality,
    )


def announcement_replies(
    event: Event,
    subscribers: Sequence[Subscription],
    municipalities: Municipalities,
    title: Callable[[str, str], str],
) -> list[tuple[str, Reply]]:
    """(recipient user_key, Reply) for every subscriber the event is for, in their language."""
    out: list[tuple[str, Reply]] = []
    for sub in subscribers:
        if not wants(sub, event):
            continue
        t = Texts(sub.language)
        line = render_event(event, sub.language, municipalities, partial(title, sub.language))
        text = "\n\n".join(
            (
                "📅 " + t.gettext("New information evening:"),
                line,
                t.gettext("You get this message because you subscribed. /unsubscribe stops it."),
            )
        )
        buttons = (
            (Button(t.gettext("ℹ️ Information point"), callbacks.answer("info_point")),),
            (Button(t.gettext("🔕 Stop announcements"), UNSUBSCRIBE),),
        )
        out.append(
            (sub.user_key, Reply(text, markdown=True, buttons=buttons, language=sub.language))
        )
    return out


@dataclass(frozen=True)
class Announced:
    event: Event
    recipients: int


async def announce(
    events: Sequence[Event],
    subscriptions: Subscriptions,
    announcer: Announcer,
    municipalities: Municipalities,
    title: Callable[[str, str], str],
    *,
    today: dt.date,
    dry_run: bool = False,
) -> list[Announced]:
    """Announce every upcoming event not announced before. A dry run sends and marks nothing."""
    done = await subscriptions.announced()
    subscribers = await subscriptions.all()
    report: list[Announced] = []
    for event in events:
        if event.date < today or event.id in done:
            continue
        replies = announcement_replies(event, subscribers, municipalities, title)
        if not dry_run:
            for recipient, reply in replies:
                await announcer.enqueue(recipient, reply)
            await subscriptions.mark_announced(event.id, len(replies))
        report.append(Announced(event, len(replies)))
    return report


class DryRun:
    """The announcer of a dry run: `announce(..., dry_run=True)` never calls it."""

    async def enqueue(self, recipient: str, reply: Reply) -> None:
        raise AssertionError("a dry run sends nothing")
