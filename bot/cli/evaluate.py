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


async def run_crisis_eval(settings: Settings, *, out_dir: Path) -> int:
    """The crisis tiers on the development set (and the confirmation set, when there is one)
    and the ordinary held-out split; with MIP_ENGINE_URL set, also with the engine's safety
    intents."""
    from bot.app import load_contract
    from bot.content.store import ContentStore
    from bot.core.risk import RiskClassifier
    from bot.evaluation.crisis import Measured, load_sets, markdown, measure

    content = ContentStore(settings.content_dir, SUPPORTED, load_contract(settings))
    content.load()
    risk = RiskClassifier.from_training_data(settings.intents_dir)
    tests = settings.intents_dir.parent / "tests"
    folders = {"Development set": "crisis_dev", "Confirmation set": "crisis_confirm"}
    measured = []
    for title, folder in folders.items():
        if not (tests / folder).is_dir():
            continue
        sets = load_sets(tests / folder, settings.intents_dir / "tests")
        without = measure(sets, content.data.crisis, risk)
        print(f"{title}, without the engine:")
        for f in without.values():
            print(f"  {f.line()}")
        with_engine = None
        if settings.engine_url:
            texts = sorted({t for s in sets for t in s.texts()})
            intents = await engine_intents(settings.engine_url, texts)
            with_engine = measure(sets, content.data.crisis, risk, intents)
            print(f"{title}, with the engine at {settings.engine_url}:")
            for f in with_engine.values():
                print(f"  {f.line()}")
        measured.append(Measured(title, f"tests/{folder}", without, with_engine))
    if not settings.engine_url:
        say_stderr("No MIP_ENGINE_URL: measured without the engine's safety intents.")
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    _write(out_dir / "crisis.md", markdown(measured, when))
    return 0


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    say_stderr(f"Report: {path}")


async def engine_intents(url: str, texts: list[str]) -> dict[str, str]:
    """The engine's intent for each text, a few requests at a time."""
    from bot.engine.client import EngineClient

    client = EngineClient(url, timeout=30.0)
    limit = asyncio.Semaphore(4)
    done = 0

    async def one(text: str) -> tuple[str, str]:
        nonlocal done
        async with limit:
            parsed = await client.parse(text)
        done += 1
        _progress(done, len(texts))
        return text, parsed.intent

    try:
        return dict(await asyncio.gather(*(one(t) for t in texts)))
    finally:
        await client.aclose()


async def run_eval(
    settings: Settings,
    *,
    out_dir: Path,
    confusions: int = 10,
    cross_validation_folds: int = 0,
    charts: bool = True,
) -> int:
    from bot.app import engine_client, load_contract
    from bot.evaluation.heldout import load_examples, predict
    from bot.language.identify import LanguageIdentifier

    contract = load_contract(settings)
    languages = LanguageIdentifier.from_training_data(settings.intents_dir / "data" / "nlu")
    examples = load_examples(settings.intents_dir / "tests")
    async with engine_client(settings, parse_timeout=max(settings.engine_timeout, 10.0)) as client:
        outcomes = await predict(examples, client, languages, _progress)
    versions = {name: intent.since for name, intent in contract.intents.items()}
    metrics = compute(outcomes, contract.answer_intents, SUPPORTED, versions)

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
