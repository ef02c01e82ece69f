"""Numbers from evaluation outcomes: per language and per style, plus the targets of issue 6.

Conventions:
- An `out_of_scope` message answered with `nlu_fallback` counts as right: the bot then says
  it is not sure and offers the menu and a person, which is what out_of_scope does too.
- Out-of-scope recall: the share of `out_of_scope` messages *not* answered with an answer
  intent (a wrong topic's answer is the failure that matters; smalltalk or fallback is fine).
- Macro F1 over the intents of the language's test set (sklearn, zero_division=0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sklearn.metrics import f1_score

from bot.contract import FALLBACK
from bot.evaluation.heldout import Outcome
from bot.evaluation.style_tags import STYLES

OUT_OF_SCOPE = "out_of_scope"
TARGETS = {"intent_accuracy": 0.92, "oos_recall": 0.80, "language_accuracy": 0.98}


def normalised(outcome: Outcome) -> str:
    """The prediction as scored: fallback on an out_of_scope message is out_of_scope."""
    if outcome.predicted == FALLBACK and outcome.example.intent == OUT_OF_SCOPE:
        return OUT_OF_SCOPE
    return outcome.predicted


def intent_ok(outcome: Outcome) -> bool:
    return normalised(outcome) == outcome.example.intent


@dataclass(frozen=True)
class Slice:
    """Intent and language accuracy of a set of messages (a style, a language...)."""

    n: int
    intent_accuracy: float
    language_accuracy: float

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Slice:
        n = len(outcomes)
        if not n:
            return cls(0, 0.0, 0.0)
        return cls(
            n,
            sum(map(intent_ok, outcomes)) / n,
            sum(o.language_ok for o in outcomes) / n,
        )


@dataclass(frozen=True)
class LanguageMetrics:
    language: str
    n: int
    intent_accuracy: float
    macro_f1: float
    oos_n: int
    oos_recall: float
    language_accuracy: float
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    styles: dict[str, Slice] = field(default_factory=dict)
    versions: dict[int, Slice] = field(
        default_factory=dict
    )  # by the contract version of the intent
    labels: tuple[str, ...] = ()  # the intents of the test set, for the confusion matrix

    def meets_targets(self) -> bool:
        return (
            self.intent_accuracy >= TARGETS["intent_accuracy"]
            and self.oos_recall >= TARGETS["oos_recall"]
            and self.language_accuracy >= TARGETS["language_accuracy"]
        )


def language_metrics(
    language: str,
    outcomes: Sequence[Outcome],
    answer_intents: Collection[str],
    versions: Mapping[str, int] | None = None,
) -> LanguageMetrics:
    gold = [o.example.intent for o in outcomes]
    predicted = [normalised(o) for o in outcomes]
    labels = tuple(sorted(set(gold)))
    oos = [o for o in outcomes if o.example.intent == OUT_OF_SCOPE]
    overall = Slice.of(outcomes)
    return LanguageMetrics(
        language=language,
        n=len(outcomes),
        intent_accuracy=overall.intent_accuracy,
        macro_f1=float(
            f1_score(gold, predicted, labels=list(labels), average="macro", zero_division=0)
        )
        if outcomes
        else 0.0,
        oos_n=len(oos),
        oos_recall=sum(o.predicted not in answer_intents for o in oos) / len(oos) if oos else 0.0,
        language_accuracy=overall.language_accuracy,
        confusions=Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p),
        styles={
            style: Slice.of([o for o in outcomes if style in o.example.styles])
            for style in STYLES
            if any(style in o.example.styles for o in outcomes)
        },
        versions=_by_version(outcomes, versions or {}),
        labels=labels,
    )


def _by_version(outcomes: Sequence[Outcome], versions: Mapping[str, int]) -> dict[int, Slice]:
    """Accuracy on the intents of each contract version (1: the first one)."""
    found = sorted({versions.get(o.example.intent, 1) for o in outcomes})
    if len(found) < 2:
        return {}
    return {
        v: Slice.of([o for o in outcomes if versions.get(o.example.intent, 1) == v]) for v in found
    }


def compute(
    outcomes: Iterable[Outcome],
    answer_intents: Collection[str],
    languages: Sequence[str],
    versions: Mapping[str, int] | None = None,
) -> dict[str, LanguageMetrics]:
    """Per language, in the order of `languages` (those with no outcomes are left out)."""
    by_language: dict[str, list[Outcome]] = {lang: [] for lang in languages}
    for outcome in outcomes:
        by_language.setdefault(outcome.example.language, []).append(outcome)
    return {
        lang: language_metrics(lang, found, answer_intents, versions)
        for lang, found in by_language.items()
        if found
    }


def confusion_matrix(
    outcomes: Iterable[Outcome], labels: Sequence[str]
) -> tuple[list[str], list[list[int]]]:
    """Rows: expected; columns: predicted (labels, then any other prediction, e.g. fallback)."""
    pairs = [(o.example.intent, normalised(o)) for o in outcomes]
    columns = list(labels) + sorted({p for _, p in pairs} - set(labels))
    index = {name: i for i, name in enumerate(columns)}
    matrix = [[0] * len(columns) for _ in labels]
    rows = {name: i for i, name in enumerate(labels)}
    for gold, predicted in pairs:
        if gold in rows:
            matrix[rows[gold]][index[predicted]] += 1
    return columns, matrix


def one_line(metrics: dict[str, LanguageMetrics]) -> str:
    """e.g. `intent pl 92.4% bg 91.7% ... | oos 85.0% | language id pl 99.0% ... | targets met`"""
    intents = " ".join(f"{m.language} {m.intent_accuracy:.1%}" for m in metrics.values())
    langid = " ".join(f"{m.language} {m.language_accuracy:.1%}" for m in metrics.values())
    oos_n = sum(m.oos_n for m in metrics.values())
    oos = sum(m.oos_recall * m.oos_n for m in metrics.values()) / oos_n if oos_n else 0.0
    f1 = " ".join(f"{m.language} {m.macro_f1:.3f}" for m in metrics.values())
    verdict = (
        "all targets met"
        if all(m.meets_targets() for m in metrics.values())
        else "below target: "
        + ", ".join(m.language for m in metrics.values() if not m.meets_targets())
    )
    return f"intent {intents} | macro F1 {f1} | oos recall {oos:.1%} | language id {langid} | {verdict}"
