"""bot/folding.py repeats the engine tokenizer's spelling rules (intents/components/folding.py),
which run in the engine's own environment and import Rasa. The crisis matcher and the engine
must fold alike, so the two copies are checked against each other here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.folding import fold
from tests.conftest import INTENTS

SAMPLES = [
    "Zameldować się w gminie",
    "kak6e da si napravq zdravna",
    "Какво е BSN номерът?",
    "4ovek, 40 uur, 6 dagen",
    "Chcę się ZABIĆ!!!",
    "Łódź, Straße, Ærø, ıi",
    "ajutooooor vă rog",
]


def engine_fold() -> Callable[[str], str]:
    """The component's `fold`, without the Rasa parts of its module."""
    source = (INTENTS / "components" / "folding.py").read_text(encoding="utf-8")
    start = source.index("# Bulgarian Cyrillic")
    end = source.index("@DefaultV1Recipe.register")
    namespace: dict[str, Any] = {}
    exec("import re\nimport unicodedata\n" + source[start:end], namespace)
    function: Callable[[str], str] = namespace["fold"]
    return function


def test_the_bot_folds_spellings_exactly_like_the_engine() -> None:
    other = engine_fold()
    assert [fold(s) for s in SAMPLES] == [other(s) for s in SAMPLES]
