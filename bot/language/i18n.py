"""UI strings from gettext catalogs (bot/locale/<lang>/LC_MESSAGES/messages.po) and dates per locale.

Catalogs are maintained with babel (`make i18n`: pybabel extract/update) and compiled in
memory when loaded, so no binary .mo files live in the repository.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "messages"


@cache
def translations(language: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Texts:
    """The UI texts of one language: `t.gettext("Menu")`, `t.date(day)`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._translations = translations(language)

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def date(self, day: dt.date) -> str:
        return format_date(day, format="long", locale=self.language)
