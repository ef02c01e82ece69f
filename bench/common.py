"""Shared pieces of the benchmarks: the machine, the messages, the engine, the bot, RESULTS.md.

Run from the project root with the bot's venv, e.g. `.venv/bin/python -m bench.latency`.
Set MIP_ENGINE_URL to use an engine you already run; otherwise one is started (and stopped).
"""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psutil
from sqlalchemy import text

from bot.app import assemble
from bot.config import Settings
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.conversation import Conversation
from bot.engine.client import EngineClient
from bot.evaluation.heldout import load_examples
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier
from bot.storage.db import Database
from bot.storage.tables import Base

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores, {model}, {memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} at start"


def messages() -> list[tuple[str, str]]:
    """(text, language) of the held-out split: realistic chat messages in all four languages."""
    return [(e.text, e.language) for e in load_examples(ROOT / "intents" / "tests")]


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Progress:
    """One line on stderr, rewritten at most every half second."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.started, self._last = label, total, time.monotonic(), 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and done < self.total:
            return
        self._last = now
        rate = done / max(now - self.started, 1e-9)
        eta = (self.total - done) / rate if rate else 0
        end = "\n" if done >= self.total else ""
        print(
            f"\r  {self.label}: {done}/{self.total} ({rate:.0f}/s, {eta:.0f} s left)   ",
            end=end,
            file=sys.stderr,
            flush=True,
        )


def settings() -> Settings:
    env = dict(os.environ)
    env.setdefault("MIP_INTENTS_DIR", str(ROOT / "intents"))
    env.setdefault("MIP_CONTENT_DIR", str(ROOT / "content"))
    env.setdefault("MIP_ENGINE_VENV", str(ROOT / ".mip" / "engine-venv"))
    env.setdefault("MIP_LOG_LEVEL", "ERROR")  # crisis warnings would break the progress lines
    return Settings.from_env(env)


@asynccontextmanager
async def engine(config: Settings) -> AsyncIterator[tuple[str, int | None]]:
    """(url, pid of the engine process when we started it)."""
    if config.engine_url:
        yield config.engine_url, None
        return
    from bot.engine.process import LocalEngine

    # No token: several clients of the benchmark share this engine, on 127.0.0.1, for the run.
    local = LocalEngine(config, auth=False)
    async with local as url:
        yield url, _engine_pid(local.port)


def _engine_pid(port: int) -> int | None:
    """The child process listening on the engine's port (rasa forks a server process)."""
    for child in psutil.Process().children(recursive=True):
        try:
            if any(c.laddr and c.laddr.port == port for c in child.net_connections("tcp")):
                return int(child.pid)
        except (psutil.AccessDenied, psutil.NoSuchProcess):
            continue
    return None


def database_name() -> str:
    """The database the benchmarks use: MIP_BENCH_DATABASE_URL, or SQLite as by default."""
    url = os.environ.get("MIP_BENCH_DATABASE_URL", "")
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


@dataclass
class Bot:
    conversation: Conversation
    client: EngineClient
    db: Database


@asynccontextmanager
async def bot(
    config: Settings, url: str, db_path: Path, engine_timeout: float = 30.0
) -> AsyncIterator[Bot]:
    """The whole bot path as `mip run` assembles it (bot.app.assemble): content, language id,
    SQLite, the handoff queue, reporting hooks, engine client.
    A long engine timeout: the benchmarks measure waiting, they do not want fallbacks."""
    contract = Contract.load(config.intents_dir / "contract.yml")
    content = ContentStore(config.content_dir, SUPPORTED, contract)
    content.load()
    languages = LanguageIdentifier.from_training_data(config.intents_dir / "data" / "nlu")
    # MIP_BENCH_DATABASE_URL measures another database, e.g. PostgreSQL as in production. The
    # benchmark owns it: every run starts from empty tables (an earlier run's open tickets and
    # handled update ids would turn questions into relays and updates into "seen before").
    own = os.environ.get("MIP_BENCH_DATABASE_URL")
    db = Database(own or f"sqlite+aiosqlite:///{db_path}")
    if own:
        async with db.engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await db.migrate()
    client = EngineClient(url, timeout=engine_timeout)
    conversation, *_ = assemble(config, contract, content, languages, db, client)
    try:
        yield Bot(conversation, client, db)
    finally:
        await conversation.flush()
        await client.aclose()
        await db.dispose()


def write_section(name: str, body: str) -> None:
    """Replace (or append) the `## name` section of bench/RESULTS.md, stamped with date and machine."""
    stamp = (
        f"_{datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {machine()} · {load_average_cached}_"
    )
    section = f"## {name}\n\n{stamp}\n\n{body.strip()}\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else _HEADER
    pattern = re.compile(rf"^## {re.escape(name)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
    print(f"(written to {RESULTS.relative_to(ROOT)}, section “{name}”)", file=sys.stderr)


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


_HEADER = """# Benchmark results

Written by the scripts in `bench/` (`make bench` runs them all; each replaces its own section).
Numbers depend on the machine and on what else runs on it: the load average at the start of
each run is recorded beside the machine.
"""

# Taken once at import, before the benchmark itself loads the machine.
load_average_cached = load_average()
