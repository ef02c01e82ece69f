"""`mip content check`: the real tree passes; each deliberate mistake names its file and line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot import cli
from bot.content.checker import check_tree, parity_problems
from bot.content.loader import CRISIS_GROUPS, Problem, load_tree
from bot.contract import Contract
from bot.language.codes import SUPPORTED
from tests.conftest import CONTENT

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = dt.date(2026, 11, 23)

# (file under tests/fixtures/broken/content, line, part of the message): every mistake in the
# broken fixture tree and where the checker must point.
EXPECTED = [
    ("bg/emergency.md", 9, "unknown placeholder '{{ deks }}'"),
    ("bg/info_point.md", 0, "missing: every language needs info_point.md"),
    ("bg/register_brp.md", 8, "section '::: stay mid long' is missing here but exists in nl"),
    ("bg/register_brp.md", 8, "section '::: stay short' is missing here but exists in nl"),
    ("crisis.yml", 3, "phrase '112' is too short"),
    (
        "crisis.yml",
        8,
        "answer 'greet' must be crisis/<group> (suicide, violence_at_home, sexual_violence, "
        "trafficking, medical, fire, assault) or one of emergency, mental_health, domestic_violence",
    ),
    ("events.yml", 3, "date '1 December' must be written as YYYY-MM-DD"),
    ("events.yml", 5, "'end' must be later than 'start'"),
    (
        "events.yml",
        6,
        "unknown municipality 'tilburg': use an id from municipalities.yml (breda, venlo)",
    ),
    ("events.yml", 8, "language 'en'"),
    ("events.yml", 9, "topic 'weather' is not an answer intent"),
    ("events.yml", 10, "id 'fixture-tax-evening' is used twice"),
    ("municipalities.yml", 7, "hours '9-17': write '09:00-17:00'"),
    ("municipalities.yml", 8, "phone 'call us'"),
    ("municipalities.yml", 9, "url 'example.org/breda' is not an http(s) link"),
    ("municipalities.yml", 10, "unknown key 'fax' in a desk"),
    ("municipalities.yml", 12, "unknown weekday 'saturday'"),
    ("municipalities.yml", 14, "name is 51 characters; at most 40 fit on a button"),
    ("municipalities.yml", 15, "rni_desk 'Tegelen' is not one of the 19 RNI desks"),
    ("municipalities.yml", 16, "municipality id 'Other' must be lower case"),
    ("nl/emergency.md", 8, "crisis answers are sent at once and cannot ask questions"),
    ("nl/greet.md", 7, "greetings and menu texts are the same for everyone"),
    ("nl/info_point.md", 8, "section '::: municipality breda' is missing here but exists in ro"),
    ("nl/info_point.md", 12, "unknown municipality atlantis: use an id from municipalities.yml"),
    ("nl/register_brp.md", 9, "section '::: stay short mid long' is missing here but exists in bg"),
    ("nl/weather.md", 1, "unknown intent 'weather'"),
    ("pl/emergency.md", 8, "crisis answers are sent at once"),
    ("pl/info_point.md", 3, "title is 50 characters; at most 40 fit on a button"),
    ("pl/register_brp.md", 10, "stay sections must cover short, mid and long; missing: long"),
    ("pl/register_brp.md", 17, "link 'www.example.org' is not a valid"),
    ("ro/emergency.md", 8, "crisis answers are sent at once"),
    (
        "ro/info_point.md",
        8,
        "section '::: municipality atlantis breda' is missing here but exists in nl",
    ),
    ("ro/register_brp.md", 10, "section is not closed"),
    ("ro/register_brp.md", 10, "stay sections must cover short, mid and long; missing: long"),
    ("ro/register_brp.md", 12, "unknown stay value(s) forever"),
]
WARNINGS = [
    ("nl/register_brp.md", 4, "stale: reviewed 691 days ago"),
    ("nl/register_brp.md", 5, "yearly: 2025 is past; update the numbers for 2026"),
]


def fixture_check(name: str, today: dt.date = TODAY) -> list[Problem]:
    root = FIXTURES / name
    _, problems = check_tree(
        root / "content", SUPPORTED, Contract.load(root / "contract.yml"), today
    )
    return problems


def relative(problem: Problem, name: str) -> tuple[str, int, str]:
    prefix = str(FIXTURES / name / "content") + "/"
    assert problem.path.startswith(prefix), problem
    return problem.path.removeprefix(prefix), problem.line, problem.message


def test_the_real_tree_has_no_errors_and_every_language_has_the_same_variants(
    contract: Contract,
) -> None:
    valid, problems = check_tree(CONTENT, SUPPORTED, contract, dt.date.today())
    # Issue 14's new answers wait for their intents in the contract (another branch).
    assert [
        str(p) for p in problems if not p.warning and "not in the contract" not in p.message
    ] == []
    # Every contract answer and the seven crisis answers (crisis/<group>.md), in each language.
    assert valid == len(SUPPORTED) * (len(contract.content_intents()) + len(CRISIS_GROUPS))


def test_parity_on_the_real_tree(contract: Contract) -> None:
    answers, _ = load_tree(CONTENT, SUPPORTED, contract)
    assert parity_problems(answers) == []
    for intent in contract.content_intents():
        variants = {answers[(lang, intent)].variants.variants for lang in SUPPORTED}
        assert len(variants) == 1, intent


def test_the_valid_fixture_tree_passes() -> None:
    assert fixture_check("valid") == []


def test_every_mistake_in_the_broken_tree_is_reported_with_file_and_line() -> None:
    problems = fixture_check("broken")
    found = [relative(p, "broken") for p in problems if not p.warning]
    for path, line, message in EXPECTED:
        assert any(f == path and n == line and message in m for f, n, m in found), (
            path,
            line,
            message,
            found,
        )
    # Nothing else: every error the checker reports is one of the planted mistakes.
    assert len(found) == len(EXPECTED), found


def test_stale_and_past_yearly_are_warnings_with_file_and_line() -> None:
    warnings = [relative(p, "broken") for p in fixture_check("broken") if p.warning]
    assert len(warnings) == len(WARNINGS)
    for path, line, message in WARNINGS:
        assert any(f == path and n == line and message in m for f, n, m in warnings), warnings
    assert all(str(p).split(": ")[1] == "warning" for p in fixture_check("broken") if p.warning)


def test_an_answer_too_long_once_the_desks_are_filled_in_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    places = root / "content" / "municipalities.yml"
    many = "".join(
        f"      - name: Extra desk number {i}\n        address: Long Street {i}, 1234 AB Venlo\n"
        f'        hours: {{mon: "09:00-12:00, 13:00-17:00", wed: "10:00-16:00"}}\n'
        for i in range(60)
    )
    places.write_text(places.read_text(encoding="utf-8") + many, encoding="utf-8")
    problems = check_tree(root / "content", SUPPORTED, Contract.load(root / "contract.yml"), TODAY)[
        1
    ]
    long = [p for p in problems if "Telegram allows 4096" in p.message]
    assert {Path(p.path).relative_to(root / "content").as_posix() for p in long} == {
        f"{lang}/info_point.md" for lang in SUPPORTED
    }
    assert all("for municipality venlo" in p.message and p.line == 8 for p in long)
    assert all("the entry of venlo in municipalities.yml" in p.message for p in long)


def run_check(monkeypatch: pytest.MonkeyPatch, root: Path, *args: str) -> int:
    monkeypatch.setenv("MIP_CONTENT_DIR", str(root / "content"))
    monkeypatch.setenv("MIP_INTENTS_DIR", str(root))
    return cli.main(["content", "check", *args])


def test_cli_exit_codes_errors_fail_warnings_pass_unless_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_check(monkeypatch, FIXTURES / "broken") == 1
    out = capsys.readouterr().out
    assert f"{FIXTURES}/broken/content/municipalities.yml:14: name is 51 characters" in out

    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    page = root / "content" / "nl" / "register_brp.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("reviewed: 2026-11-01", "reviewed: 2020-01-01"),
        encoding="utf-8",
    )
    assert run_check(monkeypatch, root) == 0
    assert "nl/register_brp.md:4: warning: stale" in capsys.readouterr().out
    assert run_check(monkeypatch, root, "--strict") == 1


def write_crisis_answer(root: Path, language: str, group: str) -> None:
    folder = root / "content" / language / "crisis"
    folder.mkdir(exist_ok=True)
    (folder / f"{group}.md").write_text(
        f"---\nintent: crisis_{group}\ntitle: {group} {language}\nreviewed: 2026-11-01\n"
        f"sources:\n  - https://example.org/{group}\n---\n"
        f"Call {{{{ facts.emergency_number }}}} in {language}.\n",
        encoding="utf-8",
    )


def test_a_crisis_group_needs_its_answer_in_every_language(tmp_path: Path) -> None:
    """crisis.yml says which crisis answers must exist: a tree with the general answers only
    passes (the valid fixture), a group pointing at crisis/fire needs fire.md in all four."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    crisis = root / "content" / "crisis.yml"
    crisis.write_text(
        crisis.read_text(encoding="utf-8")
        + "fire:\n  answer: crisis/fire\n  pl: [pożar w domu]\n  bg: [пожар в къщата]\n"
        "  ro: [foc în casă]\n  nl: [er is brand]\n",
        encoding="utf-8",
    )
    write_crisis_answer(root, "pl", "fire")
    contract = Contract.load(root / "contract.yml")
    _, problems = check_tree(root / "content", SUPPORTED, contract, TODAY)
    assert [
        (Path(p.path).relative_to(root / "content").as_posix(), p.line, p.message) for p in problems
    ] == [
        (
            f"{language}/crisis/fire.md",
            0,
            "missing: crisis.yml's group 'fire' answers with crisis/fire; "
            "every language needs crisis/fire.md",
        )
        for language in ("bg", "nl", "ro")
    ]
    for language in SUPPORTED:
        write_crisis_answer(root, language, "fire")
    valid, problems = check_tree(root / "content", SUPPORTED, contract, TODAY)
    assert problems == []
    assert valid == len(SUPPORTED) * (len(contract.content_intents()) + 1)


def test_a_crisis_answer_written_in_one_language_is_needed_in_all(tmp_path: Path) -> None:
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    write_crisis_answer(root, "ro", "medical")
    _, problems = check_tree(
        root / "content", SUPPORTED, Contract.load(root / "contract.yml"), TODAY
    )
    assert sorted(Path(p.path).name for p in problems) == ["medical.md"] * 3
    assert all("crisis/medical.md exists in ro" in p.message for p in problems)
