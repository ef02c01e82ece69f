"""Rasa's own `rasa test nlu --cross-validation`, run in the engine's environment, for comparison
with the held-out split (it trains the pipeline `folds` times: minutes, not seconds)."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path

from bot.config import Settings
from bot.engine.setup import EngineSetupError, Say, ensure_venv, rasa_env
from bot.evaluation.report import CrossValidation


def parse_intent_report(path: Path, folds: int, seconds: float) -> CrossValidation:
    """Rasa's intent_report.json (sklearn's classification_report as a dict)."""
    report = json.loads(path.read_text(encoding="utf-8"))
    return CrossValidation(
        folds=folds,
        accuracy=float(report["accuracy"]),
        macro_f1=float(report["macro avg"]["f1-score"]),
        weighted_f1=float(report["weighted avg"]["f1-score"]),
        seconds=seconds,
    )


def cross_validate(settings: Settings, folds: int, say: Say) -> CrossValidation:
    python = ensure_venv(settings, say)
    rasa = python.parent / "rasa"
    intents = settings.intents_dir.absolute()
    with tempfile.TemporaryDirectory(prefix="mip-cv-") as out:
        say(f"Rasa cross-validation, {folds} folds (trains {folds} times) ...")
        started = time.monotonic()
        result = subprocess.run(
            [
                str(rasa),
                "test",
                "nlu",
                "--nlu",
                str(intents / "data" / "nlu"),
                "--config",
                str(intents / "config.yml"),
                "--cross-validation",
                "--folds",
                str(folds),
                "--out",
                out,
                "--no-plot",
            ],
            cwd=intents,
            env=rasa_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.monotonic() - started
        report = Path(out) / "intent_report.json"
        if result.returncode != 0 or not report.exists():
            tail = "\n".join((result.stderr or result.stdout).splitlines()[-15:])
            raise EngineSetupError(f"rasa test nlu --cross-validation failed:\n{tail}")
        return parse_intent_report(report, folds, seconds)
