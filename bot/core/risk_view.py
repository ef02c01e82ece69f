"""One view of a message for the risk classifier: tf-idf features and a logistic regression,
applied with numpy alone.

Fitted with scikit-learn in a child process (bot/core/risk_training.py), so the bot process
never imports scikit-learn or scipy (about 110 MiB); here only its weights. The scorer gives
the same numbers as scikit-learn's `predict_proba` (tests/unit/test_crisis_tiers.py compares
them) in a tenth of the time: no per-call checks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.language.char_model import char_wb_ngrams
from bot.language.hashed_grams import HashedGrams

Floats = npt.NDArray[np.float64]
Floats32 = npt.NDArray[np.float32]
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Features:
    """One TfidfVectorizer of a view (sublinear tf, l2), as scikit-learn's arguments."""

    analyzer: str  # "char_wb", "char" or "word"
    ngrams: tuple[int, int]
    min_df: int = 1
    token_pattern: str = r"(?u)\b\w\w+\b"  # scikit-learn's default (only for "word")

    def analyze(self, text: str) -> list[str]:
        """scikit-learn's analyzer for these arguments (lower case, no accent stripping;
        tests/unit/test_risk_view.py checks them against scikit-learn's own)."""
        text = text.lower()
        low, high = self.ngrams
        if self.analyzer == "char_wb":
            return char_wb_ngrams(text, self.ngrams)
        if self.analyzer == "char":
            text = _WHITE_SPACES.sub(" ", text)
            return [
                text[i : i + n]
                for n in range(low, min(high, len(text)) + 1)
                for i in range(len(text) - n + 1)
            ]
        if self.analyzer == "word":
            tokens = re.findall(self.token_pattern, text)
            return [
                " ".join(tokens[i : i + n])
                for n in range(low, min(high, len(tokens)) + 1)
                for i in range(len(tokens) - n + 1)
            ]
        raise ValueError(f"unknown analyzer {self.analyzer!r}")


@dataclass(frozen=True)
class Part:
    """One vectorizer's share of a fitted view, rows in the order of its hashed n-grams."""

    grams: HashedGrams
    idf: Floats  # per n-gram
    coef: Floats32  # n-grams x classes (transposed: a message's rows are gathered in one piece)

    @classmethod
    def of(cls, grams: Sequence[str], idf: Floats, coef: npt.NDArray[np.floating]) -> Part:
        """`grams` in the order of idf's entries and coef's rows."""
        hashed = HashedGrams(grams)
        # float32: half the memory; probabilities move by under 1e-6.
        rows = np.ascontiguousarray(coef[hashed.order], np.float32)
        return cls(hashed, idf[hashed.order], rows)


@dataclass(frozen=True)
class ViewWeights:
    classes: tuple[str, ...]
    parts: tuple[Part, ...]
    intercept: Floats  # per class


class View:
    def __init__(
        self,
        features: Sequence[Features],
        weights: ViewWeights,
        reference: Callable[[str], Floats] | None = None,
    ) -> None:
        if len(features) != len(weights.parts):
            raise ValueError("one part of the weights per vectorizer")
        self.features = tuple(features)
        self.classes: list[str] = list(weights.classes)
        self._parts = [(f.analyze, p) for f, p in zip(self.features, weights.parts, strict=True)]
        self._intercept = weights.intercept
        self._reference = reference

    def probabilities(self, folded: str) -> Floats:
        """predict_proba for one folded text (sublinear tf, l2 per vectorizer)."""
        scores = self._intercept.copy()
        for analyze, part in self._parts:
            counts = Counter(analyze(folded))
            rows, known = part.grams.find(counts)
            if not known.any():
                continue
            columns = rows[known]
            tf = np.fromiter(counts.values(), np.float64, len(counts))[known]
            weights = (1.0 + np.log(tf)) * part.idf[columns]
            weights /= np.sqrt(weights @ weights)
            scores += weights @ part.coef[columns]
        exp = np.exp(scores - scores.max())
        result: Floats = exp / exp.sum()
        return result

    def reference(self, folded: str) -> Floats:
        """scikit-learn's own predict_proba, from a fit in this process (only for the test
        that compares: it imports scikit-learn)."""
        if self._reference is None:
            raise RuntimeError("this view has no reference model")
        return self._reference(folded)
