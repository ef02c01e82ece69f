"""The checker's rules for facts: names that exist, no literals, parity, validity dates.

Unknown names are errors the bot acts on too (the answer keeps its last good version);
literals, parity and dates are for `mip content check` only, so a fact that expires over
night never takes an answer out of service (its placeholder shows the notice instead).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from bot.content.facts import Facts
from bot.content.loader import Answer, Problem

WARN_DAYS = 30

_URL = re.compile(r"(https?://|www\.|mailto:)\S+|\{\{[^{}]*\}\}|\]\(tel:[^)]*\)")
_NUMBER = r"\d+(?:[.,]\d+)*"
_LITERALS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"€\s?{_NUMBER}|(?<![\w.,]){_NUMBER}\s?(?:€|EUR\b|euro\b|евро\b)|\bEUR\s?{_NUMBER}",
            re.IGNORECASE,
        ),
        "euro amount",
    ),
    (re.compile(rf"(?<![\w.,]){_NUMBER}\s?%"), "percentage"),
    (
        re.compile(
            r"(?<![\w.,/:+-])(?:0800|0900|088)[-\s]?\d(?:[\d-]|\s\d)*|\+31[\s\d()-]*\d"
            r"|(?<![\w.,/:@+-])11[23](?![\w/@-]|[.,]\w)"
        ),
        "phone number",
    ),
)
# "Hoofdstraat 112" is a house number, not a phone number.
_STREET = re.compile(r"(straat|weg|laan|plein|gracht|kade|singel|dijk|markt|str\.)\s*$", re.I)


def literal_problems(answer: Answer) -> list[Problem]:
    """Amounts, percentages and phone numbers written in the text instead of a fact."""
    problems = []
    lines = answer.body.splitlines()
    for offset, line in enumerate(lines):
        text = _URL.sub(lambda m: " " * len(m.group(0)), line)
        for pattern, what in _LITERALS:
            for match in pattern.finditer(text):
                if what == "phone number" and _STREET.search(text[: match.start()]):
                    continue
                problems.append(
                    Problem(
                        str(answer.path),
                        answer.body_line + offset,
                        f"{what} '{match.group(0).strip()}' written in the text: put it in "
                        "facts.yml and write {{ facts.NAME }} (see docs/content-format.md)",
                    )
                )
                break
    return problems


def unknown_facts(answer: Answer, facts: Facts) -> list[Problem]:
    known = ", ".join(sorted(f.name for f in facts)) or "none yet"
    return [
        Problem(
            str(answer.path),
            line,
            f"unknown fact '{placeholder.split('.')[1]}' in {{{{ {placeholder} }}}}: "
            f"add it to facts.yml or use one of: {known}",
        )
        for line, placeholder in answer.variants.facts
        if placeholder.split(".")[1] not in facts
    ]


def parity_problems(answers: Mapping[tuple[str, str], Answer]) -> list[Problem]:
    """The languages of one answer use the same facts: one number, said in every language."""
    by_intent: dict[str, list[Answer]] = {}
    for (_, intent), answer in sorted(answers.items()):
        by_intent.setdefault(intent, []).append(answer)
    problems = []
    for group in by_intent.values():
        for answer in group:
            for name in sorted(
                {n for other in group for n in other.variants.fact_names}
                - answer.variants.fact_names
            ):
                having = [str(o.path) for o in group if name in o.variants.fact_names]
                problems.append(
                    Problem(
                        str(answer.path),
                        answer.body_line,
                        f"fact '{name}' is missing here but used in {', '.join(having)}: "
                        "every language of an answer uses the same facts",
                    )
                )
    return problems


def date_problems(answers: Sequence[Answer], facts: Facts, today: dt.date) -> list[Problem]:
    """A used fact near its valid_until is a warning; an expired one fails `--strict`."""
    users: dict[str, list[str]] = {}
    for answer in answers:
        for name in sorted(answer.variants.fact_names):
            users.setdefault(name, []).append(str(answer.path))
    problems = []
    for fact in facts:
        if fact.valid_until is None or fact.name not in users:
            continue
        used = _listed(users[fact.name])
        if fact.expired(today) and fact.acknowledged():
            message = (
                f"fact '{fact.name}' expired after {fact.valid_until} and its next value is not "
                f"confirmed (checked {fact.checked}): answers say it changed (used in {used})"
            )
            problems.append(
                Problem(facts.path, fact.until_line, message, warning=True, strict=False)
            )
        elif fact.expired(today):
            message = (
                f"fact '{fact.name}' expired after {fact.valid_until}: answers show that it "
                f"changed; put the current value in facts.yml (used in {used})"
            )
            problems.append(Problem(facts.path, fact.until_line, message, warning=True))
        elif (fact.valid_until - today).days < WARN_DAYS:
            message = (
                f"fact '{fact.name}' is valid until {fact.valid_until}: check the value that "
                f"follows and update facts.yml (used in {used})"
            )
            problems.append(
                Problem(facts.path, fact.until_line, message, warning=True, strict=False)
            )
    return problems


def _listed(paths: list[str], most: int = 4) -> str:
    more = len(paths) - most
    return ", ".join(paths[:most]) + (f" and {more} more" if more > 0 else "")
