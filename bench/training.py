"""Training time of the full model (`rasa train nlu`, into a temporary folder so the project's
model stays as it is) and the engine's time to ready (`rasa run` start until /status reports
the model loaded), each repeated.

    .venv/bin/python -m bench.training [--trainings 1] [--starts 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import settings, table, write_section
from bot.engine.process import LocalEngine
from bot.engine.setup import ensure_model, ensure_venv, rasa_env
from bot.evaluation.nlu_files import read_examples


def train_once(out: Path) -> float:
    config = settings()
    rasa = ensure_venv(config).parent / "rasa"
    intents = config.intents_dir.absolute()
    started = time.monotonic()
    subprocess.run(
        [
            str(rasa), "train", "nlu", "--nlu", str(intents / "data" / "nlu"),
            "--config", str(intents / "config.yml"), "--out", str(out), "--fixed-model-name", "bench",
        ],
        # No training cache: Rasa would reuse components trained on the same data and config.
        cwd=intents, env={**rasa_env(), "RASA_MAX_CACHE_SIZE": "0"}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.monotonic() - started


async def ready_once() -> float:
    config = settings()
    model = ensure_model(config, say=lambda _m: None)
    engine = LocalEngine(config, say=lambda _m: None)
    started = time.monotonic()
    await engine.start(model)
    elapsed = time.monotonic() - started
    await engine.stop()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainings", type=int, default=1)
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    config = settings()
    examples = [
        e for p in (config.intents_dir / "data" / "nlu").glob("*.yml") for e in read_examples(p)
    ]
    n_examples, n_intents = len(examples), len({e.intent for e in examples})
    trainings = []
    for i in range(args.trainings):
        print(
            f"  training {i + 1}/{args.trainings} (about a minute) ...", file=sys.stderr, flush=True
        )
        with tempfile.TemporaryDirectory() as tmp:
            trainings.append(train_once(Path(tmp)))
    starts = []
    for i in range(args.starts):
        print(f"  engine start {i + 1}/{args.starts} ...", file=sys.stderr, flush=True)
        starts.append(asyncio.run(ready_once()))
    rows = [
        ("training (`rasa train nlu`)", len(trainings), f"{statistics.median(trainings):.0f} s",
         f"{min(trainings):.0f}–{max(trainings):.0f} s"),
        ("engine time to ready", len(starts), f"{statistics.median(starts):.1f} s",
         f"{min(starts):.1f}–{max(starts):.1f} s"),
    ]  # fmt: skip
    body = (
        f"{n_examples} training messages, {n_intents} intents, pipeline of `intents/config.yml`.\n\n"
        + table(("what", "runs", "median", "range"), rows)
    )
    print(body)
    write_section("Training and start-up", body)


if __name__ == "__main__":
    main()
