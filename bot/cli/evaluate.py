"""`mip eval`: the held-out split through the real engine, a report under reports/, one line out."""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import yaml

from bot.config import Settings
from bot.engine.setup import model_path, say_stderr
from bot.evaluation.heldout import Outcome
from bot.evaluation.metrics import LanguageMetrics, compute, one_line
from bot.evaluation.report import CrossValidation, ReportInfo, markdown, write_charts
from bot.language.codes import SUPPORTED


def pipeline_name(intents_dir: Path) -> str:
    config = yaml.safe_load((intents_dir / "config.yml").read_text(encoding="utf-8"))
    names = [str(c["name"]) for c in config.get("pipeline") or []]
    return " + ".join(n for n in names if "Classifier" in n) or "?"


def _progress(done: int, total: int) -> None:
    if done == total or done % 200 == 0:
        print(
            f"\r  {done}/{total} messages",
            end="\n" if done == total else "",
            file=sys.stderr,
            flush=True,
        )


def run_crisis_eval(settings: Settings, *, out_dir: Path) -> int:
    """The crisis tiers on the development set and the ordinary held-out split (no engine)."""
    from bot.app import load_contract
    from bot.content.store import ContentStore
    from bot.core.risk import RiskClassifier
    from bot.evaluation.crisis import markdown, measure

    content = ContentStore(settings.content_dir, SUPPORTED, load_contract(settings))
    content.load()
    risk = RiskClassifier.from_training_data(settings.intents_dir)
    dev = settings.intents_dir.parent / "tests" / "crisis_dev"
    figures = measure(dev, settings.intents_dir / "tests", content.data.crisis, risk)
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "crisis.md").write_text(markdown(figures, when), encoding="utf-8")
    for f in figures.values():
        print(
            f"{f.language}: danger {f.danger}, any tier {f.any_tier}, hard negatives false "
            f"danger {f.hard_false_danger}, ordinary false danger {f.ordinary_false_danger}, "
            f"maybe {f.ordinary_maybe}"
        )
    say_stderr(f"Report: {out_dir / 'crisis.md'}")
    return 0


async def run_eval(
    settings: Settings,
    *,
    out_dir: Path,
    confusions: int = 10,
    cross_validation_folds: int = 0,
    charts: bool = True,
) -> int:
    from bot.app import engine_url, load_contract
    from bot.engine.client import EngineClient
    from bot.evaluation.heldout import load_examples, predict
    from bot.language.identify import LanguageIdentifier

    contract = load_contract(settings)
    languages = LanguageIdentifier.from_training_data(settings.intents_dir / "data" / "nlu")
    examples = load_examples(settings.intents_dir / "tests")
    async with engine_url(settings) as url:
        client = EngineClient(url, timeout=max(settings.engine_timeout, 10.0))
        try:
            outcomes = await predict(examples, client, languages, _progress)
        finally:
            await client.aclose()
    metrics = compute(outcomes, contract.answer_intents, SUPPORTED)

    cv: CrossValidation | None = None
    if cross_validation_folds:
        from bot.evaluation.crossval import cross_validate

        cv = await asyncio.to_thread(cross_validate, settings, cross_validation_folds, say_stderr)

    info = ReportInfo(
        when=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        model=model_path(settings.intents_dir).name,
        pipeline=pipeline_name(settings.intents_dir),
        cross_validation=cv,
    )
    await asyncio.to_thread(_write_report, out_dir, metrics, outcomes, info, confusions, charts)
    _print_confusions(metrics, confusions)
    say_stderr(f"Report: {out_dir / 'eval.md'}")
    print(one_line(metrics))
    if cv:
        print(
            f"rasa cross-validation ({cv.folds} folds): accuracy {cv.accuracy:.1%}, "
            f"macro F1 {cv.macro_f1:.3f}"
        )
    return 0


def _write_report(
    out_dir: Path,
    metrics: dict[str, LanguageMetrics],
    outcomes: list[Outcome],
    info: ReportInfo,
    confusions: int,
    charts: bool,
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if charts:
        info.charts = write_charts(metrics, outcomes, out_dir)
    (out_dir / "eval.md").write_text(markdown(metrics, info, confusions), encoding="utf-8")
    _write_json(out_dir / "eval.json", metrics, outcomes, info)


def _print_confusions(metrics: dict[str, LanguageMetrics], n: int) -> None:
    for m in metrics.values():
        if n and m.confusions:
            pairs = ", ".join(f"{g}→{p} {c}" for (g, p), c in m.confusions.most_common(n))
            print(f"  {m.language} confused: {pairs}", file=sys.stderr)


def _write_json(
    path: Path, metrics: dict[str, LanguageMetrics], outcomes: list[Outcome], info: ReportInfo
) -> None:
    """Machine-readable numbers and every miss (for comparing runs; reports/ is not committed)."""
    data = {
        "info": asdict(info),
        "languages": {
            lang: {
                "n": m.n,
                "intent_accuracy": m.intent_accuracy,
                "macro_f1": m.macro_f1,
                "oos_recall": m.oos_recall,
                "language_accuracy": m.language_accuracy,
                "styles": {s: asdict(v) for s, v in m.styles.items()},
            }
            for lang, m in metrics.items()
        },
        "misses": [
            {
                "language": o.example.language,
                "expected": o.example.intent,
                "predicted": o.predicted,
                "confidence": round(o.confidence, 3),
                "detected": o.detected,
            }
            for o in outcomes
            if o.predicted != o.example.intent
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
