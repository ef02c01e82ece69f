"""The project's own character n-gram classifier, applied with numpy alone.

Fitted with scikit-learn (TF-IDF of character 1-4-grams inside word boundaries, then a
multinomial logistic regression; bot/language/training.py) in a child process, so the bot
process never imports scikit-learn: importing it costs about 110 MiB of the bot's memory
for a model that is a vocabulary and four rows of weights.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.language.hashed_grams import HashedGrams

Floats = npt.NDArray[np.float64]

NGRAMS = (1, 4)
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class CharWeights:
    """What a fitted classifier consists of, columns in the order of its hashed n-grams
    (built in the process that uses it: bot/language/hashed_grams.py)."""

    classes: tuple[str, ...]
    grams: HashedGrams
    idf: Floats  # per column
    coef: Floats  # classes x columns
    intercept: Floats  # per class

    @classmethod
    def of(
        cls,
        classes: Sequence[str],
        grams: Sequence[str],
        idf: Floats,
        coef: Floats,
        intercept: Floats,
    ) -> CharWeights:
        """`grams` in the order of the fitted model's columns."""
        hashed = HashedGrams(grams)
        columns = np.ascontiguousarray(coef[:, hashed.order])
        return cls(tuple(classes), hashed, idf[hashed.order], columns, intercept)


def char_wb_ngrams(text: str, ngrams: tuple[int, int] = NGRAMS) -> list[str]:
    """scikit-learn's `TfidfVectorizer(analyzer="char_wb")` analyzer: lower case, each word
    padded with one space, n-grams that do not cross words (tests/unit/test_language_id.py
    checks it against scikit-learn's own)."""
    low, high = ngrams
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


class LinearCharModel:
    """Probabilities per class for one text: sublinear TF times IDF, l2-normalised, through
    the logistic regression's weights; the same numbers as scikit-learn's `predict_proba`."""

    def __init__(self, weights: CharWeights) -> None:
        self.classes = weights.classes
        self._grams = weights.grams
        self._idf = weights.idf
        self._coef = weights.coef
        self._intercept = weights.intercept

    def probabilities(self, text: str) -> list[float]:
        counts = Counter(char_wb_ngrams(text))
        at, known = self._grams.find(counts)
        if not known.any():
            scores = self._intercept
        else:
            columns = at[known]
            tf = 1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts))[known])
            weights = tf * self._idf[columns]
            weights /= np.sqrt(weights @ weights)
            scores = self._coef[:, columns] @ weights + self._intercept
        exp = np.exp(scores - scores.max())
        return [float(p) for p in exp / exp.sum()]
