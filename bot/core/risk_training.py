"""Fitting the risk classifier's views (bot/core/risk_view.py) with scikit-learn.

As for the language identifier (bot/language/training.py): `ChildFit` runs the fit in a child
process (`python -m bot.core.risk_training EXAMPLES VIEW OUT`), one per view, side by side,
and reads back only the weights, so the bot process stays free of scikit-learn and scipy
(about 110 MiB) and the children's memory goes back to the system when they exit.
scikit-learn is imported only inside the functions that fit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.risk_view import Features, Floats, Part, ViewWeights


class Fitted:
    """One view as scikit-learn fits it: its vectorizers and logistic regression."""

    def __init__(
        self,
        features: Sequence[Features],
        folded: Sequence[str],
        labels: Sequence[str],
        *,
        c: float,
        weights: Mapping[str, float],
    ) -> None:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        self._hstack = hstack
        self.vectorizers: list[Any] = [
            TfidfVectorizer(
                analyzer=f.analyzer,
                ngram_range=f.ngrams,
                min_df=f.min_df,
                token_pattern=f.token_pattern,
                sublinear_tf=True,
            )
            for f in features
        ]
        matrix = hstack([v.fit_transform(folded) for v in self.vectorizers]).tocsr()
        # newton-cg: a few iterations (lbfgs needs many more and three times as long).
        self.model: Any = LogisticRegression(
            C=c, solver="newton-cg", tol=1e-3, max_iter=100, class_weight=dict(weights)
        )
        # One BLAS thread: on a small machine more threads made training three times slower.
        with threadpool_limits(1):
            self.model.fit(matrix, list(labels))

    def save(self, path: Path) -> None:
        """`path`.json: classes and n-grams in column order; `path`.npz: the numbers."""
        grams: list[list[str]] = []
        arrays: dict[str, Any] = {"intercept": np.asarray(self.model.intercept_, np.float64)}
        offset = 0
        for i, v in enumerate(self.vectorizers):
            size = len(v.vocabulary_)
            grams.append([str(g) for g in sorted(v.vocabulary_, key=v.vocabulary_.__getitem__)])
            arrays[f"idf{i}"] = np.asarray(v.idf_, dtype=np.float64)
            arrays[f"coef{i}"] = np.ascontiguousarray(
                self.model.coef_[:, offset : offset + size].T, dtype=np.float64
            )
            offset += size
        classes = [str(c) for c in self.model.classes_]
        text = json.dumps({"classes": classes, "grams": grams}, ensure_ascii=False)
        path.with_suffix(".json").write_text(text, encoding="utf-8")
        np.savez(path.with_suffix(".npz"), **arrays)

    def predict_proba(self, folded: str) -> Floats:
        matrix = self._hstack([v.transform([folded]) for v in self.vectorizers]).tocsr()
        result: Floats = self.model.predict_proba(matrix)[0]
        return result


def load(path: Path) -> ViewWeights:
    names = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    with np.load(path.with_suffix(".npz"), allow_pickle=False) as data:
        parts = tuple(
            Part.of(grams, data[f"idf{i}"], data[f"coef{i}"])
            for i, grams in enumerate(names["grams"])
        )
        return ViewWeights(tuple(names["classes"]), parts, data["intercept"])


class ChildFit:
    """The views fitted in child processes, all at once; `result()` waits for their weights.

    `examples`: the folded texts, their labels, C and the weight of each label."""

    def __init__(self, views: int, examples: Mapping[str, Any]) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="mip-risk-")
        folder = Path(self._dir.name)
        given = folder / "examples.json"
        given.write_text(json.dumps(examples), encoding="utf-8")
        # The children import what this process imports, from the same places.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._outs = [folder / f"view{i}" for i in range(views)]
        self._children = [
            subprocess.Popen(
                [sys.executable, "-m", __name__, str(given), str(i), str(out)], env=env
            )
            for i, out in enumerate(self._outs)
        ]

    def result(self) -> list[ViewWeights]:
        try:
            codes = [child.wait() for child in self._children]
            if any(codes):
                raise RuntimeError(f"fitting the risk classifier failed (exit codes {codes})")
            return [load(out) for out in self._outs]
        finally:
            for child in self._children:
                if child.poll() is None:
                    child.kill()
                    child.wait()
            self._dir.cleanup()


def main(argv: Sequence[str]) -> None:
    from bot.core.risk import VIEWS

    given, view, out = Path(argv[0]), int(argv[1]), Path(argv[2])
    examples = json.loads(given.read_text(encoding="utf-8"))
    fitted = Fitted(
        VIEWS[view],
        examples["folded"],
        examples["labels"],
        c=examples["c"],
        weights=examples["weights"],
    )
    fitted.save(out)


if __name__ == "__main__":
    main(sys.argv[1:])
