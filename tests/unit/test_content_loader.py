"""The loader validates on load and names file and line; the store keeps the last good answer."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.content.loader import CRISIS_GROUPS, load_file, load_tree
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.language.codes import SUPPORTED
from tests.conftest import CONTENT

GOOD = """---
intent: register_brp
title: Registratie (BRP)
reviewed: 2026-11-23
sources:
  - https://schagen.nl/en/moving-netherlands
---
Schrijf je **binnen 5 dagen** in bij de gemeente.
"""


def write(tmp_path: Path, text: str, name: str = "register_brp.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_content_tree_is_complete_and_valid(contract: Contract) -> None:
    answers, problems = load_tree(CONTENT, SUPPORTED, contract)
    assert [str(p) for p in problems] == []
    # The contract's answers and the seven crisis answers, in every language.
    assert len(answers) == len(SUPPORTED) * (len(contract.content_intents()) + len(CRISIS_GROUPS))
    answer = answers[("pl", "register_brp")]
    assert answer.reviewed <= dt.date.today()
    assert all(s.startswith("https://") or s.startswith("http://") for s in answer.sources)


def test_a_good_file_loads(tmp_path: Path, contract: Contract) -> None:
    answer, problems = load_file(write(tmp_path, GOOD), "nl", contract)
    assert problems == []
    assert answer is not None
    assert answer.title == "Registratie (BRP)"
    assert answer.reviewed == dt.date(2026, 11, 23)
    assert answer.body.startswith("Schrijf je")


@pytest.mark.parametrize(
    ("broken", "line", "message"),
    [
        (GOOD.replace("title: Registratie (BRP)", "title: [unclosed"), 3, "not valid YAML"),
        (GOOD.replace("reviewed: 2026-11-23", "reviewed: yesterday"), 4, "reviewed must be a date"),
        (
            GOOD.replace("intent: register_brp", "intent: register_rni"),
            2,
            "does not match the file name",
        ),
        (
            GOOD.replace("  - https://schagen.nl/en/moving-netherlands", "  - schagen.nl"),
            6,
            "not an http(s) link",
        ),
        (GOOD.replace("title: Registratie (BRP)", "title: " + "x" * 41), 3, "at most 40"),
        (GOOD.replace("Schrijf je", "<b>Schrijf</b> je"), 8, "raw HTML"),
        (GOOD.replace("bij de gemeente", "bij de [gemeente](gemeente.nl)"), 8, "not a valid"),
        (GOOD.replace("---\nSchrijf", "colour: red\n---\nSchrijf"), 7, "unknown front matter key"),
        (GOOD.split("---\nSchrijf")[0] + "---\n", 8, "is empty"),
        (GOOD.replace("---\n", "", 1), 1, "must start with"),
    ],
)
def test_each_problem_names_file_and_line(
    tmp_path: Path, contract: Contract, broken: str, line: int, message: str
) -> None:
    path = write(tmp_path, broken)
    answer, problems = load_file(path, "nl", contract)
    assert answer is None
    assert any(p.line == line and message in p.message and p.path == str(path) for p in problems), (
        problems
    )
    assert str(problems[0]).startswith(f"{path}:")


def test_an_answer_longer_than_telegram_allows_is_rejected(
    tmp_path: Path, contract: Contract
) -> None:
    _, problems = load_file(write(tmp_path, GOOD + "word " * 1000), "nl", contract)
    assert any("Telegram allows 4096" in p.message for p in problems)


def test_the_store_keeps_the_last_good_version_of_a_broken_file(
    tmp_path: Path, contract: Contract
) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    store = ContentStore(root, SUPPORTED, contract, check_interval=0)
    assert store.load() == []
    path = root / "nl" / "register_brp.md"
    original = store.get("nl", "register_brp")
    assert original is not None

    path.write_text(
        path.read_text(encoding="utf-8").replace("reviewed:", "reviewed: [", 1), encoding="utf-8"
    )
    assert store.refresh()
    assert store.get("nl", "register_brp") == original
    assert [p.path for p in store.problems] == [str(path)]

    path.write_text(GOOD.replace("Schrijf je", "Nieuw: schrijf je"), encoding="utf-8")
    assert store.refresh()
    updated = store.get("nl", "register_brp")
    assert updated is not None and updated.body.startswith("Nieuw:")
    assert store.problems == []
