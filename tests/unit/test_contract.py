"""The Rasa project and the content tree follow the intent contract exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.contract import Contract, Kind
from bot.evaluation.nlu_files import read_examples
from bot.language.codes import SUPPORTED
from tests.conftest import CONTENT, INTENTS, ROOT

SHARED_SPEC = ROOT.parent / "shared" / "spec" / "intents.yml"
NEW_SPEC = ROOT.parent / "shared" / "spec" / "new-intents.yml"


def examples(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for example in read_examples(path):
        found.setdefault(example.intent, []).append(example.text)
    return found


@pytest.mark.parametrize("spec", [SHARED_SPEC, NEW_SPEC], ids=["first version", "new intents"])
def test_the_contract_keeps_every_intent_of_the_shared_specs(
    contract: Contract, spec: Path
) -> None:
    """The project owns its contract now: intents may be added, none may leave, be renamed
    or move to another topic or kind."""
    if not spec.exists():
        pytest.skip(f"{spec} is not beside the project")
    ours = yaml.safe_load((INTENTS / "contract.yml").read_text())
    for topic, intents in yaml.safe_load(spec.read_text()).items():
        for name, entry in intents.items():
            assert ours.get(topic, {}).get(name, {}).get("kind") == entry["kind"], name


def test_the_shared_contract_checker_finds_no_problem() -> None:
    """../shared/tools/check_contract.py reads the Rasa files its own way (block-form
    examples); the project must pass it as it is, not only our reader."""
    checker = ROOT.parent / "shared" / "tools" / "check_contract.py"
    if not checker.exists():
        pytest.skip(f"{checker} is not beside the project")
    command = [sys.executable, str(checker)]
    if NEW_SPEC.exists():
        command += ["--require", str(NEW_SPEC)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert "0 problem(s)" in result.stdout, result.stdout[-2000:]


def test_contract_has_44_intents_in_topics(contract: Contract) -> None:
    assert len(contract.intents) == 44
    assert contract.intents["register_brp"].kind is Kind.ANSWER
    assert contract.intents["register_brp"].topic == "registration"
    assert "conversation" not in contract.menu_topics


def test_domain_lists_exactly_the_contract_intents(contract: Contract) -> None:
    domain = yaml.safe_load((INTENTS / "domain.yml").read_text())
    assert domain["intents"] == list(contract.intents)


@pytest.mark.parametrize("language", SUPPORTED)
def test_training_data_covers_every_intent_with_20_examples(
    contract: Contract, language: str
) -> None:
    found = examples(INTENTS / "data" / "nlu" / f"{language}.yml")
    assert set(found) == set(contract.intents)
    assert {name: n for name, n in ((k, len(v)) for k, v in found.items()) if n < 20} == {}


@pytest.mark.parametrize("language", SUPPORTED)
def test_held_out_split_covers_every_intent_and_never_overlaps_training(
    contract: Contract, language: str
) -> None:
    test = examples(INTENTS / "tests" / f"{language}.yml")
    train = examples(INTENTS / "data" / "nlu" / f"{language}.yml")
    assert set(test) == set(contract.intents)
    assert {k: len(v) for k, v in test.items() if len(v) < 8} == {}
    seen = {t.lower() for v in train.values() for t in v}
    assert [t for v in test.values() for t in v if t.lower() in seen] == []


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_content_intent_has_a_file_in_every_language(
    contract: Contract, language: str
) -> None:
    present = {p.stem for p in (CONTENT / language).glob("*.md")}
    assert set(contract.content_intents()) == present
