"""Language identification with the real lingua models and the project's own classifier."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.language.char_model import LinearCharModel, char_wb_ngrams
from bot.language.identify import LanguageIdentifier, iter_training_examples
from bot.language.training import ChildFit, load, pipeline, save, weights_of
from tests.conftest import INTENTS, ROOT


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("jak sie zameldowac w gminie w venlo", "pl"),
        ("gdzie znajde lekarza rodzinnego", "pl"),
        ("как да си направя здравна осигуровка", "bg"),
        # lingua's trigram mode reads these as Russian; their words are Bulgarian.
        ("информационна точка", "bg"),
        ("командировка Холандия", "bg"),
        ("хайде, до утре, отивам на работа", "bg"),
        ("kak da se registriram v obshtinata", "bg"),
        ("6te mi pomognesh li za zastrahovkata", "bg"),
        ("kade moga da namerq li4en lekar", "bg"),
        ("cum ma inregistrez la primarie", "ro"),
        ("unde gasesc un medic de familie pentru copil", "ro"),
        ("am nevoie de huisarts urgent", "ro"),
        ("hoe schrijf ik me in bij de gemeente", "nl"),
        ("mijn poolse collega heeft geen huisarts, wat moet hij doen", "nl"),
    ],
)
def test_supported_languages_are_recognised(
    language_id: LanguageIdentifier, text: str, language: str
) -> None:
    assert language_id.detect(text).language == language


@pytest.mark.parametrize("text", ["contact", "stop", "help", "digid cod"])
def test_one_or_two_loanwords_do_not_decide_the_language(
    language_id: LanguageIdentifier, text: str
) -> None:
    assert language_id.detect(text).language is None


@pytest.mark.parametrize("text", ["bsn?", "zorgverzekering", "DigiD gemeente", "👍", "ok", "112"])
def test_dutch_official_words_alone_carry_no_language(
    language_id: LanguageIdentifier, text: str
) -> None:
    detection = language_id.detect(text)
    assert detection.language is None and not detection.unsupported


@pytest.mark.parametrize(
    "text",
    [
        "Доброго дня, як мені зареєструватися в муніципалітеті?",
        "Здравствуйте, как мне зарегистрироваться в муниципалитете?",
        "Мне нужен врач для ребенка, где его найти?",  # only letters Bulgarian has too
        "Мене звільнили без попередження",
        "Треба ми лекар за дете, где да нађем?",  # Serbian
        "Labas, kaip užsiregistruoti savivaldybėje?",
        "مرحبا، كيف يمكنني التسجيل في البلدية؟",
    ],
)
def test_unsupported_languages_are_recognised_as_such(
    language_id: LanguageIdentifier, text: str
) -> None:
    detection = language_id.detect(text)
    assert detection.unsupported and detection.language is None


def test_the_numpy_classifier_gives_scikit_learns_probabilities() -> None:
    """The bot applies the weights without scikit-learn; the numbers must be scikit-learn's."""
    examples = list(iter_training_examples(INTENTS / "data" / "nlu"))[::4]
    fitted = pipeline().fit([t for t, _ in examples], [lang for _, lang in examples])
    own = LinearCharModel(weights_of(fitted))
    texts = [
        "jak sie zameldowac w gminie w venlo",
        "kade moga da namerq li4en lekar",
        "Cum îmi fac asigurare? Lucrez la Flex Uitzend BV din 2024.",
        "Hoe lang duurt een BSN?!",
        "qqq",
        "",
        "zzzzzzzz xxxxxxx",  # no n-gram the model knows beyond single letters
        "€€€ 123",
        "  Twee   spaties\ten een\ttab  ",
    ]
    reference = fitted.predict_proba(texts)
    for text, expected in zip(texts, reference, strict=True):
        assert own.probabilities(text) == pytest.approx(list(expected), abs=1e-9)
    analyzer = fitted[0].build_analyzer()
    for text in texts:
        assert char_wb_ngrams(text) == analyzer(text)


def test_the_weights_come_back_from_the_child_as_fitted(tmp_path: Path) -> None:
    examples = list(iter_training_examples(INTENTS / "data" / "nlu"))[::8]
    texts, labels = [t for t, _ in examples], [lang for _, lang in examples]
    child = ChildFit(texts, labels).result()
    fitted = pipeline().fit(texts, labels)
    here = weights_of(fitted)
    assert child.classes == here.classes == tuple(sorted(set(labels)))
    np.testing.assert_array_equal(child.grams.keys, here.grams.keys)
    np.testing.assert_allclose(child.coef, here.coef)
    np.testing.assert_allclose(child.intercept, here.intercept)
    save(fitted, tmp_path / "w.npz")
    np.testing.assert_array_equal(load(tmp_path / "w.npz").idf, here.idf)


def test_the_bot_process_does_not_import_scikit_learn() -> None:
    """scikit-learn and scipy cost about 110 MiB; the bot fits in a child process."""
    code = (
        "import sys; from pathlib import Path;"
        "from bot.app import open_app; from bot.language.identify import LanguageIdentifier;"
        f"LanguageIdentifier.from_training_data(Path({str(INTENTS / 'data' / 'nlu')!r}));"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'matplotlib'});"
        "print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == ""
