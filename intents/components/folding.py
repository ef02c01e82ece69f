"""A whitespace tokenizer that folds spelling variants before featurisation.

People write "zameldowac" for "zameldować", "sofi" for "sofi-nummer", and Bulgarian as
"kak6e", "kakvo", "какво". Folding every token to one lower-case Latin spelling (diacritics
removed, Cyrillic transliterated, digits used as letters read as letters) lets the character
n-grams of all these spellings meet. Only the lemma is folded: Rasa's featurisers read the
lemma, while token offsets and text stay those of the original message.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# The spelling rules live once, in the bot's bot/language/folding.py (standard library only),
# so the engine and the bot's crisis matcher fold alike. The project root holds `bot/`.
_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.append(str(_ROOT))

from bot.language.folding import fold  # noqa: E402


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
