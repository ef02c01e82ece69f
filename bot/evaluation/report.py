"""The evaluation report: Markdown (reports/eval.md) and PNG charts beside it.

matplotlib is a development dependency (the `dev` extra); it is imported only here, with the
Agg backend, so the bot itself never needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.evaluation.heldout import Outcome
from bot.evaluation.metrics import TARGETS, LanguageMetrics, confusion_matrix
from bot.evaluation.style_tags import STYLES

STYLE_NAMES = {
    "no_diacritics": "no diacritics (pl, ro)",
    "latin_bg": "Bulgarian in Latin letters",
    "dutch_terms": "Dutch official terms mixed in",
    "short": "3 words or fewer",
    "long": "20 words or more",
}


@dataclass(frozen=True)
class CrossValidation:
    """Rasa's own `rasa test nlu --cross-validation` over the training data (all languages)."""

    folds: int
    accuracy: float
    macro_f1: float
    weighted_f1: float
    seconds: float


@dataclass
class ReportInfo:
    when: str  # ISO date and time
    model: str  # model file name
    pipeline: str  # classifier names from config.yml
    cross_validation: CrossValidation | None = None
    charts: list[str] = field(default_factory=list)


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _mark(ok: bool) -> str:
    return "" if ok else " ✗"


def markdown(metrics: dict[str, LanguageMetrics], info: ReportInfo, top_confusions: int = 8) -> str:
    out = [
        "# Held-out evaluation",
        "",
        f"{info.when} · model `{info.model}` · pipeline {info.pipeline} · "
        f"{sum(m.n for m in metrics.values())} messages of `intents/tests/` (never trained on).",
        "",
        f"Targets: intent accuracy ≥ {_pct(TARGETS['intent_accuracy'])} per language, "
        f"out-of-scope recall ≥ {_pct(TARGETS['oos_recall'])}, language identification ≥ "
        f"{_pct(TARGETS['language_accuracy'])}; ✗ marks a miss. `mip eval` reproduces this.",
        "",
        "| language | messages | intent accuracy | macro F1 | out-of-scope recall | language id |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in metrics.values():
        out.append(
            f"| {m.language} | {m.n} | {_pct(m.intent_accuracy)}"
            f"{_mark(m.intent_accuracy >= TARGETS['intent_accuracy'])} | {m.macro_f1:.3f} | "
            f"{_pct(m.oos_recall)} ({m.oos_n}){_mark(m.oos_recall >= TARGETS['oos_recall'])} | "
            f"{_pct(m.language_accuracy)}{_mark(m.language_accuracy >= TARGETS['language_accuracy'])} |"
        )
    out += [
        "",
        "## By style",
        "",
        "Intent accuracy / language id (messages). Each message's styles are computed from its "
        "text by `bot/evaluation/style_tags.py`.",
        "",
        "| style | " + " | ".join(metrics) + " |",
        "|---|" + "---:|" * len(metrics),
    ]
    for style in STYLES:
        cells = []
        for m in metrics.values():
            s = m.styles.get(style)
            cells.append(
                f"{_pct(s.intent_accuracy)} / {_pct(s.language_accuracy)} ({s.n})" if s else "–"
            )
        if any(c != "–" for c in cells):
            out.append(f"| {STYLE_NAMES[style]} | " + " | ".join(cells) + " |")
    versions = sorted({v for m in metrics.values() for v in m.versions})
    if versions:
        out += [
            "",
            "## By contract version",
            "",
            "Intent accuracy on the intents each version of `intents/contract.yml` added "
            "(version 1: the shared first version), so new intents cannot hide a loss on old ones.",
            "",
            "| version | " + " | ".join(metrics) + " |",
            "|---|" + "---:|" * len(metrics),
        ]
        for v in versions:
            cells = [
                f"{_pct(m.versions[v].intent_accuracy)} ({m.versions[v].n})"
                if v in m.versions
                else "–"
                for m in metrics.values()
            ]
            out.append(f"| {v} | " + " | ".join(cells) + " |")
    out += ["", "## Most confused (expected → predicted)", ""]
    for m in metrics.values():
        pairs = ", ".join(
            f"{g} → {p} ({n})" for (g, p), n in m.confusions.most_common(top_confusions)
        )
        out.append(f"- **{m.language}**: {pairs or 'none'}")
    if cv := info.cross_validation:
        out += [
            "",
            "## Rasa cross-validation (training data, for comparison)",
            "",
            f"`rasa test nlu --cross-validation --folds {cv.folds}` over all training data "
            f"({cv.seconds:.0f} s): accuracy {_pct(cv.accuracy)}, macro F1 {cv.macro_f1:.3f}, "
            f"weighted F1 {cv.weighted_f1:.3f}. Each fold trains on the other folds only and "
            "Rasa counts `nlu_fallback` as a miss (also on out_of_scope), so it reads lower than "
            "the held-out split; use it to compare pipelines on the same data.",
        ]
    if info.charts:
        out += ["", "## Charts", ""] + [f"![{c}]({c})" for c in info.charts]
    return "\n".join(out) + "\n"


def write_charts(
    metrics: dict[str, LanguageMetrics], outcomes: Sequence[Outcome], directory: Path
) -> list[str]:
    """PNG files written into `directory`; returns their names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    names = [_language_bars(plt, metrics, directory), _style_bars(plt, metrics, directory)]
    for m in metrics.values():
        names.append(
            _confusion(plt, m, [o for o in outcomes if o.example.language == m.language], directory)
        )
    return names


def _language_bars(plt: Any, metrics: dict[str, LanguageMetrics], directory: Path) -> str:
    series = {
        "intent accuracy": [m.intent_accuracy for m in metrics.values()],
        "macro F1": [m.macro_f1 for m in metrics.values()],
        "out-of-scope recall": [m.oos_recall for m in metrics.values()],
        "language id": [m.language_accuracy for m in metrics.values()],
    }
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(series)
    for i, (label, values) in enumerate(series.items()):
        xs = [x + i * width for x in range(len(metrics))]
        bars = ax.bar(xs, values, width, label=label)
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in values], fontsize=7, padding=1)
    ax.axhline(TARGETS["intent_accuracy"], color="grey", linestyle="--", linewidth=0.8)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(metrics))], list(metrics))
    ax.set_ylim(0.5, 1.05)
    ax.set_title("Held-out split per language (dashed: 92% intent target)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(directory / "languages.png", dpi=110)
    plt.close(fig)
    return "languages.png"


def _style_bars(plt: Any, metrics: dict[str, LanguageMetrics], directory: Path) -> str:
    styles = [s for s in STYLES if any(s in m.styles for m in metrics.values())]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / max(len(metrics), 1)
    for i, m in enumerate(metrics.values()):
        xs = [x + i * width for x in range(len(styles))]
        values = [m.styles[s].intent_accuracy if s in m.styles else 0.0 for s in styles]
        ax.bar(xs, values, width, label=m.language)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(styles))], styles, fontsize=8)
    ax.set_ylim(0.5, 1.02)
    ax.axhline(TARGETS["intent_accuracy"], color="grey", linestyle="--", linewidth=0.8)
    ax.set_title("Intent accuracy by style of message")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(directory / "styles.png", dpi=110)
    plt.close(fig)
    return "styles.png"


def _confusion(plt: Any, m: LanguageMetrics, outcomes: Sequence[Outcome], directory: Path) -> str:
    columns, matrix = confusion_matrix(outcomes, m.labels)
    shares = [[c / max(sum(row), 1) for c in row] for row in matrix]
    fig, ax = plt.subplots(figsize=(12, 10.5))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for r, row in enumerate(matrix):
        for c, count in enumerate(row):
            if count and columns[c] != m.labels[r]:
                ax.text(c, r, str(count), ha="center", va="center", fontsize=6, color="darkred")
    ax.set_xticks(range(len(columns)), columns, rotation=90, fontsize=6)
    ax.set_yticks(range(len(m.labels)), m.labels, fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title(
        f"{m.language}: intent accuracy {m.intent_accuracy:.1%} (red: count of misclassified)"
    )
    fig.tight_layout()
    name = f"confusion-{m.language}.png"
    fig.savefig(directory / name, dpi=100)
    plt.close(fig)
    return name
