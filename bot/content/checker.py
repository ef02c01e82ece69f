"""`mip content check`: the whole content tree, every problem as `file:line: message`.

Errors make the check fail; they are things a user would see wrong or not at all. Warnings
(stale `reviewed`, past `yearly`, an expired fact) are printed but pass, unless `strict`: they
depend on the calendar, not on the change being tested, and a build must not break overnight.
A fact that expires within 30 days is a warning even with `strict`. See
docs/content-format.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from bot.content import factcheck
from bot.content.compose import ContentData, compose
from bot.content.data import load_data
from bot.content.loader import (
    CRISIS_DIR,
    CRISIS_PREFIX,
    MESSAGE_MAX,
    Answer,
    Problem,
    load_tree,
)
from bot.content.render import render_telegram_html
from bot.content.variants import combinations, describe
from bot.contract import TEXT_INTENTS, Contract

STALE_DAYS = 180


def answer_problems(
    answer: Answer, data: ContentData, crisis_answers: frozenset[str], today: dt.date
) -> list[Problem]:
    """Errors that need the data files: unknown municipalities and facts, lengths after
    filling."""
    where = str(answer.path)
    problems: list[Problem] = factcheck.unknown_facts(answer, data.facts)
    known = set(data.municipalities.ids)
    for section in answer.variants.sections:
        if section.dimension != "municipality":
            continue
        unknown = sorted(section.values - known - {"other"})
        if unknown:
            problems.append(
                Problem(
                    where,
                    section.line,
                    f"unknown municipality {', '.join(unknown)}: use an id from municipalities.yml "
                    f"({', '.join(sorted(known)) or 'none yet'}) or 'other'",
                )
            )
    if answer.intent in TEXT_INTENTS and answer.variants.needs:
        problems.append(
            Problem(
                where,
                answer.body_line,
                "greetings and menu texts are the same for everyone: "
                "remove the stay/municipality sections and placeholders",
            )
        )
    if answer.intent in crisis_answers and answer.variants.needs:
        problems.append(
            Problem(
                where,
                answer.body_line,
                "crisis answers are sent at once and cannot ask questions first: "
                "remove the stay/municipality sections and placeholders",
            )
        )
    for stay, place in combinations(answer.variants, data.municipalities.ids):
        text = compose(answer, data, stay=stay, municipality=place, today=today, title=lambda i: i)
        length = len(render_telegram_html(text))
        if length > MESSAGE_MAX:
            who = " and ".join(
                x
                for x in (f"stay {stay}" if stay else "", f"municipality {place}" if place else "")
                if x
            )
            fix = "shorten it"
            if place and place != "other" and answer.variants.placeholders:
                fix = f"shorten it, or the entry of {place} in municipalities.yml"
            problems.append(
                Problem(
                    where,
                    answer.body_line,
                    f"answer is {length} characters after rendering"
                    f"{' for ' + who if who else ''}; Telegram allows {MESSAGE_MAX}: {fix}",
                )
            )
            break
    return problems


def parity_problems(answers: Mapping[tuple[str, str], Answer]) -> list[Problem]:
    """Every language of an intent needs the same sections (dimension and values)."""
    by_intent: dict[str, list[Answer]] = {}
    for (_, intent), answer in answers.items():
        by_intent.setdefault(intent, []).append(answer)
    problems: list[Problem] = []
    for group in by_intent.values():
        for answer in group:
            for variant in sorted(
                {v for other in group for v in other.variants.variants} - answer.variants.variants,
                key=describe,
            ):
                having = [o.language for o in group if variant in o.variants.variants]
                problems.append(
                    Problem(
                        str(answer.path),
                        answer.body_line,
                        f"section {describe(variant)} is missing here but exists in "
                        f"{', '.join(having)}: every language needs the same sections",
                    )
                )
    return problems


def date_warnings(answer: Answer, today: dt.date) -> list[Problem]:
    where = str(answer.path)
    problems = []
    age = (today - answer.reviewed).days
    if age > STALE_DAYS:
        problems.append(
            Problem(
                where,
                _key_line(answer.path, "reviewed"),
                f"stale: reviewed {age} days ago (more than {STALE_DAYS}); check the facts and "
                "set 'reviewed' to today's date",
                warning=True,
            )
        )
    if answer.yearly is not None and answer.yearly < today.year:
        problems.append(
            Problem(
                where,
                _key_line(answer.path, "yearly"),
                f"yearly: {answer.yearly} is past; update the numbers for {today.year} "
                f"and set 'yearly: {today.year}'",
                warning=True,
            )
        )
    return problems


def check_tree(
    root: Path,
    languages: tuple[str, ...],
    contract: Contract,
    today: dt.date,
) -> tuple[int, list[Problem]]:
    """(number of valid answer files, problems sorted by file and line)."""
    answers, problems = load_tree(root, languages, contract)
    data, found = load_data(root, contract)
    problems += found
    problems += crisis_problems(root, languages, data)
    crisis_answers = sent_at_once(answers, data)
    for answer in answers.values():
        problems += answer_problems(answer, data, crisis_answers, today)
        problems += date_warnings(answer, today)
        problems += factcheck.literal_problems(answer)
    problems += parity_problems(answers)
    problems += factcheck.parity_problems(answers)
    problems += factcheck.date_problems(list(answers.values()), data.facts, today)
    return len(answers), sorted(set(problems))


def sent_at_once(answers: Mapping[tuple[str, str], Answer], data: ContentData) -> frozenset[str]:
    """The answers the crisis path sends: those crisis.yml names and every crisis/ file
    (the classifier may answer with any of them)."""
    own = {intent for _, intent in answers if intent.startswith(CRISIS_PREFIX)}
    return frozenset({g.answer for g in data.crisis} | own)


def crisis_problems(root: Path, languages: tuple[str, ...], data: ContentData) -> list[Problem]:
    """The crisis answers that must exist: each group of crisis.yml needs its answer in every
    language, and a crisis/ file written in one language is needed in all of them (a person
    in danger gets it in their language). A tree may list fewer groups than the bot knows."""
    listed = {
        g.answer.removeprefix(CRISIS_PREFIX): g.name
        for g in data.crisis
        if g.answer.startswith(CRISIS_PREFIX)
    }
    written: dict[str, list[str]] = {}
    for language in languages:
        for path in sorted((root / language / CRISIS_DIR).glob("*.md")):
            written.setdefault(path.stem, []).append(language)
    problems = []
    for group in sorted(listed.keys() | written.keys()):
        why = (
            f"crisis.yml's group {listed[group]!r} answers with {CRISIS_DIR}/{group}"
            if group in listed
            else f"{CRISIS_DIR}/{group}.md exists in {', '.join(written[group])}"
        )
        for language in languages:
            path = root / language / CRISIS_DIR / f"{group}.md"
            if not path.exists():
                problems.append(
                    Problem(
                        str(path),
                        0,
                        f"missing: {why}; every language needs {CRISIS_DIR}/{group}.md",
                    )
                )
    return problems


def _key_line(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
