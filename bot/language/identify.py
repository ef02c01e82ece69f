"""Which of the four languages a message is in, or that it is in none of them.

Levers, in order (see ../shared/notes/how-people-type.md):
1. Dutch official words (BSN, gemeente, huisarts...) carry no language signal: they are
   removed first, so "bsn?" or "zorgverzekering" alone say nothing and the conversation's
   remembered language is kept.
2. Script: Cyrillic here means Bulgarian unless lingua is sure it is Russian, Ukrainian...;
   Arabic, Greek and other scripts are unsupported.
3. For Latin script, a character n-gram classifier trained on the project's own training
   data in the four languages (which includes Latin-script Bulgarian), blended with lingua
   restricted to the same languages. lingua over a wider set of languages spots text that is
   confidently in none of ours (Lithuanian, English, German...).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from lingua import Language, LanguageDetector, LanguageDetectorBuilder
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.language.codes import SUPPORTED

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
# Macedonian is left out on purpose: lingua reads much standard Bulgarian as Macedonian.
_OTHER_CYRILLIC = [
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.BELARUSIAN,
    Language.SERBIAN,
    Language.KAZAKH,
]
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
# on the training data, 1-2-word messages detected at 0.55 are wrong 12% of the time, at 0.8
# 4%: below this the bot keeps (or asks for) the language instead of guessing.
SHORT_SURE = 0.8
SHORT_WORDS = 2
MIN_LETTERS = 3  # fewer letters than this (after neutral words) carry no signal
UNSUPPORTED_MIN_LETTERS = 12


@dataclass(frozen=True)
class Detection:
    language: str | None  # one of SUPPORTED, or None when unsure or unsupported
    confidence: float = 0.0
    unsupported: bool = False  # confidently written in a language we do not speak


class LanguageIdentifier:
    def __init__(self, examples: Iterable[tuple[str, str]]) -> None:
        texts, labels = zip(*((t, lang) for t, lang in examples if lang in SUPPORTED), strict=True)
        self._own: Pipeline = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=1),
            LogisticRegression(C=20.0, max_iter=2000),
        )
        self._own.fit([_strip_neutral(t) for t in texts], labels)
        self._classes: list[str] = list(self._own.classes_)
        self._own_fast = LinearCharModel(self._own)
        # Models loaded now, not lazily on the first message that needs them: a lazy load
        # blocks the bot for seconds (12 s measured) in the middle of a conversation.
        self._lingua_ours = _preloaded(*_OURS.values())
        self._lingua_cyrillic = _preloaded(Language.BULGARIAN, *_OTHER_CYRILLIC)
        # 22 languages at full accuracy took about 530 MiB of the bot's 1 GiB. This detector
        # only asks "is a longer text confidently in another language?", and its trigram-only
        # mode answers that alike: on the held-out split one message of 1,536 changed
        # ("bank account openen" now reads as English); the four languages' scores are the
        # same (reports/eval.md).
        self._lingua_latin = _preloaded(
            Language.POLISH, Language.ROMANIAN, Language.DUTCH, *_OTHER_LATIN, low_accuracy=True
        )

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
            return self._cyrillic(text, len(letters))
        return self._latin(text, len(letters))

    def _cyrillic(self, text: str, letters: int) -> Detection:
        values = self._lingua_cyrillic.compute_language_confidence_values(text)
        top = values[0]
        bulgarian = next((v.value for v in values if v.language == Language.BULGARIAN), 0.0)
        if (
            top.language != Language.BULGARIAN
            and top.value >= 0.7
            and bulgarian < 0.2
            and letters >= UNSUPPORTED_MIN_LETTERS
        ):
            return Detection(None, top.value, unsupported=True)
        return Detection("bg", 1.0)

    def _latin(self, text: str, letters: int) -> Detection:
        own = dict(zip(self._classes, self._own_fast.probabilities(text), strict=True))
        lingua = {lang: 0.0 for lang in SUPPORTED}
        for value in self._lingua_ours.compute_language_confidence_values(text):
            for code, language in _OURS.items():
                if value.language == language:
                    lingua[code] = value.value
        # lingua cannot read Latin-script Bulgarian; our own classifier can, so it leads.
        blended = {lang: 0.65 * own.get(lang, 0.0) + 0.35 * lingua[lang] for lang in SUPPORTED}
        best = max(blended, key=lambda k: blended[k])
        if letters >= UNSUPPORTED_MIN_LETTERS and own.get(best, 0.0) < 0.8:
            wide = self._lingua_latin.compute_language_confidence_values(text)[0]
            if wide.language not in _OURS.values() and wide.value >= 0.7:
                return Detection(None, wide.value, unsupported=True)
        sure = SHORT_SURE if len(text.split()) <= SHORT_WORDS else SURE
        if blended[best] < sure:
            return Detection(None, blended[best])
        return Detection(best, blended[best])


class LinearCharModel:
    """The fitted TF-IDF + logistic regression pipeline, applied to one text without
    scikit-learn's per-call input checks, which took most of a millisecond per message.
    The same numbers as `predict_proba` (tests/unit/test_language_id.py compares them)."""

    def __init__(self, pipeline: Pipeline) -> None:
        vectorizer: TfidfVectorizer = pipeline[0]
        classifier: LogisticRegression = pipeline[-1]
        if not vectorizer.sublinear_tf or vectorizer.norm != "l2" or classifier.coef_.shape[0] < 3:
            raise ValueError("made for sublinear, l2-normalised TF-IDF and a multinomial model")
        self._analyze = vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._idf = vectorizer.idf_
        self._coef = classifier.coef_
        self._intercept = classifier.intercept_

    def probabilities(self, text: str) -> list[float]:
        counts = Counter(g for g in self._analyze(text) if g in self._vocabulary)
        if not counts:
            scores = self._intercept
        else:
            columns = np.fromiter((self._vocabulary[g] for g in counts), dtype=np.intp)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))
            weights = tf * self._idf[columns]
            weights /= np.sqrt(weights @ weights)
            scores = self._coef[:, columns] @ weights + self._intercept
        exp = np.exp(scores - scores.max())
        return [float(p) for p in exp / exp.sum()]


def _preloaded(*languages: Language, low_accuracy: bool = False) -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


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
