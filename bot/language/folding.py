"""One spelling for the many ways people type a word: for matching phrases, not for display.

Lower case, diacritics removed (ł and ß too), Bulgarian Cyrillic written in the Latin letters
chat writers use, "4"/"6" inside words read as ч/ш, letters repeated for emphasis collapsed.
The engine's tokenizer (intents/components/folding.py) imports this module too, in the
engine's Python 3.10 environment: keep it to the standard library.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya", "ѝ": "i",
}  # fmt: skip
_LATIN = {"ł": "l", "ß": "ss", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i"}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
_DIGIT_LETTER = re.compile(r"(?<![0-9])([46])(?![0-9])(?=[a-z]|(?<=[a-z][46]))")
_REPEATS = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_TABLE)
    text = _DIGIT_LETTER.sub(lambda m: "ch" if m.group(1) == "4" else "sh", text)
    return _REPEATS.sub(r"\1\1", text)


def words(text: str) -> list[str]:
    """The folded words of a text: 'Chcę się ZABIĆ!!!' -> ['chce', 'sie', 'zabic']."""
    return _WORD.findall(fold(text))
