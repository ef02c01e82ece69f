"""Parse and validate content files; every problem names its file and line.

The bot and `mip content check` share this parser, so what the checker accepts is exactly
what the bot serves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml

from bot.content.render import render_telegram_html
from bot.content.variants import NO_VARIANTS, Body, combinations, parse_body
from bot.contract import TEXT_INTENTS, Contract

TITLE_MAX = 40
# Telegram's limit for one message, after rendering to HTML.
MESSAGE_MAX = 4096
_RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class Answer:
    intent: str
    language: str
    title: str
    reviewed: dt.date
    sources: tuple[str, ...]
    body: str  # the Markdown as written, sections included
    path: Path
    variants: Body = NO_VARIANTS
    yearly: int | None = None  # the year the numbers in it are valid for
    body_line: int = 1  # the file's line where the body starts


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    warning: bool = False  # reported, but `mip content check` still passes (see docs)
    strict: bool = True  # a warning that `mip content check --strict` fails on

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class _FileProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


# The crisis answers: content/<lang>/crisis/<group>.md, named crisis_<group> (crisis.yml
# refers to them as crisis/<group>). Not contract intents: the crisis path sends them.
CRISIS_DIR = "crisis"
CRISIS_PREFIX = "crisis_"
CRISIS_GROUPS = (
    "suicide",
    "violence_at_home",
    "sexual_violence",
    "trafficking",
    "medical",
    "fire",
    "assault",
)


def crisis_answer(group: str) -> str:
    return f"{CRISIS_PREFIX}{group}"


def load_file(
    path: Path, language: str, contract: Contract, name: str | None = None
) -> tuple[Answer | None, list[Problem]]:
    """Parse one file. Returns the answer (None when unusable) and the problems found.
    `name`: the answer's name when it is not the file's (crisis/fire.md is crisis_fire)."""
    try:
        return _parse(path, language, contract, name or path.stem), []
    except _FileProblems as e:
        return None, e.problems


def load_tree(
    root: Path, languages: tuple[str, ...], contract: Contract
) -> tuple[dict[tuple[str, str], Answer], list[Problem]]:
    """Load content/<lang>/*.md for every language; report unknown and missing files too."""
    answers: dict[tuple[str, str], Answer] = {}
    problems: list[Problem] = []
    wanted = contract.content_intents()
    for language in languages:
        folder = root / language
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if path.stem not in wanted:
                problems.append(
                    Problem(str(path), 1, f"unknown intent {path.stem!r}: not in the contract")
                )
                continue
            answer, found = load_file(path, language, contract)
            problems.extend(found)
            if answer is not None:
                answers[(language, answer.intent)] = answer
        for intent in wanted:
            path = folder / f"{intent}.md"
            if not path.exists():
                problems.append(Problem(str(path), 0, f"missing: every language needs {intent}.md"))
        # The crisis answers that exist; which ones must exist is crisis.yml's to say
        # (checker.crisis_problems): a group it lists needs its answer in every language.
        crisis = folder / CRISIS_DIR
        for path in sorted(crisis.glob("*.md")) if crisis.is_dir() else []:
            if path.stem not in CRISIS_GROUPS:
                problems.append(
                    Problem(
                        str(path),
                        1,
                        f"unknown crisis group {path.stem!r}: use one of {', '.join(CRISIS_GROUPS)}",
                    )
                )
                continue
            answer, found = load_file(path, language, contract, crisis_answer(path.stem))
            problems.extend(found)
            if answer is not None:
                answers[(language, answer.intent)] = answer
    return answers, sorted(problems)


def _parse(path: Path, language: str, contract: Contract, name: str) -> Answer:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise _FileProblems([Problem(where, 1, f"not UTF-8 text ({e.reason})")]) from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise _FileProblems([Problem(where, 1, "must start with a '---' line (front matter)")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise _FileProblems([Problem(where, 1, "front matter has no closing '---' line")]) from None
    front_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :]).strip()
    body_line = end + 2

    try:
        node = yaml.compose(front_text)
        meta = yaml.safe_load(front_text)
    except yaml.YAMLError as e:
        # The context mark is where the broken construct opened (an unclosed '[' or quote),
        # which is the line to fix; the problem mark is where the parser gave up.
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(e, "problem", None) or str(e)
        raise _FileProblems(
            [Problem(where, line, f"front matter is not valid YAML: {reason}")]
        ) from None
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        raise _FileProblems([Problem(where, 2, "front matter must be a set of 'key: value' lines")])
    key_line = {
        k.value: k.start_mark.line + 2 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }

    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(where, key_line.get(key, 2), message))

    for key in ("intent", "title", "reviewed", "sources"):
        if key not in meta:
            problems.append(Problem(where, 2, f"front matter misses the key '{key}'"))
    for key in meta:
        if key not in ("intent", "title", "reviewed", "sources", "yearly"):
            bad(str(key), f"unknown front matter key {key!r}")
    yearly = meta.get("yearly")
    if "yearly" in meta and (not isinstance(yearly, int) or not 2000 <= yearly <= 2100):
        bad("yearly", "yearly must be the year the numbers are valid for, e.g. 'yearly: 2026'")
        yearly = None

    intent = meta.get("intent")
    if "intent" in meta and intent != name:
        bad("intent", f"intent {intent!r} does not match the file name: write intent: {name}")
    title = meta.get("title")
    if "title" in meta and (not isinstance(title, str) or not title.strip()):
        bad("title", "title must be a non-empty text")
    elif isinstance(title, str) and len(title) > TITLE_MAX:
        bad("title", f"title is {len(title)} characters; at most {TITLE_MAX} fit on a button")
    reviewed = meta.get("reviewed")
    if "reviewed" in meta and not isinstance(reviewed, dt.date):
        bad("reviewed", "reviewed must be a date written as YYYY-MM-DD")
    sources = meta.get("sources")
    if "sources" in meta:
        if not isinstance(sources, list):
            bad("sources", "sources must be a list of links ('- https://...')")
            sources = []
        for i, url in enumerate(sources):
            if not is_web_link(url):
                problems.append(
                    Problem(
                        where,
                        key_line.get("sources", 2) + 1 + i,
                        f"source {url!r} is not an http(s) link",
                    )
                )
        if not sources and name not in TEXT_INTENTS and contract.is_answer(name):
            bad("sources", "an answer needs at least one source")

    if not body:
        problems.append(
            Problem(where, body_line, "the answer text (after the front matter) is empty")
        )
    for offset, line in enumerate(lines[end + 1 :]):
        if _RAW_HTML.search(line):
            problems.append(
                Problem(
                    where,
                    end + 2 + offset,
                    "raw HTML is not allowed; use Markdown (**bold**, [text](link))",
                )
            )
        for url in re.findall(r"\]\(([^)\s]*)\)", line):
            if not _is_link(url):
                problems.append(
                    Problem(
                        where,
                        end + 2 + offset,
                        f"link {url!r} is not a valid http(s), tel: or mailto: link",
                    )
                )
    variants, found = parse_body(lines[end + 1 :], end + 2)
    problems.extend(Problem(where, line, message) for line, message in found)
    # Without municipality data (the checker adds it): every variant must fit on its own.
    for stay, municipality in combinations(variants, sorted(variants.municipality_ids())):
        rendered = len(render_telegram_html(variants.select(stay, municipality)))
        if rendered > MESSAGE_MAX:
            problems.append(
                Problem(
                    where,
                    body_line,
                    f"answer is {rendered} characters after rendering; Telegram allows {MESSAGE_MAX}",
                )
            )
            break
    if problems:
        raise _FileProblems(problems)
    assert isinstance(title, str) and isinstance(reviewed, dt.date) and isinstance(sources, list)
    return Answer(
        name,
        language,
        title.strip(),
        reviewed,
        tuple(sources),
        body,
        path,
        variants,
        yearly if isinstance(yearly, int) else None,
        body_line,
    )


def is_web_link(url: object) -> bool:
    if not isinstance(url, str):
        return False
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in url


def _is_link(url: str) -> bool:
    return is_web_link(url) or bool(re.fullmatch(r"(tel:\+?[0-9-]+|mailto:[^@\s]+@[^@\s]+)", url))
