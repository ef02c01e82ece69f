"""Choose the crisis classifier's thresholds by cross-validation on the TRAINING data only.

    python -m bench.crisis_thresholds

5 stratified folds over intents/crisis/*.yml + the ordinary questions of intents/data/nlu:
each message is scored by a classifier that never saw it; the out-of-fold figures per
threshold are printed. The development set (tests/crisis_dev) is not read here.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bot.core.risk import GROUPS, MAYBE, SAFE, RiskClassifier, crisis_examples, ordinary_examples

INTENTS = Path(__file__).resolve().parent.parent / "intents"


def main() -> None:
    crisis = list(crisis_examples(INTENTS / "crisis"))
    ordinary = [(t, SAFE) for t, _ in ordinary_examples(INTENTS / "data" / "nlu")]
    source = np.array(["crisis"] * len(crisis) + ["ordinary"] * len(ordinary))
    examples = crisis + ordinary
    labels = np.array([label for _, label in examples])
    danger = np.zeros(len(examples))
    concern = np.zeros(len(examples))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(np.zeros(len(labels)), labels):
        started = time.perf_counter()
        model = RiskClassifier([examples[i] for i in train])
        print(f"fold trained in {time.perf_counter() - started:.2f} s")
        for i in test:
            risk = model.assess(examples[i][0])
            danger[i], concern[i] = risk.danger, risk.concern
    is_danger = np.isin(labels, GROUPS)
    crisis_other = (source == "crisis") & ~is_danger
    crisis_maybe = labels == MAYBE
    plain = source == "ordinary"
    print("danger_at  recall  false(crisis safe+maybe)  false(ordinary)")
    for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        print(
            f"{t:8.2f}  {np.mean(danger[is_danger] >= t):6.1%}  "
            f"{np.mean(danger[crisis_other] >= t):10.1%}  {np.mean(danger[plain] >= t):10.2%}"
        )
    print("maybe_at  danger-any  maybe-any  ordinary-line")
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        print(
            f"{t:8.2f}  {np.mean(concern[is_danger] >= t):6.1%}  "
            f"{np.mean(concern[crisis_maybe] >= t):6.1%}  {np.mean(concern[plain] >= t):8.2%}"
        )


if __name__ == "__main__":
    main()
