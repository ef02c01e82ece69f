"""The risk classifier's numpy analyzers split a text as scikit-learn's TfidfVectorizer does
(scikit-learn only here, in the test: the bot fits in child processes)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.core.risk import VIEWS
from bot.core.risk_training import load, save
from bot.core.risk_view import Features, Part, ViewWeights
from bot.language.folding import fold

TEXTS = [
    "nie chce juz zyc",
    "Mąż  mnie\tbije,\n\npomocy!!",
    "a",
    "ab",
    "",
    "  ",
    "🔥🔥 brand!! 112",
    "kilka lat temu byly maz mnie bil, teraz potrzebuje papierow do rozwodu",
]
FEATURES = sorted({f for view in VIEWS for f in view}, key=repr)


@pytest.mark.parametrize("features", FEATURES, ids=repr)
@pytest.mark.parametrize("text", TEXTS)
def test_the_analyzers_are_scikit_learns(features: Features, text: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    theirs = TfidfVectorizer(
        analyzer=features.analyzer,
        ngram_range=features.ngrams,
        token_pattern=features.token_pattern,
    ).build_analyzer()
    for given in (text, fold(text)):
        assert Counter(features.analyze(given)) == Counter(theirs(given))


def test_the_weights_survive_the_files(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    weights = ViewWeights(
        ("maybe", "safe", "suicide"),
        (
            Part({" a": 1, "ż b": 0, "x\ny": 2}, rng.random(3), rng.random((3, 3))),
            Part({"word two": 0}, rng.random(1), rng.random((1, 3))),
        ),
        rng.random(3),
    )
    save(weights, tmp_path / "view0")
    back = load(tmp_path / "view0")
    assert back.classes == weights.classes
    for ours, theirs in zip(back.parts, weights.parts, strict=True):
        assert ours.vocabulary == theirs.vocabulary
        np.testing.assert_array_equal(ours.idf, theirs.idf)
        np.testing.assert_array_equal(ours.coef, theirs.coef)
    np.testing.assert_array_equal(back.intercept, weights.intercept)
