"""`mip eval --crisis`: the tiers counted per language and group, and a report without messages."""

from __future__ import annotations

from pathlib import Path

from bot.content.store import ContentStore
from bot.core.risk import RiskClassifier, safety_examples, training_examples
from bot.evaluation.crisis import Measured, load_sets, markdown, measure
from bot.language.folding import fold

DEV = """\
language: pl
crisis:
  suicide:
    - "chce sie zabic"
  fire:
    - "pali sie w kuchni, pomocy"
hard_negatives:
  - "czy karetka jest darmowa?"
"""
HELD_OUT = """\
version: "3.1"
nlu:
- intent: get_bsn
  examples: |
    - jak dostac numer bsn
- intent: emergency
  examples: |
    - jaki jest numer alarmowy
"""


def test_counts_tiers_per_group_and_writes_no_message(
    tmp_path: Path, content: ContentStore, risk: RiskClassifier
) -> None:
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "pl.yml").write_text(DEV, encoding="utf-8")
    (tmp_path / "held").mkdir()
    (tmp_path / "held" / "pl.yml").write_text(HELD_OUT, encoding="utf-8")

    sets = load_sets(tmp_path / "dev", tmp_path / "held")
    # The safety intents' questions are measured by the hard negatives, not as ordinary ones.
    assert sets[0].ordinary == ["jak dostac numer bsn"]
    figures = measure(sets, content.data.crisis, risk)["pl"]

    assert (figures.danger.hits, figures.danger.n) == (2, 2)
    assert (figures.any_tier.hits, figures.any_tier.n) == (2, 2)
    assert figures.by_group["suicide"][0].n == 1 and figures.by_group["fire"][0].hits == 1
    assert figures.by_group["medical"][0].n == 0
    assert (figures.hard_false_danger.hits, figures.hard_false_danger.n) == (0, 1)
    assert (figures.ordinary_false_danger.hits, figures.ordinary_false_danger.n) == (0, 1)

    report = markdown([Measured("Development set", "tests/crisis_dev", {"pl": figures})], "now")
    assert "| pl | 100.0% (2/2) | 100.0% (2/2) | 0.0% (0/1) |" in report
    assert "Development set: without the engine" in report
    assert "set MIP_ENGINE_URL" in report
    for message in ("chce sie zabic", "karetka", "numer bsn"):
        assert message not in report


def test_the_measuring_sets_are_never_training_messages() -> None:
    """The development and confirmation sets measure only: none of their messages may be a
    training message of the classifier or the engine, even with other capitals, diacritics or
    spacing (the sets were written apart; this keeps later training data from copying them)."""
    root = Path(__file__).resolve().parents[2]
    training = {_key(t) for t, _ in training_examples(root / "intents")}
    training |= {_key(t) for t, _ in safety_examples(root / "intents" / "data" / "nlu")}
    sets = load_sets(root / "tests" / "crisis_dev", root / "intents" / "tests")
    sets += load_sets(root / "tests" / "crisis_confirm", root / "intents" / "tests")
    measured = [t for s in sets for ts in s.crisis.values() for t in ts] + [
        t for s in sets for t in s.hard_negatives
    ]
    assert len(measured) >= 4 * (53 + 28 + 70 + 30)
    assert [t for t in measured if _key(t) in training] == []


def _key(text: str) -> str:
    return " ".join(fold(text).split())
