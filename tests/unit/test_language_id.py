"""Language identification with the real lingua models and the project's own classifier."""

from __future__ import annotations

import pytest

from bot.language.identify import LanguageIdentifier


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("jak sie zameldowac w gminie w venlo", "pl"),
        ("gdzie znajde lekarza rodzinnego", "pl"),
        ("как да си направя здравна осигуровка", "bg"),
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
        "Labas, kaip užsiregistruoti savivaldybėje?",
        "مرحبا، كيف يمكنني التسجيل في البلدية؟",
    ],
)
def test_unsupported_languages_are_recognised_as_such(
    language_id: LanguageIdentifier, text: str
) -> None:
    detection = language_id.detect(text)
    assert detection.unsupported and detection.language is None


def test_the_fast_classifier_gives_scikit_learns_probabilities(
    language_id: LanguageIdentifier,
) -> None:
    texts = [
        "jak sie zameldowac w gminie w venlo",
        "kade moga da namerq li4en lekar",
        "Cum îmi fac asigurare? Lucrez la Flex Uitzend BV din 2024.",
        "Hoe lang duurt een BSN?!",
        "qqq",
        "",
        "zzzzzzzz xxxxxxx",  # no n-gram the model knows beyond single letters
        "€€€ 123",
    ]
    reference = language_id._own.predict_proba(texts)
    for text, expected in zip(texts, reference, strict=True):
        assert language_id._own_fast.probabilities(text) == pytest.approx(list(expected), abs=1e-9)
