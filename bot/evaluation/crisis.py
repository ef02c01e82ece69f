"""`mip eval --crisis`: the phrase list and the risk classifier measured on the development set
(tests/crisis_dev, never trained on) and on the ordinary held-out split (intents/tests).

With an engine (MIP_ENGINE_URL), the measurement is made twice: without it, and with its
safety intents as the third signal (which can only add the maybe tier). The report gives
figures, never the development set's messages: writing training messages after reading the
ones missed would fit the set that is meant to measure."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.crisis_phrases import CrisisGroup
from bot.core.crisis import find_crisis
from bot.core.risk import GROUPS, SAFETY_INTENTS, RiskClassifier, tier_of_matches
from bot.evaluation.nlu_files import read_examples

TARGETS = (
    "Targets: danger recall >= 95%, any tier 100%, false danger on hard negatives <= 5%;",
    "ordinary false danger <= 0.5%, maybe <= 3%.",
)


@dataclass
class Rate:
    hits: int = 0
    n: int = 0

    def add(self, hit: bool) -> None:
        self.hits += hit
        self.n += 1

    def __str__(self) -> str:
        return f"{self.hits / self.n:.1%} ({self.hits}/{self.n})" if self.n else "-"


@dataclass
class CrisisFigures:
    language: str
    danger: Rate = field(default_factory=Rate)
    any_tier: Rate = field(default_factory=Rate)
    by_group: dict[str, tuple[Rate, Rate]] = field(default_factory=dict)
    hard_false_danger: Rate = field(default_factory=Rate)
    hard_maybe: Rate = field(default_factory=Rate)
    ordinary_false_danger: Rate = field(default_factory=Rate)
    ordinary_maybe: Rate = field(default_factory=Rate)

    def line(self) -> str:
        return (
            f"{self.language}: danger {self.danger}, any tier {self.any_tier}, hard negatives "
            f"false danger {self.hard_false_danger}, ordinary false danger "
            f"{self.ordinary_false_danger}, maybe {self.ordinary_maybe}"
        )


@dataclass(frozen=True)
class Sets:
    """The messages of one language: crisis by group, hard negatives, ordinary held-out."""

    language: str
    crisis: dict[str, list[str]]
    hard_negatives: list[str]
    ordinary: list[str]

    def texts(self) -> Iterator[str]:
        for items in self.crisis.values():
            yield from items
        yield from self.hard_negatives
        yield from self.ordinary


def load_sets(dev_dir: Path, tests_dir: Path) -> list[Sets]:
    sets = []
    for path in sorted(dev_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        crisis = {g: [str(t) for t in (data.get("crisis") or {}).get(g) or []] for g in GROUPS}
        held_out = tests_dir / f"{path.stem}.yml"
        ordinary = [
            e.text
            for e in (read_examples(held_out) if held_out.exists() else [])
            # Questions about safety topics: measured by the dev set's hard negatives instead.
            if e.intent not in SAFETY_INTENTS
        ]
        hard = [str(t) for t in data.get("hard_negatives") or []]
        sets.append(Sets(path.stem, crisis, hard, ordinary))
    return sets


def measure(
    sets: Sequence[Sets],
    groups: Sequence[CrisisGroup],
    risk: RiskClassifier,
    intent_of: Mapping[str, str] | None = None,
) -> dict[str, CrisisFigures]:
    """`intent_of`: the engine's intent per message (the third signal), when measured."""
    intents = intent_of or {}

    def tier(text: str) -> str | None:
        return tier_of_matches(risk.assess(text), find_crisis(text, groups), intents.get(text))

    figures: dict[str, CrisisFigures] = {}
    for s in sets:
        f = figures[s.language] = CrisisFigures(s.language)
        for group, texts in s.crisis.items():
            danger, any_tier = f.by_group.setdefault(group, (Rate(), Rate()))
            for text in texts:
                found = tier(text)
                for rate, hit in ((danger, found == "danger"), (any_tier, found is not None)):
                    rate.add(hit)
                f.danger.add(found == "danger")
                f.any_tier.add(found is not None)
        for text in s.hard_negatives:
            found = tier(text)
            f.hard_false_danger.add(found == "danger")
            f.hard_maybe.add(found == "maybe")
        for text in s.ordinary:
            found = tier(text)
            f.ordinary_false_danger.add(found == "danger")
            f.ordinary_maybe.add(found == "maybe")
    return figures


def _tables(figures: dict[str, CrisisFigures]) -> list[str]:
    lines = [
        "| language | danger recall | any tier | hard negatives: false danger "
        "| hard negatives: maybe | ordinary: false danger | ordinary: maybe |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures.values():
        lines.append(
            f"| {f.language} | {f.danger} | {f.any_tier} | {f.hard_false_danger} "
            f"| {f.hard_maybe} | {f.ordinary_false_danger} | {f.ordinary_maybe} |"
        )
    lines += ["", "Per group (danger recall / any tier):", ""]
    lines.append("| group | " + " | ".join(figures) + " |")
    lines.append("|---|" + "---|" * len(figures))
    for group in GROUPS:
        cells = [
            f"{f.by_group[group][0]} / {f.by_group[group][1]}" if group in f.by_group else "-"
            for f in figures.values()
        ]
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    return lines


@dataclass(frozen=True)
class Measured:
    """One set's figures: without the engine and, when measured, with its safety intents."""

    title: str
    source: str  # the folder, for the report
    without: dict[str, CrisisFigures]
    with_engine: dict[str, CrisisFigures] | None = None


def markdown(measured: Sequence[Measured], when: str) -> str:
    lines = [
        "# Crisis recognition (issue 12)",
        "",
        f"Measured {when} with `mip eval --crisis`: phrases (content/crisis.yml) and the risk",
        "classifier (bot/core/risk.py); with an engine (MIP_ENGINE_URL), also with its safety",
        "intents as the third signal (they can only add the maybe tier). The sets are never",
        "trained on, and their messages are not listed here, so that nobody writes training",
        "messages after them. Ordinary: the held-out split intents/tests without the safety",
        "intents.",
        "",
        "- The development set (tests/crisis_dev) was written apart from the training data",
        "  and measured while the classifier was built.",
        "- The confirmation set (tests/crisis_confirm), where present, was written blind later",
        "  by writers who saw neither the training data, the phrase list nor the development",
        "  set, and it is never used to choose data or thresholds: it shows whether the",
        "  development set's figures carry over.",
        "",
        *TARGETS,
    ]
    for m in measured:
        lines += ["", f"## {m.title}: without the engine ({m.source})", "", *_tables(m.without)]
        if m.with_engine is not None:
            lines += [
                "",
                f"## {m.title}: with the engine's safety intents ({m.source})",
                "",
                *_tables(m.with_engine),
            ]
    if all(m.with_engine is None for m in measured):
        lines += ["", "(No engine: set MIP_ENGINE_URL to measure the third signal too.)"]
    return "\n".join(lines) + "\n"
