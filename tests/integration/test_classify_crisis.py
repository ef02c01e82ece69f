"""`mip classify --json` with the real engine: each line gets "crisis" (the group or null) and
"tier" ("danger", "maybe" or null), so the recognition can be measured from outside."""

from __future__ import annotations

import io
import json

import pytest

from bot import cli
from bot.core.risk import GROUPS
from tests.conftest import CONTENT, INTENTS

pytestmark = pytest.mark.integration


def test_classify_json_gives_the_crisis_group_and_tier(
    engine_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MIP_ENGINE_URL", engine_url)
    monkeypatch.setenv("MIP_INTENTS_DIR", str(INTENTS))
    monkeypatch.setenv("MIP_CONTENT_DIR", str(CONTENT))
    lines = [
        "kolega upadł przy taśmie, jest siny i nie oddycha",  # a phrase: medical
        "партньорът пак ме удари в лицето, заключих се с детето в банята",  # the classifier
        "ik voel me al weken somber en leeg, met wie kan ik praten",  # distress: maybe
        "is de ambulance gratis?",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert cli.main(["classify", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == lines
    assert [(r["crisis"], r["tier"]) for r in (rows[0], rows[1])] == [
        ("medical", "danger"),
        ("violence_at_home", "danger"),
    ]
    # A question about costs never reaches the danger tier (the safety line may sit on top of
    # its answer: the engine reads it as `emergency`, the third signal).
    assert rows[3]["tier"] != "danger"
    # The maybe tier names the classifier's most likely group.
    assert rows[2]["tier"] == "maybe" and rows[2]["crisis"] in GROUPS
