"""Facts as data: one change in facts.yml reaches every language; an expired fact says so;
the checker names file and line for every rule."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bot.content.checker import check_tree
from bot.content.compose import compose
from bot.content.data import load_data
from bot.content.facts import fill_text, load_facts
from bot.content.loader import Problem, load_tree
from bot.contract import Contract
from bot.language.codes import SUPPORTED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = dt.date(2026, 3, 1)

WAGE = """
minimum_wage_21:
  kind: money
  value: 14.71
  valid_from: 2026-01-01
  valid_until: 2026-06-30
  source: https://www.vertiadvies.nl/kennisbank/minimumuurloon-naar-euro-14-71
  checked: 2026-12-05

housing_deduction_max:
  kind: percent
  value: 25
  source: https://www.rijksoverheid.nl/actueel/nieuws/2025/10/30/regeling-voor-huisvestingskosten-arbeidsmigranten-blijft-bestaan
  checked: 2026-12-05
"""
BODY = (
    "Minimum wage from {{ facts.minimum_wage_21.valid_from }}: {{ facts.minimum_wage_21 }}. "
    "Housing at most {{ facts.housing_deduction_max }}."
)


def tree(tmp_path: Path, body: str = BODY) -> tuple[Path, Contract]:
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    content = root / "content"
    with (content / "facts.yml").open("a", encoding="utf-8") as f:
        f.write(WAGE)
    for language in SUPPORTED:
        page = content / language / "emergency.md"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f" in {language}.", f" in {language}. {body}"), "utf-8")
    return content, Contract.load(root / "contract.yml")


def texts(content: Path, contract: Contract, today: dt.date) -> dict[str, str]:
    answers, problems = load_tree(content, SUPPORTED, contract)
    data, found = load_data(content, contract)
    assert problems + found == []
    return {
        language: compose(
            answers[(language, "emergency")],
            data,
            stay=None,
            municipality=None,
            today=today,
            title=lambda i: i,
        )
        for language in SUPPORTED
    }


def test_a_fact_is_formatted_for_each_language(tmp_path: Path) -> None:
    content, contract = tree(tmp_path)
    shown = texts(content, contract, TODAY)
    assert "Call 112 in pl." in shown["pl"]
    assert "14,71\xa0€" in shown["pl"] and "1 stycznia 2026" in shown["pl"]
    assert "€\xa014,71" in shown["nl"] and "1 januari 2026" in shown["nl"]
    assert "14,71\xa0€" in shown["bg"] and "1 януари 2026" in shown["bg"]
    assert "14,71\xa0EUR" in shown["ro"] and "1 ianuarie 2026" in shown["ro"]
    assert all("25\xa0%" in s or "25%" in s for s in shown.values())


def test_changing_one_fact_changes_all_four_languages(tmp_path: Path) -> None:
    content, contract = tree(tmp_path)
    before = texts(content, contract, TODAY)
    facts = content / "facts.yml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("value: 14.71", "value: 15.02"), "utf-8"
    )
    after = texts(content, contract, TODAY)
    for language in SUPPORTED:
        assert "14,71" in before[language] and "14,71" not in after[language]
        assert "15,02" in after[language], after[language]


def test_after_valid_until_every_language_says_it_changed_and_where_to_look(
    tmp_path: Path,
) -> None:
    content, contract = tree(tmp_path)
    last_day = texts(content, contract, dt.date(2026, 6, 30))
    next_day = texts(content, contract, dt.date(2026, 7, 1))
    # The old amount only with the end of its period (payslips from then are checked
    # against it), then that it changed and where the current one is.
    changed = {
        "pl": "14,71\xa0€ (do 30 czerwca 2026); od 1 lipca 2026 obowiązuje nowa kwota",
        "bg": "14,71\xa0€ (до 30 юни 2026\u202fг.); от 1 юли 2026\u202fг. сумата е нова",
        "ro": "14,71\xa0EUR (până la 30 iunie 2026); de la 1 iulie 2026 suma s-a schimbat",
        "nl": "€\xa014,71 (tot 30 juni 2026); sinds 1 juli 2026 geldt een nieuw bedrag",
    }
    for language in SUPPORTED:
        assert "14,71" in last_day[language]
        assert "30" not in last_day[language].split("14,71")[1][:20]  # no end date yet
        assert changed[language] in next_day[language], next_day[language]
        assert "https://www.vertiadvies.nl/kennisbank/minimumuurloon" in next_day[language]
        # The date it applied from stays true.
        assert "2026" in next_day[language].split(":")[0]


def test_expired_points_to_the_current_value_when_given(tmp_path: Path) -> None:
    path = tmp_path / "facts.yml"
    path.write_text(
        WAGE.replace("  checked:", "  expired: https://www.rijksoverheid.nl/x\n  checked:", 1),
        "utf-8",
    )
    facts, problems = load_facts(path)
    assert problems == []
    text = fill_text("{{ facts.minimum_wage_21 }}", facts, "nl", dt.date(2026, 7, 1))
    assert text == (
        "€\xa014,71 (tot 30 juni 2026); sinds 1 juli 2026 geldt een nieuw bedrag: "
        "https://www.rijksoverheid.nl/x"
    )


def test_a_broken_facts_file_names_the_line_and_the_store_keeps_the_last_good_one(
    tmp_path: Path,
) -> None:
    content, contract = tree(tmp_path)
    good, _ = load_data(content, contract)
    facts = content / "facts.yml"
    lines = facts.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "value: 14.71" in line)
    lines[number - 1] = "  value: 14,71 euro"
    facts.write_text("\n".join(lines) + "\n", "utf-8")
    data, problems = load_data(content, contract, good)
    assert [(p.line, "must be a number" in p.message) for p in problems] == [(number, True)]
    assert data.facts is good.facts


def check(content: Path, contract: Contract, today: dt.date = TODAY) -> list[Problem]:
    return check_tree(content, SUPPORTED, contract, today)[1]


def where(problem: Problem, content: Path) -> tuple[str, int]:
    return Path(problem.path).relative_to(content).as_posix(), problem.line


def test_the_fixture_with_facts_passes(tmp_path: Path) -> None:
    content, contract = tree(tmp_path)
    assert check(content, contract) == []


def test_an_unknown_fact_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    content, contract = tree(tmp_path, BODY.replace("housing_deduction_max", "housing_max"))
    errors = [p for p in check(content, contract) if not p.warning]
    assert {where(p, content) for p in errors} == {
        (f"{lang}/emergency.md", 8) for lang in SUPPORTED
    }
    assert all("unknown fact 'housing_max'" in p.message for p in errors)


LITERALS = [
    ("Pay € 12 now.", "euro amount"),
    ("Pay 12 € now.", "euro amount"),
    ("Pay EUR 12 now.", "euro amount"),
    ("Pay 12,50 euro now.", "euro amount"),
    ("At most 25% of your pay.", "percentage"),
    ("Call 112.", "phone number"),
    ("Call 113 now.", "phone number"),
    ("Call 0800-2000.", "phone number"),
    ("Call 0900-8844.", "phone number"),
    ("Call 088 123 4567.", "phone number"),
    ("From abroad: +31 70 333 44 44.", "phone number"),
]
NOT_LITERALS = (
    "In 2026, on 1 July 2026 (2026-07-01), from age 21, 9:00-17:00, 40 hours, "
    "Hoofdstraat 112, 1234 AB Venlo, within 5 days, chat on https://www.113.nl, "
    "and [the form](https://example.org/0800-1234)."
)


def test_literal_amounts_percentages_and_phone_numbers_are_errors_with_file_and_line(
    tmp_path: Path,
) -> None:
    content, contract = tree(tmp_path, "")
    page = content / "nl" / "register_brp.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    start = len(lines) + 2  # after the blank line
    lines += ["", *(text for text, _ in LITERALS), NOT_LITERALS]
    page.write_text("\n".join(lines) + "\n", "utf-8")
    errors = [p for p in check(content, contract) if not p.warning]
    found = [(where(p, content), p.message.split(" '")[0]) for p in errors]
    assert found == [
        (("nl/register_brp.md", start + i), what) for i, (_, what) in enumerate(LITERALS)
    ], found


def test_the_languages_of_an_answer_must_use_the_same_facts(tmp_path: Path) -> None:
    content, contract = tree(tmp_path)
    page = content / "ro" / "emergency.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(" {{ facts.housing_deduction_max }}", " -"),
        "utf-8",
    )
    errors = [p for p in check(content, contract) if not p.warning]
    assert [where(p, content) for p in errors] == [("ro/emergency.md", 8)]
    assert "fact 'housing_deduction_max' is missing here" in errors[0].message
    for language in ("bg", "nl", "pl"):
        assert str(content / language / "emergency.md") in errors[0].message


def test_a_fact_near_its_end_warns_and_an_expired_one_fails_strict(tmp_path: Path) -> None:
    content, contract = tree(tmp_path)
    line = next(
        i
        for i, text in enumerate((content / "facts.yml").read_text("utf-8").splitlines(), 1)
        if "valid_until: 2026-06-30" in text
    )
    assert check(content, contract, dt.date(2026, 5, 31)) == []
    soon = check(content, contract, dt.date(2026, 6, 1))
    assert [(where(p, content), p.warning, p.strict) for p in soon] == [
        (("facts.yml", line), True, False)
    ]
    assert "minimum_wage_21" in soon[0].message and "emergency.md" in soon[0].message
    expired = check(content, contract, dt.date(2026, 7, 1))
    assert [(where(p, content), p.warning, p.strict) for p in expired] == [
        (("facts.yml", line), True, True)
    ]
    assert "expired" in expired[0].message


def test_an_expired_fact_checked_since_without_a_new_value_passes_strict_with_a_warning(
    tmp_path: Path,
) -> None:
    content, contract = tree(tmp_path)
    path = content / "facts.yml"
    text = path.read_text("utf-8")
    # Checked before it expired: the acknowledgement does not count yet.
    marked = WAGE.replace(
        "  checked: 2026-12-05", "  next_value: unconfirmed\n  checked: 2026-06-01", 1
    )
    path.write_text(text.replace(WAGE, marked), "utf-8")
    [early] = check(content, contract, dt.date(2026, 7, 1))
    assert early.strict and "expired" in early.message
    checked_later = marked.replace("checked: 2026-06-01", "checked: 2026-07-02")
    path.write_text(text.replace(WAGE, checked_later), "utf-8")
    [later] = check(content, contract, dt.date(2026, 7, 3))
    assert later.warning and not later.strict and "not confirmed" in later.message
    # The answer still says that it changed.
    assert "sinds 1 juli 2026" in texts(content, contract, dt.date(2026, 7, 3))["nl"]


def test_next_value_accepts_only_unconfirmed(tmp_path: Path) -> None:
    path = tmp_path / "facts.yml"
    path.write_text(WAGE.replace("  checked:", "  next_value: 15.00\n  checked:", 1), "utf-8")
    _, problems = load_facts(path)
    assert [p.message for p in problems] == [
        "next_value of fact 'minimum_wage_21' can only be 'unconfirmed'"
    ]
