"""content/events.yml: information evenings, listed in the user's language with babel dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date, format_interval, format_time

from bot.content.loader import Problem
from bot.content.municipalities import Municipalities, _escape, _time
from bot.content.yamlnodes import Reader
from bot.contract import Contract
from bot.language.codes import SUPPORTED
from bot.language.i18n import Texts

FILE = "events.yml"
LISTED = 5  # upcoming evenings shown in one answer
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


@dataclass(frozen=True)
class Event:
    id: str
    date: dt.date
    start: dt.time
    end: dt.time | None
    municipality: str
    place: str
    languages: tuple[str, ...]
    topic: str


def load_events(
    path: Path, contract: Contract, municipalities: Municipalities
) -> tuple[tuple[Event, ...], list[Problem]]:
    """The valid events and the problems (see load_municipalities)."""
    r = Reader(path)
    root = r.root()
    if root is None:
        return (), r.problems
    top = r.keys(root, "the file", ("events",))
    events: list[Event] = []
    seen: set[str] = set()
    for node in r.sequence(top.get("events"), "events") if "events" in top else []:
        f = r.keys(
            node,
            "an event",
            ("id", "date", "start", "municipality", "place", "languages", "topic"),
            ("end",),
        )
        values = {k: r.text(v, k) for k, v in f.items() if k != "languages"}
        eid = values.get("id")
        if eid and not _ID.match(eid):
            r.problem(f["id"], f"id {eid!r}: use lower case letters, digits, '-' or '_'")
        if eid in seen:
            r.problem(f["id"], f"id {eid!r} is used twice; every event needs its own id")
        seen.add(eid or "")
        day = None
        if text := values.get("date"):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                r.problem(f["date"], f"date {text!r} must be written as YYYY-MM-DD")
        times = {}
        for key in ("start", "end"):
            if text := values.get(key):
                times[key] = _time(text)
                if times[key] is None:
                    r.problem(f[key], f"{key} {text!r} is not a time like '19:00'")
        start, end = times.get("start"), times.get("end")
        if start and end and end <= start:
            r.problem(f["end"], "'end' must be later than 'start'")
        municipality = values.get("municipality")
        if municipality and municipality not in municipalities.ids:
            r.problem(
                f["municipality"],
                f"unknown municipality {municipality!r}: use an id from municipalities.yml ({', '.join(municipalities.ids)})",
            )
        topic = values.get("topic")
        if topic and not contract.is_answer(topic):
            r.problem(f["topic"], f"topic {topic!r} is not an answer intent of the contract")
        languages: list[str] = []
        if "languages" in f:
            for item in r.sequence(f["languages"], "languages"):
                code = r.text(item, "a language")
                if code and code not in SUPPORTED:
                    r.problem(item, f"language {code!r}: use {', '.join(SUPPORTED)}")
                elif code:
                    languages.append(code)
            if not languages:
                r.problem(f["languages"], "languages must list at least one of pl, bg, ro, nl")
        if eid and day and start and municipality and values.get("place") and topic and languages:
            events.append(
                Event(
                    eid,
                    day,
                    start,
                    end,
                    municipality,
                    values["place"] or "",
                    tuple(languages),
                    topic,
                )
            )
    return tuple(sorted(events, key=lambda e: (e.date, e.start, e.id))), r.problems


def upcoming(
    events: Sequence[Event], language: str, today: dt.date, municipality: str | None = None
) -> list[Event]:
    """Evenings from today on held in the language, those of the user's municipality first."""
    found = [e for e in events if e.date >= today and language in e.languages]
    return sorted(found, key=lambda e: (e.municipality != municipality, e.date, e.start))


def render_event(
    event: Event,
    language: str,
    municipalities: Municipalities,
    title: Callable[[str], str],
) -> str:
    day = format_date(event.date, "EEEE d MMMM", locale=language)
    when = (
        format_interval(event.start, event.end, "Hm", locale=language)
        if event.end
        else format_time(event.start, "short", locale=language)
    )
    place = municipalities.get(event.municipality)
    town = place.name if place else event.municipality
    return f"**{day[:1].upper()}{day[1:]}, {when}**, {_escape(town)}: {_escape(event.place)} — {_escape(title(event.topic))}"


def render_events(
    events: Sequence[Event],
    language: str,
    municipalities: Municipalities,
    title: Callable[[str], str],
) -> str:
    """Markdown list of information evenings, or '' when none is planned."""
    if not events:
        return ""
    t = Texts(language)
    lines = [f"- {render_event(e, language, municipalities, title)}" for e in events[:LISTED]]
    heading = t.gettext("Information evenings")
    return f"**{heading}**\n\n" + "\n".join(lines)
