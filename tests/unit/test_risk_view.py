"""The risk classifier's numpy analyzers split a text as scikit-learn's TfidfVectorizer does
(scikit-learn only here, in the test: the bot fits in child processes)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.core.risk import VIEWS
from bot.core.risk_training import Fitted, load
from bot.core.risk_view import Features, View
from bot.language.folding import fold
from bot.language.hashed_grams import HashedGrams

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
    """Fitted and saved as the child process does, loaded as the bot does: the same
    probabilities as scikit-learn's model, for known and unknown n-grams alike."""
    folded = [fold(t) for t in (*TEXTS, "pali sie", "ambulans", "ik wil dood", "x\ny")]
    labels = ["suicide", "safe", "maybe"] * (len(folded) // 3)  # several classes, as in use
    view = VIEWS[0]
    fitted = Fitted(
        view, folded, labels, c=10.0, weights={"suicide": 3.0, "safe": 1.0, "maybe": 1.0}
    )
    fitted.save(tmp_path / "view0")
    ours = View(view, load(tmp_path / "view0"))
    assert ours.classes == ["maybe", "safe", "suicide"]
    for text in (*folded, "nieznane slowa zupelnie", ""):
        assert ours.probabilities(text) == pytest.approx(fitted.predict_proba(text), abs=1e-6)


def test_hashed_grams_find_their_columns_whatever_the_order() -> None:
    grams = ["ż b", " a", "x\ny", "word two"]
    hashed = HashedGrams(grams)
    at, known = hashed.find(["word two", "unknown", " a", "ż b"])
    assert known.tolist() == [True, False, True, True]
    assert [int(hashed.order[i]) for i in at[known]] == [3, 1, 0]
    assert len(hashed) == 4 and np.all(hashed.keys[:-1] < hashed.keys[1:])
    assert HashedGrams([]).find(["a"])[1].tolist() == [False]
