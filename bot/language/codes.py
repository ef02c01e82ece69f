"""The languages the information point speaks, and their names (through babel)."""

from __future__ import annotations

from babel import Locale

SUPPORTED: tuple[str, ...] = ("pl", "bg", "ro", "nl")
DEFAULT = "nl"


def is_supported(code: str | None) -> bool:
    return code in SUPPORTED


def normalise(code: str | None) -> str | None:
    """'pl-PL', 'PL' or 'pl_PL' -> 'pl'; anything unsupported -> None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED else None


def native_name(code: str) -> str:
    """The language's name in itself, capitalised: 'Polski', 'Български', 'Română'."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def name_in(code: str, locale: str) -> str:
    """The language's name in the reader's language: 'bułgarski' for ('bg', 'pl')."""
    return Locale.parse(code).get_display_name(locale) or code
