"""content/municipalities.yml: the desks of each municipality, rendered in the user's language.

Municipality staff edit this file. Unknown facts are left out of it, never guessed; the
renderer then says where to look instead. Weekday names and times come from babel.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlparse

import yaml
from babel.dates import format_interval, get_day_names

from bot.content.loader import Problem
from bot.content.yamlnodes import Reader
from bot.language.i18n import Texts

FILE = "municipalities.yml"
NAME_MAX = 40  # the name is a button label
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The 19 RNI desks (../shared/facts.md, section 1; rvig.nl and almere.nl).
RNI_DESKS = (
    "Alkmaar", "Almelo", "Amsterdam", "Breda", "Doetinchem", "Eindhoven", "Groningen", "Goes",
    "The Hague", "Heerlen", "Leeuwarden", "Leiden", "Nijmegen", "Rotterdam", "Terneuzen",
    "Utrecht", "Venlo", "Westland", "Zwolle",
)  # fmt: skip
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{2,20}$")


@dataclass(frozen=True)
class Period:
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Desk:
    name: str
    address: str | None = None
    hours: Mapping[int, tuple[Period, ...]] = field(default_factory=dict)  # 0 = Monday
    phone: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class MobileVisit:
    weekday: int
    period: Period
    place: str


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str
    rni_desk: str | None
    desks: tuple[Desk, ...]
    mobile: tuple[MobileVisit, ...]


@dataclass(frozen=True)
class Municipalities:
    by_id: Mapping[str, Municipality] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, municipality_id: str | None) -> Municipality | None:
        return self.by_id.get(municipality_id or "")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.by_id)

    def sorted_by_name(self) -> list[Municipality]:
        return sorted(self.by_id.values(), key=lambda m: m.name.casefold())


def load_municipalities(path: Path) -> tuple[Municipalities, list[Problem]]:
    """The entries that are valid, and the problems (the store keeps the last good version
    of a file that has any; the checker goes on with the valid entries)."""
    r = Reader(path)
    root = r.root()
    if root is None:
        return Municipalities(), r.problems
    top = r.keys(root, "the file", ("municipalities",))
    entries = r.mapping(top.get("municipalities"), "municipalities") if top else {}
    found: dict[str, Municipality] = {}
    listed = top.get("municipalities")
    for key_node, node in listed.value if isinstance(listed, yaml.MappingNode) else []:
        mid = str(key_node.value)
        if not _ID.match(mid) or mid == "other":
            r.problem(
                key_node,
                f"municipality id {mid!r} must be lower case letters, digits, '-' or '_' (and not 'other')",
            )
            continue
        if mid not in entries:
            continue
        fields = r.keys(node, f"municipality {mid!r}", ("name",), ("rni_desk", "desks", "mobile"))
        name = r.text(fields.get("name"), "name") if "name" in fields else None
        if name and len(name) > NAME_MAX:
            r.problem(
                fields["name"],
                f"name is {len(name)} characters; at most {NAME_MAX} fit on a button",
            )
        rni = None
        if "rni_desk" in fields:
            rni = r.text(fields["rni_desk"], "rni_desk")
            if rni and rni not in RNI_DESKS:
                r.problem(
                    fields["rni_desk"],
                    f"rni_desk {rni!r} is not one of the 19 RNI desks: {', '.join(RNI_DESKS)}",
                )
        desks = tuple(
            d for n in r.sequence(fields.get("desks"), "desks") if (d := _desk(r, n)) is not None
        )
        mobile = tuple(
            v for n in r.sequence(fields.get("mobile"), "mobile") if (v := _visit(r, n)) is not None
        )
        if name:
            found[mid] = Municipality(mid, name, rni, desks, mobile)
    return Municipalities(MappingProxyType(found)), r.problems


def _desk(r: Reader, node: yaml.Node) -> Desk | None:
    fields = r.keys(node, "a desk", ("name",), ("address", "hours", "phone", "email", "url"))
    name = r.text(fields.get("name"), "the desk's name") if "name" in fields else None
    address = r.text(fields["address"], "address") if "address" in fields else None
    phone = email = url = None
    if (
        "phone" in fields
        and (phone := r.text(fields["phone"], "phone"))
        and not _PHONE.match(phone)
    ):
        r.problem(
            fields["phone"],
            f"phone {phone!r}: write digits, e.g. '076 529 44 44' or '+31 76 529 44 44'",
        )
    if (
        "email" in fields
        and (email := r.text(fields["email"], "email"))
        and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", email)
    ):
        r.problem(fields["email"], f"email {email!r} is not an e-mail address")
    if "url" in fields and (url := r.text(fields["url"], "url")):
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
            r.problem(fields["url"], f"url {url!r} is not an http(s) link")
    hours: dict[int, tuple[Period, ...]] = {}
    for day_node, value in getattr(fields.get("hours"), "value", []):
        day = str(day_node.value)
        if day not in WEEKDAYS:
            r.problem(day_node, f"unknown weekday {day!r}: use {', '.join(WEEKDAYS)}")
            continue
        periods = []
        for chunk in str(getattr(value, "value", "")).split(","):
            period = _period(chunk)
            if period is None:
                r.problem(
                    value,
                    f"hours {getattr(value, 'value', '')!r}: write '09:00-17:00' (or '09:00-12:00, 13:00-17:00')",
                )
                break
            periods.append(period)
        hours[WEEKDAYS.index(day)] = tuple(periods)
    if "hours" in fields and not isinstance(fields["hours"], yaml.MappingNode):
        r.problem(fields["hours"], 'hours must be weekdays with times, e.g. {mon: "09:00-17:00"}')
    if name is None:
        return None
    return Desk(name, address, MappingProxyType(hours), phone, email, url)


def _visit(r: Reader, node: yaml.Node) -> MobileVisit | None:
    fields = r.keys(node, "a mobile desk visit", ("weekday", "from", "to", "place"))
    day = r.text(fields.get("weekday"), "weekday") if "weekday" in fields else None
    if day is not None and day not in WEEKDAYS:
        r.problem(fields["weekday"], f"unknown weekday {day!r}: use {', '.join(WEEKDAYS)}")
        day = None
    times = []
    for key in ("from", "to"):
        value = r.text(fields.get(key), key) if key in fields else None
        parsed = _time(value) if value else None
        if value and parsed is None:
            r.problem(fields[key], f"{key} {value!r} is not a time like '10:00'")
        times.append(parsed)
    place = r.text(fields.get("place"), "place") if "place" in fields else None
    start, end = times
    if day is None or start is None or end is None or place is None:
        return None
    if end <= start:
        r.problem(fields["to"], "'to' must be later than 'from'")
        return None
    return MobileVisit(WEEKDAYS.index(day), Period(start, end), place)


def _time(text: str) -> dt.time | None:
    match = _TIME.match(text.strip())
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def _period(text: str) -> Period | None:
    start, sep, end = text.strip().replace("–", "-").partition("-")
    a, b = _time(start), _time(end)
    if not sep or a is None or b is None or b <= a:
        return None
    return Period(a, b)


# -- rendering --------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Data is text, not Markdown: an '*' or '_' in a name must not start bold or italics."""
    return re.sub(r"([\\*_\[\]`<>])", r"\\\1", text)


def _span(period: Period, language: str) -> str:
    return format_interval(period.start, period.end, "Hm", locale=language)


def _day_groups(hours: Mapping[int, tuple[Period, ...]]) -> list[tuple[int, int]]:
    """Consecutive days with the same hours: Monday-Friday 09:00-17:00 is one line."""
    groups: list[tuple[int, int]] = []
    for day in sorted(hours):
        if groups and groups[-1][1] == day - 1 and hours[groups[-1][0]] == hours[day]:
            groups[-1] = (groups[-1][0], day)
        else:
            groups.append((day, day))
    return groups


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_desks(municipality: Municipality | None, language: str) -> str:
    """Markdown for {{ desks }}: each desk with address, hours and contact, then the mobile desk."""
    t = Texts(language)
    if municipality is None:
        return t.gettext(
            "I do not have the desk of your municipality. Ask at the town hall (gemeente), or talk to a person here."
        )
    days = get_day_names("wide", locale=language)
    blocks: list[str] = []
    for desk in municipality.desks:
        lines = [f"**{_escape(desk.name)}**"]
        if desk.address:
            lines.append(_escape(desk.address))
        if desk.hours:
            for first, last in _day_groups(desk.hours):
                label = days[first] if first == last else f"{days[first]}–{days[last]}"
                spans = ", ".join(_span(p, language) for p in desk.hours[first])
                lines.append(f"{_capital(label)}: {spans}")
        else:
            lines.append(t.gettext("Opening hours: see the website or ask us."))
        if desk.phone:
            digits = re.sub(r"[^0-9+]", "", desk.phone)
            lines.append(f"☎️ [{desk.phone}](tel:{digits})")
        if desk.email:
            lines.append(f"✉️ [{desk.email}](mailto:{desk.email})")
        if desk.url:
            website = t.gettext("Website")
            lines.append(f"🌐 [{website}]({desk.url})")
        blocks.append("  \n".join(lines))
    if municipality.mobile:
        heading = t.gettext("Mobile desk")
        lines = [f"**{heading}**"]
        for visit in sorted(municipality.mobile, key=lambda v: (v.weekday, v.period.start)):
            day = _capital(days[visit.weekday])
            lines.append(f"{day}, {_span(visit.period, language)}: {_escape(visit.place)}")
        blocks.append("  \n".join(lines))
    if not blocks:
        return t.gettext(
            "The desk of {municipality} is not listed here yet. Ask at the town hall (gemeente), or talk to a person here."
        ).format(municipality=municipality.name)
    return "\n\n".join(blocks)


# The one RNI desk whose name differs by language (the file uses the English exonym).
PLACE_NAMES = {"The Hague": {"pl": "Haga", "bg": "Хага", "ro": "Haga", "nl": "Den Haag"}}


def place_name(desk: str, language: str) -> str:
    return PLACE_NAMES.get(desk, {}).get(language, desk)


def render_rni_desk(municipality: Municipality | None, language: str) -> str:
    """Text for {{ rni_desk }}: the nearest RNI desk, or all of them when it is not known,
    named as the reader's language names them."""
    if municipality is not None and municipality.rni_desk:
        return place_name(municipality.rni_desk, language)
    return ", ".join(place_name(desk, language) for desk in RNI_DESKS)
