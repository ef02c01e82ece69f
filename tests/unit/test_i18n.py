"""Every UI string in the code is translated in every catalog; dates follow the locale."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.language.codes import SUPPORTED
from bot.language.i18n import LOCALE_DIR, Texts
from tests.conftest import ROOT


def ui_strings() -> set[str]:
    found = extract_from_dir(
        ROOT / "bot", method_map=[("**.py", "python")], keywords={"gettext": None}
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_ui_string_is_translated(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=language)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    strings = ui_strings()
    assert len(strings) > 20
    assert sorted(strings - translated) == []


def test_dates_are_formatted_per_language() -> None:
    day = dt.date(2026, 11, 23)
    assert [Texts(code).date(day) for code in SUPPORTED] == [
        "23 listopada 2026",
        "23 ноември 2026\u202fг.",  # babel: narrow no-break space
        "23 noiembrie 2026",
        "23 november 2026",
    ]
