"""Fitting the character n-gram classifier (bot/language/char_model.py) with scikit-learn.

`ChildFit` runs the fit in a child process (`python -m bot.language.training IN OUT`) and
reads back only the weights: the bot process stays free of scikit-learn and scipy (about
110 MiB), and the child's memory goes back to the system when it exits. A few seconds at
start, in parallel with loading lingua.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.language.char_model import NGRAMS, CharWeights

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline


def pipeline() -> Pipeline:
    """The classifier as scikit-learn builds it (also for tests that compare the two)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True, min_df=1),
        LogisticRegression(C=20.0, max_iter=2000),
    )


def weights_of(fitted: Pipeline) -> CharWeights:
    vectorizer: Any = fitted[0]
    classifier: Any = fitted[-1]
    if not vectorizer.sublinear_tf or vectorizer.norm != "l2" or classifier.coef_.shape[0] < 3:
        raise ValueError("made for sublinear, l2-normalised TF-IDF and a multinomial model")
    return CharWeights.of(
        [str(c) for c in classifier.classes_],
        _grams_in_column_order(vectorizer.vocabulary_),
        np.asarray(vectorizer.idf_, dtype=np.float64),
        np.asarray(classifier.coef_, dtype=np.float64),
        np.asarray(classifier.intercept_, dtype=np.float64),
    )


def _grams_in_column_order(vocabulary: dict[str, int]) -> list[str]:
    return [str(g) for g in sorted(vocabulary, key=vocabulary.__getitem__)]


def save(fitted: Pipeline, path: Path) -> None:
    """The fitted model's numbers and its n-grams as strings (the hashes are made by load)."""
    vectorizer: Any = fitted[0]
    classifier: Any = fitted[-1]
    np.savez(
        path,
        classes=np.array([str(c) for c in classifier.classes_]),
        grams=np.array(_grams_in_column_order(vectorizer.vocabulary_)),
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        coef=np.asarray(classifier.coef_, dtype=np.float64),
        intercept=np.asarray(classifier.intercept_, dtype=np.float64),
    )


def load(path: Path) -> CharWeights:
    with np.load(path, allow_pickle=False) as data:
        return CharWeights.of(
            [str(c) for c in data["classes"]],
            [str(g) for g in data["grams"]],
            data["idf"],
            data["coef"],
            data["intercept"],
        )


class ChildFit:
    """A fit started in a child process; `result()` waits for its weights."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str]) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="mip-language-")
        folder = Path(self._dir.name)
        self._out = folder / "weights.npz"
        examples = folder / "examples.json"
        examples.write_text(json.dumps([list(texts), list(labels)]), encoding="utf-8")
        # The child imports what this process imports, from the same places.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._child = subprocess.Popen(
            [sys.executable, "-m", __name__, str(examples), str(self._out)], env=env
        )

    def result(self) -> CharWeights:
        try:
            if self._child.wait() != 0:
                raise RuntimeError(
                    f"fitting the language classifier failed (exit {self._child.returncode})"
                )
            return load(self._out)
        finally:
            self._dir.cleanup()


def main(argv: Sequence[str]) -> None:
    examples, out = Path(argv[0]), Path(argv[1])
    texts, labels = json.loads(examples.read_text(encoding="utf-8"))
    save(pipeline().fit(list(texts), list(labels)), out)


if __name__ == "__main__":
    main(sys.argv[1:])
