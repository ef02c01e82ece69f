"""Choose the crisis classifier's thresholds by cross-validation on the TRAINING data only.

    python -m bench.crisis_thresholds [--show-false N]

5 stratified folds over intents/crisis/*.yml + the ordinary questions of intents/data/nlu:
each message is scored by a classifier that never saw it. Printed: the out-of-fold figures
per threshold, overall and per language, and the thresholds the rules below choose:

- DANGER: the lowest at which at most 0.25% of the ordinary questions, 0.5% of the long ones
  (more than 15 words: real messages are often longer than training questions, and they are
  where a classifier's false alarms grow) and 5% of the crisis files' `safe` messages cross;
- MAYBE_AT: the lowest at which the safety line goes on at most 1.5% of the ordinary
  questions and 2% of the long ones (the budget is 3%: real messages differ from training);

With `--engine URL` (a running engine, `mip engine`), the engine's intent for each message is
read too, and AGREE_AT is chosen: the danger tier also when the engine names a safety intent
and the classifier's danger reaches AGREE_AT, by the same budgets as DANGER, kept in every
language. The crisis files'
messages are not in the engine's training data, so its intents on them are out of sample;
the ordinary questions are (in sample: their figures flatter the engine a little).

`--missed FILE` writes the danger training messages that the classifier misses out of fold
(to review: mislabelled, or a way of saying it that needs more examples). `--show-false N` lists ordinary training questions that cross out of fold (training data:
reading them to write `safe` examples is fine). The development set (tests/crisis_dev) is
never read here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bot.cli.evaluate import engine_intents
from bot.core.risk import (
    GROUPS,
    MAYBE,
    SAFE,
    SAFETY_INTENTS,
    RiskClassifier,
    crisis_examples,
    ordinary_examples,
)
from bot.language.codes import SUPPORTED

INTENTS = Path(__file__).resolve().parent.parent / "intents"
LONG = 15  # words
DANGER_BUDGET = (0.0025, 0.005, 0.05)  # ordinary, long ordinary, crisis `safe`
MAYBE_BUDGET = (0.015, 0.02)  # ordinary, long ordinary


def _by_language(
    read: Callable[[str], Iterable[tuple[str, str]]],
) -> tuple[list[tuple[str, str]], list[str]]:
    examples: list[tuple[str, str]] = []
    languages: list[str] = []
    for language in SUPPORTED:
        found = list(read(language))
        examples += found
        languages += [language] * len(found)
    return examples, languages


def lowest(scores: np.ndarray, rules: list[tuple[np.ndarray, float]]) -> float:
    """The lowest threshold (0.05 steps of 0.01) at which every slice stays in its budget."""
    for t in np.arange(0.05, 0.96, 0.01):
        if all(np.mean(scores[where] >= t) <= budget for where, budget in rules):
            return float(round(t, 2))
    return 0.96


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-false", type=int, default=0)
    parser.add_argument("--missed", help="write the danger messages missed out of fold to FILE")
    parser.add_argument("--engine", help="URL of a running engine: also choose AGREE_AT")
    args = parser.parse_args()
    crisis, crisis_lang = _by_language(lambda lang: crisis_examples(INTENTS / "crisis", lang))
    ordinary, ordinary_lang = _by_language(
        lambda lang: ((t, SAFE) for t, _ in ordinary_examples(INTENTS / "data" / "nlu", lang))
    )
    source = np.array(["crisis"] * len(crisis) + ["ordinary"] * len(ordinary))
    language = np.array(crisis_lang + ordinary_lang)
    examples = crisis + ordinary
    labels = np.array([label for _, label in examples])
    words = np.array([len(t.split()) for t, _ in examples])
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
    crisis_safe = (source == "crisis") & (labels == SAFE)
    crisis_maybe = labels == MAYBE
    plain = source == "ordinary"
    long = plain & (words > LONG)
    everywhere = np.ones(len(labels), bool)
    for name, where in (("all", everywhere), *((lg, language == lg) for lg in SUPPORTED)):
        print(f"\n== {name}")
        print("danger_at  recall  false(crisis safe)  false(ordinary)  false(long ordinary)")
        for t in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
            print(
                f"{t:8.2f}  {np.mean(danger[is_danger & where] >= t):6.1%}  "
                f"{np.mean(danger[crisis_safe & where] >= t):10.1%}  "
                f"{np.mean(danger[plain & where] >= t):10.2%}  "
                f"{np.mean(danger[long & where] >= t):10.2%}"
            )
        print("maybe_at  danger-any  maybe-any  ordinary-line  long-ordinary-line")
        for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
            print(
                f"{t:8.2f}  {np.mean(concern[is_danger & where] >= t):6.1%}  "
                f"{np.mean(concern[crisis_maybe & where] >= t):6.1%}  "
                f"{np.mean(concern[plain & where] >= t):8.2%}  "
                f"{np.mean(concern[long & where] >= t):8.2%}"
            )
    danger_at = lowest(
        danger,
        [(plain, DANGER_BUDGET[0]), (long, DANGER_BUDGET[1]), (crisis_safe, DANGER_BUDGET[2])],
    )
    maybe_at = lowest(concern, [(plain, MAYBE_BUDGET[0]), (long, MAYBE_BUDGET[1])])
    print(
        f"\nchosen: DANGER = {danger_at} (recall {np.mean(danger[is_danger] >= danger_at):.1%}), "
        f"MAYBE_AT = {maybe_at} (danger messages reaching a tier "
        f"{np.mean(np.maximum(danger, concern)[is_danger] >= min(danger_at, maybe_at)):.1%}, "
        f"maybe messages {np.mean(concern[crisis_maybe] >= maybe_at):.1%})"
    )
    if args.engine:
        texts = sorted({t for t, _ in examples})
        read = asyncio.run(engine_intents(args.engine, texts))
        intents = [read[t] for t, _ in examples]
        safety = np.isin(np.array(intents), sorted(SAFETY_INTENTS))
        topic_safe = crisis_safe & safety
        print("\nwith the engine naming a safety intent (danger >= DANGER, or safety intent and")
        print("danger >= agree_at):")
        print(f"({np.sum(topic_safe)} of {np.sum(crisis_safe)} `safe` messages on a safety topic)")
        print("agree_at  recall  false(safe, safety topic)  false(ordinary)  false(long ordinary)")
        for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55):
            flagged = (danger >= danger_at) | (safety & (danger >= t))
            print(
                f"{t:8.2f}  {np.mean(flagged[is_danger]):6.1%}  "
                f"{np.mean(flagged[topic_safe]):10.1%}  "
                f"{np.mean(flagged[plain]):10.2%}  {np.mean(flagged[long]):10.2%}"
            )
        # Agreement adds false alarms only where the engine names a safety intent: among the
        # crisis files' `safe` messages, the questions about safety topics (ambulance costs,
        # a fire in the news), like the development set's hard negatives. The budget holds
        # for those, in every language (over all `safe` messages, everyday chat that the
        # engine never reads as a safety topic would dilute it).
        agreed = np.maximum(np.where(safety, danger, 0.0), np.where(danger >= danger_at, 1.0, 0.0))
        agree_at = min(
            danger_at,
            lowest(
                agreed,
                [
                    (plain, DANGER_BUDGET[0]),
                    (long, DANGER_BUDGET[1]),
                    *((topic_safe & (language == lg), DANGER_BUDGET[2]) for lg in SUPPORTED),
                ],
            ),
        )
        flagged = (danger >= danger_at) | (safety & (danger >= agree_at))
        print(f"chosen: AGREE_AT = {agree_at} (recall {np.mean(flagged[is_danger]):.1%})")
        for lg in SUPPORTED:
            where = language == lg
            print(
                f"  {lg}: recall {np.mean(flagged[is_danger & where]):.1%}, false(safe, safety "
                f"topic) {np.mean(flagged[topic_safe & where]):.1%}, false(ordinary) "
                f"{np.mean(flagged[plain & where]):.2%}"
            )
    if args.missed:
        missed = [
            {
                "language": str(language[i]),
                "group": str(labels[i]),
                "danger": round(danger[i], 2),
                "text": examples[i][0],
            }
            for i in np.argsort(danger)
            if is_danger[i] and danger[i] < danger_at
        ]
        Path(args.missed).write_text(json.dumps(missed, ensure_ascii=False, indent=1), "utf-8")
        print(f"\n{len(missed)} danger training messages missed out of fold: {args.missed}")
    if args.show_false:
        print(f"\nordinary training questions at danger >= {danger_at} out of fold:")
        crossing = [i for i in np.argsort(-danger) if plain[i] and danger[i] >= danger_at]
        for i in crossing[: args.show_false]:
            print(f"  {danger[i]:.2f} {language[i]} {examples[i][0]}")


if __name__ == "__main__":
    main()
