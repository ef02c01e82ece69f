"""The engine's own environment: find Python 3.10, install the locked Rasa, train the model.

Rasa 3.6 needs Python 3.10 and old libraries, so it lives in a virtual environment of its own
(default .mip/engine-venv) and is driven as a subprocess.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings

Say = Callable[[str], None]
RASA_VERSION = "3.6.21"
# Environment for every Rasa process: no telemetry calls out, quiet TensorFlow.
RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}


class EngineSetupError(Exception):
    """The engine cannot be installed or trained; the message says what to do."""


def say_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_python(settings: Settings) -> Path:
    """$MIP_ENGINE_PYTHON, else python3.10 on PATH, else pyenv's newest 3.10."""
    candidates: list[str] = []
    if settings.engine_python:
        candidates.append(settings.engine_python)
    if found := shutil.which("python3.10"):
        candidates.append(found)
    if shutil.which("pyenv"):
        result = subprocess.run(
            ["pyenv", "versions", "--bare"], capture_output=True, text=True, check=False
        )
        versions = sorted(
            (v.strip() for v in result.stdout.splitlines() if v.strip().startswith("3.10.")),
            key=lambda v: tuple(int(p) for p in v.split(".") if p.isdigit()),
        )
        root = subprocess.run(
            ["pyenv", "root"], capture_output=True, text=True, check=False
        ).stdout.strip()
        candidates += [f"{root}/versions/{v}/bin/python3.10" for v in reversed(versions)]
    for candidate in candidates:
        if _is_python310(candidate):
            return Path(candidate)
    if settings.engine_python:
        raise EngineSetupError(
            f"MIP_ENGINE_PYTHON={settings.engine_python} is not a working Python 3.10."
        )
    raise EngineSetupError(
        "The intent engine (Rasa 3.6) needs Python 3.10, and none was found.\n"
        "Install it, for example with `pyenv install 3.10.13` or `apt-get install python3.10 python3.10-venv`,\n"
        "or point MIP_ENGINE_PYTHON at a Python 3.10 interpreter."
    )


def _is_python310(python: str) -> bool:
    try:
        out = subprocess.run(
            [python, "-c", "import sys, venv; print(sys.version_info[:2] == (3, 10))"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.stdout.strip() == "True"


def venv_python(settings: Settings) -> Path:
    # absolute() and not resolve(): the venv python is a symlink that must not be followed.
    return (settings.engine_venv / "bin" / "python").absolute()


def ensure_venv(settings: Settings, say: Say = say_stderr) -> Path:
    """Install the hashed engine lock unless the venv already holds exactly it."""
    lock = settings.intents_dir / "requirements.lock"
    want = hashlib.sha256(lock.read_bytes()).hexdigest()
    marker = settings.engine_venv / ".mip-lock"
    python = venv_python(settings)
    if python.exists() and marker.exists() and marker.read_text().strip() == want:
        return python
    base = find_python(settings)
    say(
        f"Installing the intent engine (Rasa {RASA_VERSION}, Python 3.10) into {settings.engine_venv} ..."
    )
    say("This happens once and takes a few minutes.")
    if not python.exists():
        _run(
            [str(base), "-m", "venv", str(settings.engine_venv)],
            "creating the engine's virtual environment",
        )
    # Every package, pip itself included, comes from the lock and is checked against its
    # sha256 there: nothing is resolved afresh, and a changed file on the index is refused.
    _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--require-hashes",
            "--progress-bar",
            "on",
            "-r",
            str(lock),
        ],
        f"installing {lock}",
    )
    marker.write_text(want + "\n")
    say("Intent engine installed.")
    return python


def fingerprint(intents_dir: Path) -> str:
    """A hash of everything a trained model depends on."""
    digest = hashlib.sha256()
    files = [
        intents_dir / "config.yml",
        intents_dir / "domain.yml",
        intents_dir / "requirements.lock",
    ]
    files += sorted((intents_dir / "data").rglob("*.yml"))
    files += sorted((intents_dir / "components").rglob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(intents_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(intents_dir: Path) -> Path:
    return intents_dir / "models" / f"nlu-{fingerprint(intents_dir)}.tar.gz"


def ensure_model(settings: Settings, *, force: bool = False, say: Say = say_stderr) -> Path:
    """Train the NLU model when the training data, config or engine changed."""
    model = model_path(settings.intents_dir).absolute()
    if model.exists() and not force:
        say(f"Intent model is up to date ({model.name}).")
        return model
    python = ensure_venv(settings, say)
    rasa = python.parent / "rasa"
    say("Training the intent model from intents/ (about 2 minutes on 2 cores) ...")
    _run(
        [
            str(rasa),
            "train",
            "nlu",
            "--config",
            "config.yml",
            "--nlu",
            "data/nlu",
            "--out",
            "models",
            "--fixed-model-name",
            model.name.removesuffix(".tar.gz"),
        ],
        "training the intent model",
        cwd=settings.intents_dir,
    )
    if not model.exists():
        raise EngineSetupError(f"training finished but {model} was not written")
    for old in model.parent.glob("nlu-*.tar.gz"):
        if old != model:
            old.unlink()
    say(f"Intent model trained: {model}")
    return model


def rasa_env() -> dict[str, str]:
    return {**os.environ, **RASA_ENV}


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    result = subprocess.run(cmd, cwd=cwd, env=rasa_env(), check=False)
    if result.returncode != 0:
        raise EngineSetupError(f"{what} failed (exit {result.returncode}): {' '.join(cmd)}")
