"""Style tagging, NLU file round trips, metrics and the report of `mip eval`, on small fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.evaluation.crossval import parse_intent_report
from bot.evaluation.heldout import Example, Outcome, language_ok, load_examples
from bot.evaluation.metrics import OUT_OF_SCOPE, compute, confusion_matrix, one_line
from bot.evaluation.nlu_files import NluExample, read_examples
from bot.evaluation.report import CrossValidation, ReportInfo, markdown, write_charts
from bot.evaluation.style_tags import dutch_terms_in, style_tags

ANSWERS = {"register_brp", "change_address", "police", "tax_return"}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("jak sie zameldowac w gminie", "pl", ["no_diacritics"]),
        ("jak się zameldować w gminie", "pl", []),
        ("bsn?", "pl", ["dutch_terms", "short"]),  # too short to judge diacritics
        ("cum ma inscriu la primarie", "ro", ["no_diacritics"]),
        ("cum mă înscriu la primărie", "ro", []),
        ("kak da si izvadya bsn nomer", "bg", ["latin_bg", "dutch_terms"]),
        ("как да си извадя BSN номер", "bg", ["dutch_terms"]),
        ("kak da se zapisha v obshtinata", "bg", ["latin_bg"]),
        ("gdzie jest gemeentehuis w venlo", "pl", ["no_diacritics", "dutch_terms"]),
        ("ik wil inschrijven bij de gemeente", "nl", []),  # Dutch terms in Dutch are not mixed in
        ("hallo", "nl", ["short"]),
        (" ".join(["słowo"] * 20), "pl", ["long"]),
    ],
)
def test_style_tags(text: str, language: str, expected: list[str]) -> None:
    assert style_tags(text, language) == expected


def test_dutch_terms_match_whole_words_multi_word_terms_and_compounds() -> None:
    assert dutch_terms_in("Ile wynosi eigen risico?") == ["eigen_risico"]
    assert dutch_terms_in("huisartsenpost w nocy") == ["huisartsenpost"]
    assert dutch_terms_in("gemeentehuis") == ["gemeente"]
    assert dutch_terms_in("boala mea") == []  # "boa" only as a whole word
    assert dutch_terms_in("zapłacił mi wypłatę") == []


def test_nlu_files_read_both_forms(tmp_path: Path) -> None:
    path = tmp_path / "pl.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: police\n  examples: |\n    - aangifte na policji\n'
        "- intent: tax_return\n  examples:\n  - text: zwrot podatku 2026\n",
        encoding="utf-8",
    )
    assert read_examples(path) == [
        NluExample("police", "aangifte na policji"),
        NluExample("tax_return", "zwrot podatku 2026"),
    ]


def test_load_examples_tags_styles_from_the_text(tmp_path: Path) -> None:
    for language in ("pl", "bg", "ro", "nl"):
        (tmp_path / f"{language}.yml").write_text(
            f'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi {language}\n',
            encoding="utf-8",
        )
    examples = load_examples(tmp_path)
    assert examples[0] == Example("hi pl", "greet", "pl", ("short",))
    assert [e.language for e in examples] == ["pl", "bg", "ro", "nl"]


def outcome(
    expected: str,
    predicted: str,
    language: str = "nl",
    styles: tuple[str, ...] = (),
    detected: str | None = "nl",
) -> Outcome:
    example = Example(f"{expected} text", expected, language, styles)
    return Outcome(example, predicted, 0.9, detected, language_ok(example, detected, False))


def sample() -> list[Outcome]:
    return [
        outcome("police", "police", styles=("short",)),
        outcome("police", "tax_return", styles=("short",)),
        outcome("tax_return", "tax_return"),
        outcome("tax_return", "tax_return", detected="pl"),
        outcome(OUT_OF_SCOPE, "nlu_fallback"),  # counts as right
        outcome(OUT_OF_SCOPE, "greet"),  # wrong, but not answered with a topic
        outcome(OUT_OF_SCOPE, "police"),  # answered with a topic: an out-of-scope miss
        outcome("register_brp", "register_brp", language="pl", detected="pl"),
    ]


def test_metrics_per_language() -> None:
    metrics = compute(sample(), ANSWERS, ["pl", "bg", "ro", "nl"])
    assert list(metrics) == ["pl", "nl"]
    nl = metrics["nl"]
    assert nl.n == 7
    assert nl.intent_accuracy == pytest.approx(4 / 7)
    assert nl.oos_n == 3
    assert nl.oos_recall == pytest.approx(2 / 3)
    assert nl.language_accuracy == pytest.approx(6 / 7)
    assert nl.confusions.most_common(1)[0][1] == 1
    assert set(nl.confusions) == {
        ("police", "tax_return"),
        (OUT_OF_SCOPE, "greet"),
        (OUT_OF_SCOPE, "police"),
    }
    # F1: police 2/3 (p 1/2 r 1/2 → 0.5), tax_return (p 2/3 r 1 → 0.8), oos (p 1 r 1/3 → 0.5)
    assert nl.macro_f1 == pytest.approx((0.5 + 0.8 + 0.5) / 3)
    assert nl.styles["short"].n == 2
    assert nl.styles["short"].intent_accuracy == 0.5
    assert not nl.meets_targets()
    assert metrics["pl"].meets_targets() is False  # no out-of-scope messages: recall 0


def test_one_word_messages_left_undetected_count_as_right_language() -> None:
    example = Example("bsn", "get_bsn", "pl")
    assert language_ok(example, None, unsupported=False)
    assert not language_ok(example, None, unsupported=True)
    assert not language_ok(Example("gdzie jest mój numer", "get_bsn", "pl"), None, False)


def test_confusion_matrix_rows_are_expected_columns_add_other_predictions() -> None:
    outcomes = [o for o in sample() if o.example.language == "nl"]
    columns, matrix = confusion_matrix(outcomes, ["out_of_scope", "police", "tax_return"])
    assert columns == ["out_of_scope", "police", "tax_return", "greet"]
    assert matrix == [[1, 1, 0, 1], [0, 1, 1, 0], [0, 0, 2, 0]]


def test_one_line_summary() -> None:
    line = one_line(compute(sample(), ANSWERS, ["pl", "nl"]))
    assert line.startswith("intent pl 100.0% nl 57.1% | macro F1 ")
    assert "oos recall 66.7%" in line
    assert line.endswith("below target: pl, nl")


def test_report_and_charts_are_written(tmp_path: Path) -> None:
    outcomes = sample()
    metrics = compute(outcomes, ANSWERS, ["pl", "nl"])
    charts = write_charts(metrics, outcomes, tmp_path)
    assert charts == ["languages.png", "styles.png", "confusion-pl.png", "confusion-nl.png"]
    for name in charts:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    info = ReportInfo(
        "2026-11-23 10:00 CET",
        "nlu-x.tar.gz",
        "LogisticRegressionClassifier",
        CrossValidation(5, 0.95, 0.94, 0.95, 300.0),
        charts,
    )
    report = markdown(metrics, info)
    assert "| nl | 7 | 57.1% ✗ | 0.600 | 66.7% (3) ✗ | 85.7% ✗ |" in report
    assert "| 3 words or fewer | – | 50.0% / 100.0% (2) |" in report
    assert "- **nl**: police → tax_return (1)" in report
    assert "accuracy 95.0%, macro F1 0.940" in report
    assert "![confusion-nl.png](confusion-nl.png)" in report


def test_rasa_intent_report_is_read(tmp_path: Path) -> None:
    path = tmp_path / "intent_report.json"
    path.write_text(
        json.dumps(
            {
                "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 3},
                "accuracy": 0.9512,
                "macro avg": {"f1-score": 0.94},
                "weighted avg": {"f1-score": 0.95},
            }
        )
    )
    cv = parse_intent_report(path, 5, 12.0)
    assert cv == CrossValidation(5, 0.9512, 0.94, 0.95, 12.0)


def test_accuracy_per_contract_version_keeps_old_intents_visible() -> None:
    # police was added in "version 2" here; tax_return and out_of_scope are version 1.
    metrics = compute(sample(), ANSWERS, ["nl"], {"police": 2})
    nl = metrics["nl"]
    assert set(nl.versions) == {1, 2}
    police = [o for o in sample() if o.example.language == "nl" and o.example.intent == "police"]
    assert nl.versions[2].n == len(police)
    assert nl.versions[1].n + nl.versions[2].n == nl.n
    assert compute(sample(), ANSWERS, ["nl"])["nl"].versions == {}  # one version: no table
