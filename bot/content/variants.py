"""Variant sections and placeholders inside an answer's body.

    ::: stay short
    Markdown for people staying under 4 months.
    :::

Text outside sections is for everyone. A user sees the sections whose values include their
stay length or municipality; `municipality other` is for everyone whose municipality has no
section of its own. `{{ desks }}` and `{{ rni_desk }}` are filled from municipalities.yml;
`{{ facts.NAME }}` from facts.yml (see bot/content/facts.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

STAY = "stay"
MUNICIPALITY = "municipality"
STAY_VALUES = ("short", "mid", "long")  # under 4 months, 4 months to 3 years, longer
OTHER = "other"
PLACEHOLDERS = ("desks", "rni_desk")

_FACT = re.compile(r"facts\.[a-z][a-z0-9_]*(\.(valid_from|valid_until))?")
_OPEN = re.compile(r"^\s*:::(.*)$")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass(frozen=True)
class Section:
    dimension: str
    values: frozenset[str]
    text: str
    line: int  # of the opening ':::' line


@dataclass(frozen=True)
class Body:
    parts: tuple[str | Section, ...]
    placeholders: frozenset[str]
    # (line, placeholder) of every `{{ facts.… }}`: checked against facts.yml with the data
    facts: tuple[tuple[int, str], ...] = ()

    @property
    def fact_names(self) -> frozenset[str]:
        return frozenset(p.split(".")[1] for _, p in self.facts)

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(p for p in self.parts if isinstance(p, Section))

    def uses(self, dimension: str) -> bool:
        return any(s.dimension == dimension for s in self.sections)

    @property
    def needs(self) -> tuple[str, ...]:
        """What the bot must know before it can show this answer, in the order it asks."""
        needs = []
        if self.uses(STAY):
            needs.append(STAY)
        if self.uses(MUNICIPALITY) or self.placeholders:
            needs.append(MUNICIPALITY)
        return tuple(needs)

    @property
    def variants(self) -> frozenset[tuple[str, frozenset[str]]]:
        """The sections as (dimension, values): must be the same in every language."""
        return frozenset((s.dimension, s.values) for s in self.sections)

    def municipality_ids(self) -> set[str]:
        return {
            v for s in self.sections if s.dimension == MUNICIPALITY for v in s.values if v != OTHER
        }

    def select(
        self,
        stay: str | None,
        municipality: str | None,
        fill: Callable[[str], str] = lambda name: "",
    ) -> str:
        """The Markdown one user sees. Unknown stay shows no stay section; an unknown or
        unlisted municipality sees the `other` sections."""
        own = municipality is not None and municipality in self.municipality_ids()
        chosen: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                chosen.append(part)
            elif (part.dimension == STAY and stay in part.values) or (
                part.dimension == MUNICIPALITY
                and ((own and municipality in part.values) or (not own and OTHER in part.values))
            ):
                chosen.append(part.text)
        text = "\n\n".join(p.strip() for p in chosen if p.strip())
        return _PLACEHOLDER.sub(lambda m: fill(m.group(1)), text)


NO_VARIANTS = Body((), frozenset())


def parse_body(lines: Sequence[str], first_line: int) -> tuple[Body, list[tuple[int, str]]]:
    """Split body lines into shared text and sections. Problems come as (line, message)."""
    problems: list[tuple[int, str]] = []
    parts: list[str | Section] = []
    buffer: list[str] = []
    opened: tuple[int, str, frozenset[str]] | None = None
    for offset, line in enumerate(lines):
        number = first_line + offset
        match = _OPEN.match(line)
        if match is None:
            buffer.append(line)
            continue
        header = match.group(1).split()
        if not header:  # a closing ':::'
            if opened is None:
                problems.append((number, "':::' closes a section that was never opened"))
                continue
            start, dimension, values = opened
            parts.append(Section(dimension, values, "\n".join(buffer).strip(), start))
            buffer, opened = [], None
            continue
        if opened is not None:
            problems.append(
                (opened[0], "section is not closed: put a line with only ':::' after its text")
            )
            parts.append(Section(opened[1], opened[2], "\n".join(buffer).strip(), opened[0]))
            buffer, opened = [], None
        if buffer:
            parts.append("\n".join(buffer).strip())
            buffer = []
        dimension, given = header[0], header[1:]
        if dimension not in (STAY, MUNICIPALITY):
            problems.append(
                (
                    number,
                    f"unknown section '{dimension}': write '::: stay ...' or '::: municipality ...'",
                )
            )
        elif not given:
            problems.append(
                (
                    number,
                    f"section '{dimension}' needs values, e.g. '::: stay short' or '::: municipality breda'",
                )
            )
        elif dimension == STAY and (wrong := [v for v in given if v not in STAY_VALUES]):
            problems.append(
                (number, f"unknown stay value(s) {', '.join(wrong)}: use short, mid or long")
            )
        opened = (number, dimension, frozenset(given))
    if opened is not None:
        problems.append(
            (opened[0], "section is not closed: put a line with only ':::' after its text")
        )
        parts.append(Section(opened[1], opened[2], "\n".join(buffer).strip(), opened[0]))
    elif buffer:
        parts.append("\n".join(buffer).strip())

    body = Body(tuple(p for p in parts if not isinstance(p, str) or p), frozenset())
    placeholders: set[str] = set()
    facts: list[tuple[int, str]] = []
    for offset, line in enumerate(lines):
        for name in _PLACEHOLDER.findall(line):
            if name in PLACEHOLDERS:
                placeholders.add(name)
            elif _FACT.fullmatch(name):
                facts.append((first_line + offset, name))
            elif name.startswith("facts."):
                problems.append(
                    (
                        first_line + offset,
                        f"placeholder '{{{{ {name} }}}}': write {{{{ facts.NAME }}}}, "
                        "{{ facts.NAME.valid_from }} or {{ facts.NAME.valid_until }} "
                        "(NAME in lower case, as in facts.yml)",
                    )
                )
            else:
                problems.append(
                    (
                        first_line + offset,
                        f"unknown placeholder '{{{{ {name} }}}}': use {{{{ desks }}}}, {{{{ rni_desk }}}} "
                        "or {{ facts.NAME }}",
                    )
                )
    stays = [s for s in body.sections if s.dimension == STAY]
    if stays:
        covered = set().union(*(s.values for s in stays))
        if missing := [v for v in STAY_VALUES if v not in covered]:
            problems.append(
                (
                    stays[0].line,
                    f"stay sections must cover short, mid and long; missing: {', '.join(missing)}",
                )
            )
    return Body(body.parts, frozenset(placeholders), tuple(facts)), problems


def describe(variant: tuple[str, frozenset[str]]) -> str:
    """The section as written: '::: stay mid long' (short, mid, long order; 'other' last)."""
    dimension, values = variant
    rank = {v: i for i, v in enumerate(STAY_VALUES)} | {OTHER: len(STAY_VALUES)}
    ordered = sorted(values, key=lambda v: (rank.get(v, -1), v))
    return f"'::: {dimension} {' '.join(ordered)}'"


def combinations(
    body: Body, municipality_ids: Sequence[str]
) -> list[tuple[str | None, str | None]]:
    """Every (stay, municipality) a user can be in, for checking lengths."""
    stays: Sequence[str | None] = STAY_VALUES if body.uses(STAY) else (None,)
    places: Sequence[str | None] = (
        (*municipality_ids, OTHER) if MUNICIPALITY in body.needs else (None,)
    )
    return [(s, m) for s in stays for m in places]


def fill_from(values: Mapping[str, str]) -> Callable[[str], str]:
    return lambda name: values.get(name, "")
