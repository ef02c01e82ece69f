"""The terminal chat (`mip chat`) as a subprocess answering a scripted conversation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.render import render_plain
from bot.content.store import ContentStore
from tests.conftest import ROOT, filled
from tests.e2e.tailored import tailored

pytestmark = pytest.mark.e2e


def run_chat(
    args: list[str], script: str, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input=script,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )


def first_line(content: ContentStore, language: str, intent: str, stay: str | None = None) -> str:
    answer = content.get(language, intent)
    assert answer is not None
    return render_plain(filled(content, answer, stay)).splitlines()[0]


def test_scripted_conversation_in_polish(
    engine_url: str, content: ContentStore, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "MIP_ENGINE_URL": engine_url,
        "MIP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/chat.db",
    }
    # Free text; the answer depends on the stay, so the bot asks: 2 is "4 months to 3 years".
    # Then the menu by numbers: 3 is "Menu" under the answer (after 👍 and 👎), topic 3
    # (children), its first answer (school).
    result = run_chat(
        ["--lang", "pl"], "jak sie zameldowac w gminie?\n2\n3\n3\n1\n/quit\n", env, 120
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Od teraz odpowiadam w języku: Polski." in out
    assert "Jak długo zostajesz w Holandii?" in out
    assert "[2] Od 4 miesięcy do 3 lat" in out
    tailored(content, "pl", "register_brp", "mid", render=render_plain).check(out)
    assert "[1] 👍 To pomogło   [2] 👎 Nie pomogło\n[3] 📋 Menu" in out
    assert "Wybierz temat:" in out
    assert first_line(content, "pl", "school_enrolment") in out
    assert "jak sie zameldowac" not in result.stderr  # no message text in logs


def test_chat_starts_its_own_engine_when_no_url_is_set(
    content: ContentStore, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MIP_ENGINE_URL"}
    env["MIP_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/chat.db"
    result = run_chat([], "как да си направя здравна осигуровка\n2\n", env, 300)
    assert result.returncode == 0, result.stderr
    assert "Intent engine ready." in result.stderr
    assert first_line(content, "bg", "health_insurance", "mid") in result.stdout
