"""Style tags of held-out messages: how a message is typed, so accuracy can be broken down by it.

The tags are computed by `style_tags()` from the text and its language alone (no model, no
training data), when `mip eval` loads intents/tests/<lang>.yml. The rules (see ../shared/notes/how-people-type.md):

- no_diacritics: Polish or Romanian (languages whose words normally carry diacritics) of at
  least 3 words with not one of the language's diacritic letters. Shorter messages ("bsn?",
  "L4") are not judged: they may need no diacritic at all.
- latin_bg: Bulgarian written mostly in Latin letters (Dutch official terms, which are Latin in
  every language, are left out of the count).
- dutch_terms: Polish, Bulgarian or Romanian with a Dutch official term of the fact sheet's
  glossary (gemeente, BSN, huisarts, toeslagen...) in it.
- short: 3 words or fewer.  long: 20 words or more.
"""

from __future__ import annotations

import re
import unicodedata

STYLES = ("no_diacritics", "latin_bg", "dutch_terms", "short", "long")
SHORT_WORDS = 3
LONG_WORDS = 20
NO_DIACRITICS_MIN_WORDS = 3

DIACRITICS = {
    "pl": frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"),
    "ro": frozenset("ăâîșşțţĂÂÎȘŞȚŢ"),
}

# The glossary of Dutch official terms in ../shared/facts.md ("as users will type them"), plus
# the words of how-people-type.md, lower case without diacritics. Terms of 6 letters or more
# also match as the start of a word (gemeentehuis, huisartsen); shorter ones only whole.
DUTCH_TERMS = frozenset(
    """
    gemeente brp basisregistratie rni inschrijving uitschrijving inschrijven uitschrijven
    hoofdbewoner bsn burgerservicenummer digid baliecode activeringscode zorgverzekering
    basisverzekering aanvullende eigen_risico cak huisarts huisartsenpost hap spoedeisende seh
    apotheek verloskundige kraamzorg consultatiebureau jgz ggd leerplicht kwalificatieplicht
    startkwalificatie leerplichtambtenaar nieuwkomersklas isk ouderbijdrage kinderbijslag
    kindgebonden toeslagen toeslag zorgtoeslag huurtoeslag kinderopvangtoeslag belastingdienst
    aangifte inkomstenbelasting m-biljet m-formulier jaaropgaaf loonstrook wml minimumloon
    minimumuurloon vakantiegeld vakantiedagen vakantie-uren arbeidstijdenwet ziekmelding wachtdag
    uitzendbureau uitzendkracht inlener opdrachtgever cao uitzendbeding inlenersbeloning sna snf
    wtta uwv ww werkloosheidswet svb arbeidsinspectie juridisch_loket huurcommissie huurcontract
    servicekosten waarborgsom huurbescherming veilig_thuis boa meld_misdaad taalhuis taalmaatje
    ido inburgering verlof
    """.split()  # noqa: SIM905 (a word list reads better than a list of strings)
)
PREFIX_MIN = 6

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


def fold(text: str) -> str:
    """Lower case without diacritics (ł → l, ș/ş → s); Cyrillic stays Cyrillic."""
    text = text.lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(_URL.sub(" ", text))


def dutch_terms_in(text: str) -> list[str]:
    """The glossary terms a message contains (multi-word terms as term_with_underscores)."""
    folded = [w.lower() for w in words(fold(text))]
    found = []
    for i, word in enumerate(folded):
        pair = f"{word}_{folded[i + 1]}" if i + 1 < len(folded) else ""
        if pair in DUTCH_TERMS:
            found.append(pair)
        elif word in DUTCH_TERMS:
            found.append(word)
        else:
            found += [
                t
                for t in DUTCH_TERMS
                if len(t) >= PREFIX_MIN and "_" not in t and word.startswith(t)
            ][:1]
    return found


def _latin_share(text: str) -> float:
    """Share of Latin among Latin and Cyrillic letters, Dutch terms left out."""
    kept = [w for w in words(text) if not dutch_terms_in(w)]
    latin = cyrillic = 0
    for ch in "".join(kept):
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN"):
            latin += 1
        elif name.startswith("CYRILLIC"):
            cyrillic += 1
    return latin / (latin + cyrillic) if latin + cyrillic else 0.0


def style_tags(text: str, language: str) -> list[str]:
    """The STYLES that apply to `text` written in `language`, in STYLES order."""
    n_words = len(text.split())
    tags = set()
    letters = DIACRITICS.get(language)
    if letters and n_words >= NO_DIACRITICS_MIN_WORDS and not letters & set(text):
        tags.add("no_diacritics")
    if language == "bg" and _latin_share(text) > 0.5:
        tags.add("latin_bg")
    if language != "nl" and dutch_terms_in(text):
        tags.add("dutch_terms")
    if n_words <= SHORT_WORDS:
        tags.add("short")
    if n_words >= LONG_WORDS:
        tags.add("long")
    return [s for s in STYLES if s in tags]
