"""Which of the four languages a message is in, or that it is in none of them.

Levers, in order (see ../shared/notes/how-people-type.md):
1. Dutch official words (BSN, gemeente, huisarts...) carry no language signal: they are
   removed first, so "bsn?" or "zorgverzekering" alone say nothing and the conversation's
   remembered language is kept.
2. Script: Cyrillic here means Bulgarian unless the text is confidently in another Cyrillic
   language; Arabic, Greek and other scripts are unsupported.
3. For Latin script, a character n-gram classifier trained on the project's own training
   data in the four languages (which includes Latin-script Bulgarian) decides.

lingua only answers "is this longer text confidently in another language?", in its
trigram-only (low accuracy) mode: about 30 MiB for 25 languages, where its full models took
about 250 MiB for the same questions and the four languages' scores were no better with them
(bench/RESULTS.md, "Language identification" and "Memory").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from lingua import Language, LanguageDetectorBuilder

from bot.language.char_model import LinearCharModel
from bot.language.codes import SUPPORTED
from bot.language.training import ChildFit

# Words from letters and websites that people type in any language (facts.md glossary).
NEUTRAL_TERMS = frozenset(
    """
    gemeente brp rni bsn burgerservicenummer digid huisarts huisartsenpost hap zorgverzekering
    basisverzekering eigen risico zorgtoeslag huurtoeslag kinderbijslag kinderopvangtoeslag
    toeslagen toeslag belastingdienst svb uwv ww uitzendbureau loonstrook vakantiegeld
    ziekmelding huurcommissie arbeidsinspectie juridisch loket cak ggd jgz consultatiebureau
    verloskundige kraamzorg apotheek leerplicht isk cao abu nbbu sna snf wml veilig thuis
    taalhuis ido m-biljet jaaropgaaf inschrijving uitschrijving werk.nl ehic fairwork comensha
    politie boa handhaving venlo westland tilburg horst den haag rotterdam amsterdam utrecht
    eindhoven breda
    """.split()  # noqa: SIM905 (a word list reads better than a list of strings)
)
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_WORD = re.compile(r"[^\W\d_]+(?:[-.][^\W\d_]+)*", re.UNICODE)

_OURS = {
    "pl": Language.POLISH,
    "bg": Language.BULGARIAN,
    "ro": Language.ROMANIAN,
    "nl": Language.DUTCH,
}
# Other Cyrillic languages that lingua tells from Bulgarian. Ukrainian, Belarusian, Serbian,
# Macedonian, Kazakh... also show letters Bulgarian does not have (і, ў, ј, ѓ, қ...).
_OTHER_CYRILLIC = [Language.RUSSIAN, Language.UKRAINIAN]
_BULGARIAN_LETTERS = frozenset("абвгдежзийклмнопрстуфхцчшщъьюяѝ")
_OTHER_LATIN = [
    Language.ENGLISH,
    Language.GERMAN,
    Language.FRENCH,
    Language.SPANISH,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.LITHUANIAN,
    Language.LATVIAN,
    Language.ESTONIAN,
    Language.CZECH,
    Language.SLOVAK,
    Language.HUNGARIAN,
    Language.TURKISH,
    Language.SWEDISH,
    Language.DANISH,
    Language.FINNISH,
    Language.CROATIAN,
    Language.SLOVENE,
    Language.ALBANIAN,
]

SURE = 0.55  # below this, keep the conversation's language
# One or two words ("stop", "hallo", "contact") are loanwords as often as not. Cross-validated
# on the training data (5 folds, 1,308 messages of 1-2 words), the classifier is wrong on 9% of
# those it scores 0.8 or more, on 2.2% of those at 0.95 (39% of them): below this the bot keeps
# (or asks for) the language instead of guessing.
SHORT_SURE = 0.95
SHORT_WORDS = 2
MIN_LETTERS = 3  # fewer letters than this (after neutral words) carry no signal
UNSUPPORTED_MIN_LETTERS = 12
# lingua's trigram mode reads some short Bulgarian phrases as Russian ("информационна точка");
# when most of a message's words of 3+ letters occur in the Bulgarian training data, it is
# Bulgarian. Cross-validated on the training data (5 folds, 709 Cyrillic messages): 24 such
# misreadings, 3 left with this rule; 0 of 216 on the held-out split.
KNOWN_WORDS_BULGARIAN = 0.5
KNOWN_WORD_MIN_LETTERS = 3


@dataclass(frozen=True)
class Detection:
    language: str | None  # one of SUPPORTED, or None when unsure or unsupported
    confidence: float = 0.0
    unsupported: bool = False  # confidently written in a language we do not speak


class LanguageIdentifier:
    def __init__(self, examples: Iterable[tuple[str, str]]) -> None:
        texts, labels = zip(*((t, lang) for t, lang in examples if lang in SUPPORTED), strict=True)
        fitting = ChildFit([_strip_neutral(t) for t in texts], labels)
        self._bulgarian_words = frozenset(
            word
            for text, lang in zip(texts, labels, strict=True)
            if lang == "bg"
            for word in _words(text)
            if _is_cyrillic(word)
        )
        # Loaded now (while the child fits), not lazily on the first message that needs them:
        # a lazy load blocks the bot for seconds in the middle of a conversation.
        self._lingua = (
            LanguageDetectorBuilder.from_languages(*_OURS.values(), *_OTHER_LATIN, *_OTHER_CYRILLIC)
            .with_preloaded_language_models()
            .with_low_accuracy_mode()
            .build()
        )
        self._own = LinearCharModel(fitting.result())

    @classmethod
    def from_training_data(cls, nlu_dir: Path) -> LanguageIdentifier:
        return cls(iter_training_examples(nlu_dir))

    def detect(self, text: str) -> Detection:
        text = _strip_neutral(text[:1000])
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) < MIN_LETTERS:
            return Detection(None)
        scripts = _script_counts(letters)
        if scripts["other"] > len(letters) / 2:
            return Detection(None, 1.0, unsupported=True)
        if scripts["cyrillic"] > scripts["latin"]:
            return self._cyrillic(text, letters)
        return self._latin(text, len(letters))

    def _cyrillic(self, text: str, letters: list[str]) -> Detection:
        if len(letters) < UNSUPPORTED_MIN_LETTERS:
            return Detection("bg", 1.0)
        if any(_is_cyrillic(ch) and ch.lower() not in _BULGARIAN_LETTERS for ch in letters):
            return Detection(None, 1.0, unsupported=True)
        values = self._lingua.compute_language_confidence_values(text)
        top = values[0]
        bulgarian = next((v.value for v in values if v.language == Language.BULGARIAN), 0.0)
        if top.language != Language.BULGARIAN and top.value >= 0.7 and bulgarian < 0.2:
            words = [w for w in _words(text) if len(w) >= KNOWN_WORD_MIN_LETTERS]
            known = sum(w in self._bulgarian_words for w in words)
            if known < KNOWN_WORDS_BULGARIAN * len(words):
                return Detection(None, top.value, unsupported=True)
        return Detection("bg", 1.0)

    def _latin(self, text: str, letters: int) -> Detection:
        own = dict(zip(self._own.classes, self._own.probabilities(text), strict=True))
        best = max(own, key=lambda k: own[k])
        if letters >= UNSUPPORTED_MIN_LETTERS and own[best] < 0.8:
            wide = self._lingua.compute_language_confidence_values(text)[0]
            if wide.language not in _OURS.values() and wide.value >= 0.7:
                return Detection(None, wide.value, unsupported=True)
        sure = SHORT_SURE if len(text.split()) <= SHORT_WORDS else SURE
        if own[best] < sure:
            return Detection(None, own[best])
        return Detection(best, own[best])


def iter_training_examples(nlu_dir: Path) -> Iterable[tuple[str, str]]:
    """(text, language) from Rasa NLU files named after their language (pl.yml, bg.yml...)."""
    for path in sorted(nlu_dir.glob("*.yml")):
        language = path.stem
        if language not in SUPPORTED:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield line[2:].strip(), language


def _strip_neutral(text: str) -> str:
    text = _URL.sub(" ", text)
    kept = [w for w in _WORD.findall(text) if w.lower() not in NEUTRAL_TERMS]
    return " ".join(kept)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _script_counts(letters: list[str]) -> dict[str, int]:
    counts = {"latin": 0, "cyrillic": 0, "other": 0}
    for ch in letters:
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN"):
            counts["latin"] += 1
        elif name.startswith("CYRILLIC"):
            counts["cyrillic"] += 1
        else:
            counts["other"] += 1
    return counts
