"""The text one user sees for an answer: their variant, placeholders filled, events, date.

Facts are filled for `today`, so the text is only valid for that day: nothing may keep it
longer (an expired fact must show its notice from the next day on).

The bot and `mip content check` both go through `compose`, so the checker measures exactly
what users get (every variant, every municipality, after rendering).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.content.crisis_phrases import CrisisGroup
from bot.content.evenings import Event, render_events, upcoming
from bot.content.facts import Facts
from bot.content.facts import fill as fill_fact
from bot.content.loader import Answer
from bot.content.municipalities import Municipalities, render_desks, render_rni_desk
from bot.language.i18n import Texts

# The answer that lists the information evenings below its text.
EVENTS_INTENT = "info_point"


@dataclass(frozen=True)
class ContentData:
    """The data files beside the answers (each kept at its last good version)."""

    municipalities: Municipalities = field(default_factory=Municipalities)
    events: tuple[Event, ...] = ()
    crisis: tuple[CrisisGroup, ...] = ()
    facts: Facts = field(default_factory=Facts)


def compose(
    answer: Answer,
    data: ContentData,
    *,
    stay: str | None,
    municipality: str | None,
    today: dt.date,
    title: Callable[[str], str],
) -> str:
    language = answer.language
    place = data.municipalities.get(municipality)

    def fill(name: str) -> str:
        if name == "desks":
            return render_desks(place, language)
        if name == "rni_desk":
            return render_rni_desk(place)
        return fill_fact(name, data.facts, language, today) or ""

    text = answer.variants.select(stay, municipality, fill)
    if answer.intent == EVENTS_INTENT:
        events = upcoming(data.events, language, today, municipality)
        if block := render_events(events, language, data.municipalities, title):
            text = f"{text}\n\n{block}"
    t = Texts(language)
    checked = t.gettext("Information checked on {date}").format(date=t.date(answer.reviewed))
    return f"{text}\n\n*{checked}*"
