"""A whitespace tokenizer that folds spelling variants before featurisation.

People write "zameldowac" for "zameldować", "sofi" for "sofi-nummer", and Bulgarian as
"kak6e", "kakvo", "какво". Folding every token to one lower-case Latin spelling (diacritics
removed, Cyrillic transliterated, digits used as letters read as letters) lets the character
n-grams of all these spellings meet. Only the lemma is folded: Rasa's featurisers read the
lemma, while token offsets and text stay those of the original message.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# Bulgarian Cyrillic to the Latin spelling most chat writers use.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya", "ѝ": "i",
}
# Letters that Unicode decomposition does not strip.
_LATIN = {"ł": "l", "ß": "ss", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i"}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
# "4" and "6" stand for ч and ш inside words ("4ovek", "kak6e"), not in numbers ("40 uur").
_DIGIT_LETTER = re.compile(r"(?<![0-9])([46])(?![0-9])(?=[a-z]|(?<=[a-z][46]))")
_REPEATS = re.compile(r"(.)\1{2,}")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_TABLE)
    text = _DIGIT_LETTER.sub(lambda m: "ch" if m.group(1) == "4" else "sh", text)
    return _REPEATS.sub(r"\1\1", text)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class FoldingTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer whose token lemmas are folded spellings."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return WhitespaceTokenizer.get_default_config()

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.lemma = fold(token.text)
        return tokens
