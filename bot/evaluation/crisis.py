"""`mip eval --crisis`: the phrase list and the risk classifier measured on the development set
(tests/crisis_dev, never trained on) and on the ordinary held-out split (intents/tests).

No engine: the third signal (the engine's safety intents, which can only add the maybe tier)
is left out, so the any-tier figures here are a lower bound."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.crisis_phrases import CrisisGroup
from bot.core.crisis import find_crisis
from bot.core.risk import GROUPS, SAFETY_INTENTS, RiskClassifier, tier_of
from bot.evaluation.nlu_files import read_examples


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
    ordinary_false_danger: Rate = field(default_factory=Rate)
    ordinary_maybe: Rate = field(default_factory=Rate)
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def tier(text: str, groups: Sequence[CrisisGroup], risk: RiskClassifier) -> str | None:
    return tier_of(risk.assess(text), bool(find_crisis(text, groups)))


def measure(
    dev_dir: Path, tests_dir: Path, groups: Sequence[CrisisGroup], risk: RiskClassifier
) -> dict[str, CrisisFigures]:
    figures: dict[str, CrisisFigures] = {}
    for path in sorted(dev_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        f = figures[path.stem] = CrisisFigures(path.stem)
        for group in GROUPS:
            danger, any_tier = f.by_group.setdefault(group, (Rate(), Rate()))
            for text in (data.get("crisis") or {}).get(group) or []:
                found = tier(str(text), groups, risk)
                for rate, hit in ((danger, found == "danger"), (any_tier, found is not None)):
                    rate.add(hit)
                f.danger.add(found == "danger")
                f.any_tier.add(found is not None)
                if found != "danger":
                    f.missed.append(f"{group}: {text} ({found or 'none'})")
        for text in data.get("hard_negatives") or []:
            found = tier(str(text), groups, risk)
            f.hard_false_danger.add(found == "danger")
            if found == "danger":
                f.false_alarms.append(f"hard negative: {text}")
        held_out = tests_dir / f"{path.stem}.yml"
        for example in read_examples(held_out) if held_out.exists() else []:
            if example.intent in SAFETY_INTENTS:
                continue  # questions about safety topics: measured by the dev set instead
            found = tier(example.text, groups, risk)
            f.ordinary_false_danger.add(found == "danger")
            f.ordinary_maybe.add(found == "maybe")
            if found == "danger":
                f.false_alarms.append(f"ordinary ({example.intent}): {example.text}")
    return figures


def markdown(figures: dict[str, CrisisFigures], when: str) -> str:
    lines = [
        "# Crisis recognition (issue 12)",
        "",
        f"Measured {when} with `mip eval --crisis`: phrases (content/crisis.yml) and the risk",
        "classifier (bot/core/risk.py), no engine (its safety intents can only add the maybe",
        "tier). Development set: tests/crisis_dev (never trained on); ordinary: the held-out",
        "split intents/tests without the safety intents.",
        "",
        "Targets: danger recall >= 95%, any tier 100%, false danger on hard negatives <= 5%;",
        "ordinary false danger <= 0.5%, maybe <= 3%.",
        "",
        "| language | danger recall | any tier | hard negatives: false danger "
        "| ordinary: false danger | ordinary: maybe |",
        "|---|---|---|---|---|---|",
    ]
    for f in figures.values():
        lines.append(
            f"| {f.language} | {f.danger} | {f.any_tier} | {f.hard_false_danger} "
            f"| {f.ordinary_false_danger} | {f.ordinary_maybe} |"
        )
    lines += ["", "## Per group (danger recall / any tier)", ""]
    lines.append("| group | " + " | ".join(figures) + " |")
    lines.append("|---|" + "---|" * len(figures))
    for group in GROUPS:
        cells = [
            f"{f.by_group[group][0]} / {f.by_group[group][1]}" if group in f.by_group else "-"
            for f in figures.values()
        ]
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    lines += ["", "## Misses and false alarms", ""]
    for f in figures.values():
        lines.append(f"### {f.language}")
        lines.append("")
        lines += [f"- missed danger: {m}" for m in f.missed]
        lines += [f"- false danger: {m}" for m in f.false_alarms]
        lines.append("")
    return "\n".join(lines)
