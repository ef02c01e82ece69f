"""The crisis-risk classifier: how likely a message is someone in danger now, and which kind.

The phrase list (content/crisis.yml, crisis.py) is precise but misses paraphrases ("nie chcę
żyć", "mă bate bărbatul meu"). This classifier reads what the phrases miss: two logistic
regressions averaged (risk_view.py), one over character n-grams within words (robust to
typos, endings, Latin-letter Bulgarian) and word n-grams (word order: "years ago he hit me"
is not "he hits me"), one over letters across words, on folded text
(bot/language/folding.py), trained at start in a few seconds, in child processes
(bot/core/risk_training.py: the bot process never imports scikit-learn), from

- intents/crisis/<lang>.yml: `danger` messages by group, `maybe` (distress, no acute danger)
  and `safe` (shares words with a crisis: costs of an ambulance, a fire in the news, idioms);
- intents/data/nlu/<lang>.yml: every ordinary training question, as more `safe` examples
  (the safety intents' examples are left out: "kolega nie oddycha" is one of them).

Never the development set tests/crisis_dev/: it only measures (`mip eval --crisis`).
Nothing is cached on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.core.crisis import CrisisMatch
from bot.core.risk_training import ChildFit, Fitted
from bot.core.risk_view import Features, View
from bot.language.codes import SUPPORTED
from bot.language.folding import fold

GROUPS = (
    "suicide",
    "violence_at_home",
    "sexual_violence",
    "trafficking",
    "medical",
    "fire",
    "assault",
)
MAYBE = "maybe"
SAFE = "safe"
LABELS = (*GROUPS, MAYBE, SAFE)

# The engine's intents about safety: with one of them, a lower classifier score is enough
# for the safety line (third signal).
SAFETY_INTENTS = frozenset(
    {"emergency", "mental_health", "domestic_violence", "sexual_violence", "report_exploitation"}
)

# Thresholds, chosen by 5-fold cross-validation on the TRAINING data only with the rules in
# bench/crisis_thresholds.py (`python -m bench.crisis_thresholds` prints the out-of-fold
# figures; the development and confirmation sets in tests/ are never read there). Out of fold:
# - DANGER, on the danger probability (the seven groups summed): the lowest threshold at which
#   at most 0.25% of the ordinary questions, 0.5% of the long ones and 5% of the crisis files'
#   `safe` messages cross it. At 0.6 the classifier alone finds 92% of the danger messages;
#   the phrase list adds the precise cases.
# - MAYBE_AT, on concern (danger + maybe): the lowest at which at most 1.5% of the ordinary
#   questions (2% of the long ones) get the safety line (budget 3%: real messages differ from
#   training). At 0.41, 97% of the danger and 86% of the `maybe` messages reach a tier.
# - SAFETY_FLOOR: with the engine naming a safety intent, the line needs only this much
#   concern; the safety intents are few, so this costs little on ordinary questions.
# The engine's intent is not a danger signal: letting a safety intent lower DANGER
# (`--engine URL` measures it) found 5 more in 100 danger messages, but crossed on more than
# 5% of the `safe` questions about safety topics (an ambulance's cost, a fire in the news).
# The danger groups weigh more in training: about 420-970 examples each in the four
# languages together, against about 9,900 safe ones (ordinary questions included).
DANGER_WEIGHT = 3.0
# Regularisation, by the same cross-validation (3, 5 and 30 found no more at the same false
# alarms; weights 1.5, 2 and 6 neither).
C = 10.0
DANGER = 0.6
MAYBE_AT = 0.41
SAFETY_FLOOR = 0.1


@dataclass(frozen=True)
class Risk:
    group: str  # the most likely of GROUPS
    probability: float  # of that group
    danger: float  # of any group (someone in danger now)
    concern: float  # danger + maybe (distress worth the safety line)


def tier_of(
    risk: Risk | None,
    phrase_match: bool,
    intent: str | None = None,
    *,
    told_as_past: bool = False,
    danger_at: float = DANGER,
    maybe_at: float = MAYBE_AT,
    floor: float = SAFETY_FLOOR,
) -> str | None:
    """'danger', 'maybe' or None from the three signals. `told_as_past`: the phrase stands in
    a message with one of crisis.yml's `past` expressions ("w zeszłym roku mnie uderzył, teraz
    się rozwodzimy"); then it is danger only when the classifier reads danger too, and
    otherwise the safety line. Out of fold on the training data: of the 643 danger messages a
    phrase finds, 2 have a past expression and both stay danger; of the 36 others a phrase
    finds, the 8 told as the past leave the danger tier."""
    classifier_danger = risk is not None and risk.danger >= danger_at
    if classifier_danger or (phrase_match and (not told_as_past or risk is None)):
        return "danger"
    if phrase_match:
        return "maybe"
    if risk is None:
        return None
    if risk.concern >= maybe_at:
        return "maybe"
    if intent in SAFETY_INTENTS and risk.concern >= floor:
        return "maybe"
    return None


def tier_of_matches(
    risk: Risk | None, matches: Sequence[CrisisMatch], intent: str | None = None
) -> str | None:
    """tier_of with the phrase list's matches for a message (bot/core/crisis.py)."""
    return tier_of(risk, bool(matches), intent, told_as_past=bool(matches) and matches[0].past)


# The classifier's two views of a message; their probabilities are averaged. Each vectorizer's
# vector has length one (l2): a long story about a payslip does not pile up evidence word by
# word (without it, long ordinary messages crossed the threshold four times as often out of
# fold). The second view reads letters across word boundaries ("mnie bije", "me bie");
# together the two found 85% of the danger messages out of fold against 81% for the first
# alone, at the same false alarms (bench/crisis_thresholds.py).
VIEWS: tuple[tuple[Features, ...], ...] = (
    (
        Features("char_wb", (1, 5), min_df=2),
        Features("word", (1, 2), token_pattern=r"[a-z0-9]+"),
    ),
    (Features("char", (3, 6), min_df=2),),
)


class RiskClassifier:
    """Fitted with scikit-learn in child processes (bot/core/risk_training.py), applied with
    numpy here: the bot process never imports scikit-learn."""

    def __init__(self, examples: Iterable[tuple[str, str]], *, c: float = C) -> None:
        texts, labels = zip(*examples, strict=True)
        folded = [fold(t) for t in texts]
        weights = {label: DANGER_WEIGHT if label in GROUPS else 1.0 for label in set(labels)}
        given = {"folded": folded, "labels": list(labels), "c": c, "weights": weights}
        fitted = ChildFit(len(VIEWS), given).result()
        self.views = [
            View(features, w, _reference(features, given))
            for features, w in zip(VIEWS, fitted, strict=True)
        ]
        classes = self.views[0].classes
        self._groups = np.array([classes.index(g) for g in GROUPS if g in classes])
        self._group_names = [g for g in GROUPS if g in classes]
        self._maybe = classes.index(MAYBE) if MAYBE in classes else None

    @classmethod
    def from_training_data(cls, intents_dir: Path) -> RiskClassifier:
        return cls(training_examples(intents_dir))

    def probabilities(self, text: str) -> np.ndarray:
        folded = fold(text[:1000])
        result: np.ndarray = np.mean([v.probabilities(folded) for v in self.views], axis=0)
        return result

    def assess(self, text: str) -> Risk:
        p = self.probabilities(text)
        groups = p[self._groups]
        best = int(groups.argmax())
        danger = float(groups.sum())
        maybe = float(p[self._maybe]) if self._maybe is not None else 0.0
        return Risk(self._group_names[best], float(groups[best]), danger, danger + maybe)


def _reference(features: Sequence[Features], given: dict[str, Any]) -> Callable[[str], np.ndarray]:
    """scikit-learn's predict_proba for a view, fitted in this process on first use (by the
    test that compares the scorers; the bot never calls it)."""
    fitted: list[Fitted] = []

    def predict(folded: str) -> np.ndarray:
        if not fitted:
            fitted.append(
                Fitted(
                    features,
                    given["folded"],
                    given["labels"],
                    c=given["c"],
                    weights=given["weights"],
                )
            )
        return fitted[0].predict_proba(folded)

    return predict


def crisis_examples(crisis_dir: Path, only: str | None = None) -> Iterator[tuple[str, str]]:
    """(text, label) from intents/crisis/<lang>.yml (`only`: one language)."""
    for path in sorted(crisis_dir.glob("*.yml")):
        if path.stem not in SUPPORTED or only not in (None, path.stem):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for group, items in (data.get("danger") or {}).items():
            if group not in GROUPS:
                raise ValueError(f"{path}: unknown crisis group {group!r}")
            yield from ((str(t), group) for t in items or [])
        yield from ((str(t), MAYBE) for t in data.get("maybe") or [])
        yield from ((str(t), SAFE) for t in data.get("safe") or [])


def ordinary_examples(nlu_dir: Path, only: str | None = None) -> Iterator[tuple[str, str]]:
    """(text, intent) of the ordinary training questions, safety intents left out."""
    from bot.evaluation.nlu_files import read_examples

    for path in sorted(nlu_dir.glob("*.yml")):
        if path.stem not in SUPPORTED or only not in (None, path.stem):
            continue
        for example in read_examples(path):
            if example.intent not in SAFETY_INTENTS:
                yield example.text, example.intent


def training_examples(intents_dir: Path) -> list[tuple[str, str]]:
    examples = list(crisis_examples(intents_dir / "crisis"))
    examples += [(t, SAFE) for t, _ in ordinary_examples(intents_dir / "data" / "nlu")]
    return examples


def safety_examples(nlu_dir: Path) -> Sequence[tuple[str, str]]:
    """The safety intents' training questions (for choosing SAFETY_FLOOR)."""
    from bot.evaluation.nlu_files import read_examples

    return [
        (e.text, e.intent)
        for path in sorted(nlu_dir.glob("*.yml"))
        if path.stem in SUPPORTED
        for e in read_examples(path)
        if e.intent in SAFETY_INTENTS
    ]
