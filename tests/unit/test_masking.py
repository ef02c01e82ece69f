"""Personal details are masked before a question is kept (pl, bg, ro, nl)."""

from __future__ import annotations

import pytest

from bot.reporting.masking import mask

CASES = [
    # Polish
    (
        "Nazywam się Jan Kowalski, PESEL 85010112345, tel. +48 601 234 567, jan.k@wp.pl",
        ["Jan", "Kowalski", "85010112345", "601 234 567", "jan.k@wp.pl"],
        ["[NAME]", "[NUMBER]", "[PHONE]", "[EMAIL]"],
    ),
    (
        "Mieszkam na ul. Długa 12/4, 80-831 Gdańsk. Urodzony 15.03.1985. Konto NL91 ABNA 0417 1643 00",
        ["Długa 12", "80-831", "15.03.1985", "0417 1643"],
        ["[ADDRESS]", "[POSTCODE]", "[DATE]", "[IBAN]"],
    ),
    ("mam na imię anna, urodziłam się 5 maja 1990", ["anna", "1990"], ["[NAME]", "[DATE]"]),
    # Bulgarian, Cyrillic and Latin
    (
        "Казвам се Иван Петров, живея на ул. Раковски 25, телефон 0888 123 456, ЕГН 8501011234",
        ["Иван", "Петров", "Раковски 25", "0888 123 456", "8501011234"],
        ["[NAME]", "[ADDRESS]", "[PHONE]", "[NUMBER]"],
    ),
    ("Моят номер е +359 88 812 3456, имейл ivan@abv.bg", ["812 3456", "ivan@"], ["[PHONE]"]),
    ("kazvam se georgi, bul. Vitosha 10", ["georgi", "Vitosha 10"], ["[NAME]", "[ADDRESS]"]),
    # Romanian
    (
        "Mă numesc Ștefan Popescu, CNP 1850101123456, strada Mihai Eminescu nr. 5, tel 0722 123 456",
        ["Ștefan", "Popescu", "1850101123456", "Eminescu nr. 5", "0722 123 456"],
        ["[NAME]", "[NUMBER]", "[ADDRESS]", "[PHONE]"],
    ),
    ("Colegul meu Andrei Ionescu nu a primit salariul", ["Andrei", "Ionescu"], ["[NAME]"]),
    # Dutch
    (
        "Ik heet Piet de Vries, BSN 123456782, Stationsstraat 12a, 1234 AB Amsterdam, bel 06-12345678",
        ["Piet", "Vries", "123456782", "Stationsstraat 12a", "1234 AB", "06-12345678"],
        ["[NAME]", "[NUMBER]", "[ADDRESS]", "[POSTCODE]", "[PHONE]"],
    ),
    (
        "mijn postcode is 4811ab 23, geboren 01-02-1990",
        ["4811ab", "1990"],
        ["[POSTCODE]", "[DATE]"],
    ),
]


@pytest.mark.parametrize(("text", "gone", "labels"), CASES)
def test_personal_details_are_masked(text: str, gone: list[str], labels: list[str]) -> None:
    masked = mask(text)
    for detail in gone:
        assert detail not in masked, (detail, masked)
    for label in labels:
        assert label in masked, (label, masked)


@pytest.mark.parametrize(
    "text",
    [
        "Hoe vraag ik DigiD aan in Den Haag? Ik woon hier sinds 2024.",
        "Jak dostać BSN i zarejestrować się w gminie? Pracuję 40 godzin.",
        "Как да си направя здравна застраховка? Работя от 3 месеца.",
        "Cât este salariul minim pe oră în 2026?",
    ],
)
def test_ordinary_questions_stay_readable(text: str) -> None:
    assert mask(text) == text
