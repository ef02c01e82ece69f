"""Masking personal details in questions kept for staff review (pl, bg, ro, nl).

Phone numbers are found by `phonenumbers` (Google's libphonenumber) for the four countries;
the rest by patterns, most specific first, each replaced by a label in brackets. Masking errs
on the side of hiding: a capitalised pair of words is taken for a name. What it cannot know
(a lone first name with no cue, a street without a number) stays; the export is for staff.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

REGIONS = ("NL", "PL", "BG", "RO")

_L = r"[^\W\d_]"  # a letter, any script
_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ŽȘȚА-Я]"  # a capital letter (Latin with diacritics, Cyrillic)
_PARTICLES = "van|de|der|den|ten|ter|von|da|di"  # inside names: Piet de Vries
_MONTHS = (
    # nl, pl (nominative and genitive), ro, bg
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "stycze[nń]|stycznia|luty|lutego|marzec|marca|kwiecie[nń]|kwietnia|maj|maja|czerwiec|czerwca|"
    "lipiec|lipca|sierpie[nń]|sierpnia|wrzesie[nń]|wrze[sś]nia|pa[zź]dziernik|pa[zź]dziernika|"
    "listopad|listopada|grudzie[nń]|grudnia|"
    "ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august|septembrie|octombrie|noiembrie|"
    "decembrie|"
    "януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември"
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
_WORD_DATE = re.compile(rf"\b\d{{1,2}}\.?\s+(?:{_MONTHS})\.?\s+\d{{4}}\b", re.I)
# Dutch postcode, with the house number when it follows; Polish postcode.
# (Lower-case letters only when written together: "in 2026 in Breda" is no postcode.)
_POSTCODE = re.compile(
    r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})\b(?:\s*,?\s*\d{1,5}(?:\s?[a-zA-Z]\b)?)?|\b\d{2}-\d{3}\b"
)
_STREET_WORDS = (
    # Polish, Romanian, Bulgarian street words before the name
    r"ul\.|ulica|ulicy|al\.|aleja|alei|os\.|osiedle|pl\.|plac|"
    r"str\.|strada|strad[aă]|bd\.|bdul\.?|bulevardul|calea|aleea|[sș]os\.|[sș]oseaua|"
    r"ул\.|улица|бул\.|булевард|ж\.к\.|жк|кв\.|bul\.|bulevard|ulitsa|zh\.k\."
)
_STREET_BEFORE = re.compile(
    rf"(?:\b|(?<=\s))(?:{_STREET_WORDS})\s*(?:{_L}[\w.'-]*\s+){{0,3}}?(?:nr\.?\s*|№\s*)?\d{{1,5}}(?:\s?[a-zA-Zа-я]\b)?(?:\s*/\s*\d{{1,5}}|\s*(?:m|ap|apt|ет|ап)\.?\s*\d{{1,4}})?",
    re.I,
)
# Dutch and Flemish street names end in a street word: Stationsstraat 12a, Lange Voorhout 3.
_STREET_AFTER = re.compile(
    rf"\b{_L}[\w'-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|park|markt|"
    rf"plantsoen|erf|veld|wal|haven|straße|strasse)\s+\d{{1,5}}(?:\s?-?[a-zA-Z]\b|\s?-\s?\d+)?",
    re.I,
)
# Any run of six or more digits: BSN (9), PESEL (11), EGN (10), CNP (13), accounts, cards.
_LONG_NUMBER = re.compile(r"(?<![\w\]])\d(?:[ .-]?\d){5,}(?![\w\[])")
# Words after which the next capitalised word(s) are a name.
_NAME_CUES = re.compile(
    rf"(?P<cue>\b(?i:nazywam\s+si[eę]|mam\s+na\s+imi[eę]|moje\s+imi[eę](?:\s+to)?|nazwisko|pan|pana|panu|panem|pani|pani[aą]|"
    rf"казвам\s+се|kazvam\s+se|името\s+ми\s+е|фамилия(?:та)?|господин|госпожа|г-н|г-жа|"
    rf"m[aă]\s+numesc|numele\s+meu\s+este|numele|domnul|doamna|dl\.|dna\.|"
    rf"ik\s+heet|mijn\s+naam\s+is|naam|meneer|mevrouw|dhr\.|mevr\.|"
    rf"my\s+name\s+is)\s*:?\s+)(?P<name>{_UPPER}[\w'-]*(?:(?:\s+(?:{_PARTICLES}))*\s+{_UPPER}[\w'-]*){{0,2}})"
)
_ID_WORD = re.compile(r"(?i)\b(?:bsn|sofi|pesel|nip|egn|егн|cnp|id|nr|numer|număr|номер)\W*$")
# After these the next word is a name even when typed in lower case ("ik heet piet").
_STRONG_CUES = re.compile(
    r"(?i)(\b(?:ik\s+heet|mijn\s+naam\s+is|nazywam\s+si[eę]|mam\s+na\s+imi[eę]|казвам\s+се|"
    r"kazvam\s+se|името\s+ми\s+е|m[aă]\s+numesc|numele\s+meu\s+este|my\s+name\s+is)\s+)(?!\[)[^\W\d_]+"
)
_TITLE_WORD = re.compile(r"[^\W\d_][^\W\d_'-]*(?:[-'][^\W\d_]+)*")
# Capitalised pairs that are not people: places and institutions people ask about.
_NOT_NAMES = {
    "den haag",
    "den bosch",
    "den helder",
    "bergen op",
    "op zoom",
    "noord brabant",
    "noord holland",
    "zuid holland",
    "west brabant",
    "sint maarten",
}


def mask(text: str) -> str:
    """The text with personal details replaced by [EMAIL], [PHONE], [NAME] and the like."""
    steps: list[tuple[str, Callable[[str], str]]] = [
        ("EMAIL", lambda s: _EMAIL.sub("[EMAIL]", s)),
        ("IBAN", lambda s: _IBAN.sub(_iban_or_keep, s)),
        ("DATE", lambda s: _WORD_DATE.sub("[DATE]", _NUMERIC_DATE.sub("[DATE]", s))),
        ("POSTCODE", lambda s: _POSTCODE.sub("[POSTCODE]", s)),
        ("ADDRESS", lambda s: _STREET_AFTER.sub("[ADDRESS]", _STREET_BEFORE.sub("[ADDRESS]", s))),
        ("PHONE", _mask_phones),
        ("NUMBER", lambda s: _LONG_NUMBER.sub("[NUMBER]", s)),
        ("NAME", _mask_names),
    ]
    for _label, step in steps:
        text = step(text)
    return text


def _iban_or_keep(match: re.Match[str]) -> str:
    # An IBAN has digits after the country code and check digits; "NL12 words" is not one.
    raw = match.group(0).replace(" ", "")
    return "[IBAN]" if sum(c.isdigit() for c in raw) >= 8 else match.group(0)


def _mask_phones(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for region in REGIONS:
        for found in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            # A BSN or PESEL can look like a phone number; the word before it says which.
            if not _ID_WORD.search(text[max(0, found.start - 16) : found.start]):
                spans.append((found.start, found.end))
    return _replace_spans(text, spans, "[PHONE]")


def _mask_names(text: str) -> str:
    """Names after a cue ("nazywam się", "ik heet"), and runs of two or more capitalised words."""
    text = _NAME_CUES.sub(lambda m: m.group("cue") + "[NAME]", text)
    text = _STRONG_CUES.sub(lambda m: m.group(1) + "[NAME]", text)
    particles = set(_PARTICLES.split("|"))
    words = list(_TITLE_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        last = i
        if _is_title(words[i].group(0)):
            k = i + 1
            while k < len(words) and not text[words[k - 1].end() : words[k].start()].strip():
                if _is_title(words[k].group(0)):
                    last = k
                elif words[k].group(0) not in particles:
                    break
                k += 1
        if last > i:
            phrase = text[words[i].start() : words[last].end()].lower().replace("-", " ")
            if not any(place in phrase for place in _NOT_NAMES):
                spans.append((words[i].start(), words[last].end()))
        i = last + 1
    return _replace_spans(text, spans, "[NAME]")


def _is_title(word: str) -> bool:
    """Capitalised like a name (Kowalski, Иванов, Ștefan), not an acronym (BSN, DigiD, RNI)."""
    letters = word.replace("-", "").replace("'", "")
    return len(letters) >= 2 and letters[0].isupper() and letters[1:].islower()


def _replace_spans(text: str, spans: list[tuple[int, int]], label: str) -> str:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + label + text[end:]
    return text
