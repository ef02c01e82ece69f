"""The architecture holds: the core imports no transport, database or HTTP library, and no
module grows past the size a reader can hold in mind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
IO_LIBRARIES = ("telegram", "sqlalchemy", "httpx", "aiosqlite", "asyncpg")
MAX_LINES = 400


def test_importing_every_core_module_imports_no_io_library() -> None:
    modules = sorted(
        ".".join(("bot", *path.relative_to(BOT).with_suffix("").parts)).removesuffix(".__init__")
        for path in (BOT / "core").rglob("*.py")
    )
    assert "bot.core.conversation" in modules and "bot.core.handoff.desk" in modules
    script = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(json.dumps(sorted(n for n in {IO_LIBRARIES!r} if n in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []


def test_no_module_is_longer_than_400_lines() -> None:
    long = {
        str(path.relative_to(BOT)): n
        for path in BOT.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
