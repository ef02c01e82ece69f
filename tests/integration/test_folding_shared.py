"""The engine's tokenizer folds with the bot's own module (bot/language/folding.py), imported in
the engine's Python 3.10 environment: the crisis matcher and the engine read spellings alike."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bot.language.folding import fold
from tests.conftest import INTENTS, ROOT

pytestmark = pytest.mark.integration

SAMPLES = [
    "Zameldować się w gminie",
    "kak6e da si napravq zdravna",
    "Какво е BSN номерът?",
    "4ovek, 40 uur, 6 dagen",
    "Chcę się ZABIĆ!!!",
    "Łódź, Straße, Ærø, ıi",
    "ajutooooor vă rog",
]


def test_the_engine_tokenizer_folds_with_the_bots_module() -> None:
    venv = Path(os.environ.get("MIP_ENGINE_VENV") or ROOT / ".mip" / "engine-venv")
    python = venv / "bin" / "python"
    if not python.exists():
        pytest.skip("the engine's environment is not installed (make test installs it)")
    script = (
        "import json, sys\n"
        "import components.folding as c\n"
        "print(c.fold.__module__)\n"
        "print(json.dumps([c.fold(s) for s in json.load(sys.stdin)]))\n"
    )
    done = subprocess.run(
        [str(python), "-c", script],
        cwd=INTENTS,
        input=json.dumps(SAMPLES),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    module, folded = done.stdout.strip().splitlines()[-2:]
    assert module == "bot.language.folding"
    assert json.loads(folded) == [fold(s) for s in SAMPLES]
