"""Facts: every amount, percentage, phone number and link that answers use, once.

content/facts.yml holds each fact with its kind, value, validity and source; answers write
`{{ facts.NAME }}` (the value, formatted for the reader's language) or
`{{ facts.NAME.valid_from }}` / `{{ facts.NAME.valid_until }}` (dates in words). After its
`valid_until` a fact is never shown as current: the placeholder says, in the reader's
language, when it changed and where to find the current value. See docs/content-format.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent

from bot.content.loader import Problem, is_web_link
from bot.content.yamlnodes import Reader
from bot.language.i18n import Texts

FILE = "facts.yml"
PREFIX = "facts."
KINDS = ("money", "percent", "phone", "number", "link", "text")
NUMERIC = ("money", "percent", "number")
DATES = ("valid_from", "valid_until")
NOTICE = "notice"  # the default `expired` behaviour
_NAME = re.compile(r"[a-z][a-z0-9_]*")
REFERENCE = re.compile(r"facts\.([a-z][a-z0-9_]*)(?:\.(valid_from|valid_until))?")


@dataclass(frozen=True)
class Fact:
    name: str
    kind: str
    value: Decimal | str
    source: str
    checked: dt.date
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    current: str | None = None  # where the current value is once expired (default: source)
    line: int = 1  # in facts.yml
    until_line: int = 1
    # `next_value: unconfirmed`: someone checked after valid_until and no new value is
    # confirmed yet. Answers still say it changed; `--strict` accepts it as a known state.
    next_unconfirmed: bool = False

    def acknowledged(self) -> bool:
        """Expired, and checked since then without a confirmed new value."""
        return (
            self.next_unconfirmed
            and self.valid_until is not None
            and self.checked > self.valid_until
        )

    def expired(self, today: dt.date) -> bool:
        return self.valid_until is not None and today > self.valid_until

    @property
    def changed_on(self) -> dt.date | None:
        return self.valid_until + dt.timedelta(days=1) if self.valid_until else None


@dataclass(frozen=True)
class Facts:
    by_name: Mapping[str, Fact] = field(default_factory=dict)
    path: str = FILE

    def get(self, name: str) -> Fact | None:
        return self.by_name.get(name)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.by_name.values())

    def __contains__(self, name: object) -> bool:
        return name in self.by_name


def parse_reference(placeholder: str) -> tuple[str, str | None] | None:
    """'facts.x' -> ('x', None); 'facts.x.valid_from' -> ('x', 'valid_from'); else None."""
    match = REFERENCE.fullmatch(placeholder)
    return (match.group(1), match.group(2)) if match else None


def render(fact: Fact, part: str | None, language: str, today: dt.date) -> str:
    """One placeholder as the reader sees it on `today`."""
    t = Texts(language)
    if part is not None:
        day = getattr(fact, part)
        return t.date(day) if isinstance(day, dt.date) else ""
    if fact.expired(today) and fact.changed_on is not None and fact.valid_until is not None:
        where = fact.current or fact.source
        if fact.kind in NUMERIC:
            # The old amount with the end of its period (a payslip from then is checked
            # against it), never as today's.
            return t.gettext("{value} (until {until}); it changed on {date}: see {source}").format(
                value=format_value(fact, language),
                until=t.date(fact.valid_until),
                date=t.date(fact.changed_on),
                source=where,
            )
        return t.gettext("changed on {date}; see the current one at {source}").format(
            date=t.date(fact.changed_on), source=where
        )
    return format_value(fact, language)


def format_value(fact: Fact, language: str) -> str:
    value = fact.value
    if not isinstance(value, Decimal):
        return value
    if fact.kind == "money":
        if value == value.to_integral_value():
            pattern = Locale.parse(language).currency_formats["standard"].pattern
            return format_currency(
                value, "EUR", format=pattern.replace(".00", ""), locale=language,
                currency_digits=False,
            )  # fmt: skip
        return format_currency(value, "EUR", locale=language)
    if fact.kind == "percent":
        return format_percent(value / 100, locale=language)
    return format_decimal(value, locale=language)


def fill(placeholder: str, facts: Facts, language: str, today: dt.date) -> str | None:
    """The text for a `facts.` placeholder; None when it is not one or names no fact."""
    reference = parse_reference(placeholder)
    if reference is None:
        return None
    fact = facts.get(reference[0])
    return render(fact, reference[1], language, today) if fact else None


_PLACEHOLDER = re.compile(r"\{\{\s*(facts\.[^{}]*?)\s*\}\}")


def fill_text(text: str, facts: Facts, language: str, today: dt.date) -> str:
    """Every `{{ facts.… }}` in text filled (answers shown without composing, like greet)."""
    return _PLACEHOLDER.sub(lambda m: fill(m.group(1), facts, language, today) or "", text)


def load_facts(path: Path) -> tuple[Facts, list[Problem]]:
    """The valid facts of facts.yml and every problem with its line. No file: no facts."""
    if not path.exists():
        return Facts(path=str(path)), []
    reader = Reader(path)
    root = reader.root()
    found: dict[str, Fact] = {}
    if root is not None:
        for name, node in reader.mapping(root, "facts.yml").items():
            if fact := _fact(reader, name, node):
                found[name] = fact
    return Facts(found, str(path)), reader.problems


def _fact(reader: Reader, name: str, node: yaml.Node) -> Fact | None:
    what = f"fact {name!r}"
    before = len(reader.problems)
    if not _NAME.fullmatch(name):
        reader.problem(node, f"fact name {name!r} must be snake_case (a-z, 0-9, _)")
    fields = reader.keys(
        node,
        what,
        ("kind", "value", "source", "checked"),
        ("valid_from", "valid_until", "expired", "next_value"),
    )
    kind = reader.text(fields["kind"], f"kind of {what}") if "kind" in fields else None
    if kind is not None and kind not in KINDS:
        reader.problem(fields["kind"], f"kind {kind!r} of {what}: use one of {', '.join(KINDS)}")
    value = _value(reader, fields.get("value"), kind, what) if "value" in fields else None
    source = reader.text(fields["source"], f"source of {what}") if "source" in fields else None
    if source is not None and not is_web_link(source):
        reader.problem(fields["source"], f"source {source!r} of {what} is not an http(s) link")
    checked = _date(reader, fields.get("checked"), f"checked of {what}")
    start = _date(reader, fields.get("valid_from"), f"valid_from of {what}")
    until = _date(reader, fields.get("valid_until"), f"valid_until of {what}")
    if start and until and until < start:
        reader.problem(fields["valid_until"], f"valid_until of {what} is before its valid_from")
    current = None
    if "expired" in fields:
        expired = reader.text(fields["expired"], f"expired of {what}")
        if expired is not None and expired != NOTICE and not is_web_link(expired):
            reader.problem(
                fields["expired"],
                f"expired of {what} must be '{NOTICE}' or the http(s) link where the current "
                "value is",
            )
        current = expired if expired is not None and expired != NOTICE else None
    unconfirmed = False
    if "next_value" in fields:
        unconfirmed = reader.text(fields["next_value"], f"next_value of {what}") == "unconfirmed"
        if not unconfirmed:
            reader.problem(fields["next_value"], f"next_value of {what} can only be 'unconfirmed'")
    if len(reader.problems) > before or kind is None or value is None:
        return None
    assert source is not None and checked is not None
    until_node = fields.get("valid_until")
    return Fact(
        name,
        kind,
        value,
        source,
        checked,
        start,
        until,
        current,
        node.start_mark.line,  # the key's line: the value mapping starts one line below
        until_node.start_mark.line + 1 if until_node is not None else node.start_mark.line,
        unconfirmed,
    )


def _value(
    reader: Reader, node: yaml.Node | None, kind: str | None, what: str
) -> Decimal | str | None:
    text = reader.text(node, f"value of {what}")
    if text is None or kind not in NUMERIC:
        if text is not None and kind == "link" and not is_web_link(text):
            reader.problem(node, f"value {text!r} of {what} is not an http(s) link")
        return text
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        reader.problem(
            node, f"value {text!r} of {what} must be a number written with a dot, e.g. 14.71"
        )
        return None
    return number


def _date(reader: Reader, node: yaml.Node | None, what: str) -> dt.date | None:
    if node is None:
        return None
    text = reader.text(node, what)
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        reader.problem(node, f"{what}: '{text}' must be a date written as YYYY-MM-DD")
        return None
