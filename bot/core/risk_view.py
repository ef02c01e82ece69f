"""One view of a message for the risk classifier: tf-idf features and a logistic regression,
scored without scikit-learn's per-call checks (a tenth of the time, the same numbers as
`predict_proba`: tests/unit/test_crisis_classifier.py compares them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]


class View:
    def __init__(
        self,
        vectorizers: Sequence[TfidfVectorizer],
        folded: Sequence[str],
        labels: Sequence[str],
        *,
        c: float,
        weights: Mapping[str, float],
    ) -> None:
        self.vectorizers = tuple(vectorizers)
        matrix = hstack([v.fit_transform(folded) for v in self.vectorizers]).tocsr()
        # newton-cg: a few iterations (lbfgs needs many more and three times as long).
        self.model = LogisticRegression(
            C=c, solver="newton-cg", tol=1e-3, max_iter=100, class_weight=dict(weights)
        )
        # One BLAS thread: on a small machine more threads made training three times slower.
        with threadpool_limits(1):
            self.model.fit(matrix, labels)
        self.classes: list[str] = list(self.model.classes_)
        # Per vectorizer: its analyzer, vocabulary, idf and its part of coef_.
        self._parts: list[tuple[Callable[[str], list[str]], dict[str, int], np.ndarray, np.ndarray]]
        self._parts = []
        offset = 0
        coef = self.model.coef_
        for v in self.vectorizers:
            size = len(v.vocabulary_)
            # Transposed, one row per n-gram: a message's rows are gathered in one piece.
            rows = np.ascontiguousarray(coef[:, offset : offset + size].T)
            self._parts.append((v.build_analyzer(), v.vocabulary_, v.idf_, rows))
            offset += size
        self._intercept = self.model.intercept_

    def probabilities(self, folded: str) -> np.ndarray:
        """predict_proba for one folded text (sublinear tf, l2 per vectorizer)."""
        scores = self._intercept.copy()
        for analyze, vocabulary, idf, coef in self._parts:
            # Counting and the intersection run in C; a generator with a test per n-gram
            # took three times as long on long messages.
            counts = Counter(analyze(folded))
            known = list(counts.keys() & vocabulary.keys())
            if not known:
                continue
            columns = np.array([vocabulary[g] for g in known], dtype=np.intp)
            tf = np.array([counts[g] for g in known], dtype=np.float64)
            weights = (1.0 + np.log(tf)) * idf[columns]
            weights /= np.sqrt(weights @ weights)
            scores += weights @ coef[columns]
        exp = np.exp(scores - scores.max())
        result: np.ndarray = exp / exp.sum()
        return result

    def reference(self, folded: str) -> np.ndarray:
        """scikit-learn's own predict_proba (for the test that compares)."""
        matrix = hstack([v.transform([folded]) for v in self.vectorizers]).tocsr()
        result: np.ndarray = self.model.predict_proba(matrix)[0]
        return result
