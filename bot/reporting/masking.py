"""Masking personal details in questions kept for staff review (pl, bg, ro, nl).

Phone numbers are found by `phonenumbers` (Google's libphonenumber) for the four countries;
the rest by patterns, most specific first, each replaced by a label in brackets. Masking errs
on the side of hiding: a capitalised pair of words is taken for a name, and so is a common
first name (names.py) wherever it is capitalised, or after "I am" in any case. Names typed
after "my name is" are masked in any case, up to the first short word ("i", "и", "și", "en").
What it cannot know (a surname alone, a name it does not list, a company named like a person,
a street without a number) stays: tests/masking_corpus measures how much; the export is for
staff, who read it before sharing it further.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

from bot.language.folding import fold
from bot.reporting.names import AMBIGUOUS, FIRST_NAMES, STOPWORDS

REGIONS = ("NL", "PL", "BG", "RO")
_SERVICE_NUMBERS = {
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
}

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
# Profiles: Telegram, WhatsApp and social-media links with a path (a person's page).
_PROFILE_LINK = re.compile(
    r"(?:https?://)?(?:www\.|m\.|mobile\.)?(?:t\.me|telegram\.me|wa\.me|facebook\.com|fb\.com|"
    r"fb\.me|instagram\.com|instagr\.am|tiktok\.com|vk\.com|ok\.ru|linkedin\.com|twitter\.com|"
    r"x\.com|youtube\.com|threads\.net|snapchat\.com)/[^\s]*[^\s.,;:!?)\]]",
    re.I,
)
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,30}[A-Za-z0-9_])?")
# Identity documents: 1-3 letters and 6-9 digits (EK1234567, ABC 123456, XB123456), or
# nine letters and digits mixed (Dutch passports and identity cards).
_ID_WORDS = "BSN|EGN|ЕГН|CNP|NIP|PESEL|TEL|NR|IBAN|KVK|BTW"
_DOCUMENT = re.compile(
    rf"\b(?:[A-Za-z]{{1,3}}\d{{6,9}}|(?!(?:{_ID_WORDS})\b)[A-Z]{{1,3}}[ -]\d{{6,9}}|"
    r"(?=[A-Z0-9]{9}\b)(?=(?:[A-Z]*\d){2})(?=(?:\d*[A-Z]){3})[A-Z0-9]{9})\b"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
# A day, a month's name and a year of four or two digits ("12 maj 85": a date of birth).
_WORD_DATE = re.compile(rf"\b\d{{1,2}}\.?\s+(?:{_MONTHS})\.?\s+(?:\d{{4}}|\d{{2}})\b", re.I)
# Dutch postcode, with the house number when it follows; Polish postcode.
# (Lower-case letters only when written together: "in 2026 in Breda" is no postcode.)
_POSTCODE = re.compile(
    r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})\b(?:\s*,?\s*\d{1,5}(?:\s?[a-zA-Z]\b)?)?|\b\d{2}-\d{3}\b"
)
_STREET_WORDS = (
    # Polish, Romanian, Bulgarian street words before the name
    # (with or without the dot: "ul Długa 5", "str Florilor 12", "ул Витоша 15")
    r"ulica|ulicy|ul\.?|aleja|alei|al\.|osiedle|os\.|plac|pl\.|"
    r"strada|strad[aă]|str\.?|bdul\.?|bd\.|bulevardul|calea|aleea|[sș]oseaua|[sș]os\.|"
    r"улица|ул\.?|булевард|бул\.?|ж\.к\.|жк|кв\.|bulevard|bul\.?|ulitsa|zh\.k\."
)
# After the house number: block, staircase, entrance, floor, flat ("bl. 3, sc. A, ap. 12").
_UNIT = r"(?:,?\s*(?:bl|sc|et|ap|apt|m|бл|вх|ет|ап)\.?\s*(?:\d{1,4}|[A-ZА-Я])\b)"
_STREET_BEFORE = re.compile(
    rf"(?:\b|(?<=\s))(?:{_STREET_WORDS})(?!\w)\s*(?:{_L}[\w.'-]*\s+){{0,3}}?(?:nr\.?\s*|№\s*)?\d{{1,5}}(?:\s?[a-zA-Zа-я]\b)?(?:\s*/\s*\d{{1,5}})?{_UNIT}*",
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
    rf"my\s+name\s+is)\s*:?\s+(?:(?:{_PARTICLES})\s+)*)(?P<name>{_UPPER}[\w'-]*(?:(?:\s+(?:{_PARTICLES}))*\s+{_UPPER}[\w'-]*){{0,2}})"
)
_ID_WORD = re.compile(r"(?i)\b(?:bsn|sofi|pesel|nip|egn|егн|cnp|id|nr|numer|număr|номер)\W*$")
# After these the next words are a name in whatever case they are typed ("ik heet piet").
_STRONG_CUES = re.compile(
    r"(?i)\b(?:ik\s+heet|mijn\s+naam\s+is|nazywam\s+si[eę]|mam\s+na\s+imi[eę]|казвам\s+се|"
    r"kazvam\s+se|се\s+казва|se\s+kazva|името\s+ми\s+е|imeto\s+mi\s+e|моето\s+име\s+е|"
    r"moeto\s+ime\s+e|m[aă]\s+numesc|m[aă]\s+cheam[aă]|numele\s+meu\s+(?:este|e)|"
    r"my\s+name\s+is)\s*:?\s+"
)
# "I am ...": a name only when a known first name follows ("jestem zmęczony" is no name).
_WEAK_CUES = re.compile(r"(?i)\b(?:jestem|tu|аз\s+съм|az\s+sam|sunt|ik\s+ben|i\s+am)\s+")
_RUN_WORD = re.compile(r"[^\W\d_][\w'-]*")
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
    "ден хааг",
    # organisations the answers send people to
    "dienst toeslagen",
    "veilig thuis",
    "juridisch loket",
    "informatie punt",
    "meld misdaad",
    "seksueel geweld",
    "sociale verzekeringsbank",
    "funda",
    "pararius",
}


def mask(text: str) -> str:
    """The text with personal details replaced by [EMAIL], [PHONE], [NAME] and the like."""
    steps: list[tuple[str, Callable[[str], str]]] = [
        ("LINK", lambda s: _PROFILE_LINK.sub("[LINK]", s)),
        ("EMAIL", lambda s: _EMAIL.sub("[EMAIL]", s)),
        ("HANDLE", lambda s: _HANDLE.sub("[HANDLE]", s)),
        ("IBAN", lambda s: _IBAN.sub(_iban_or_keep, s)),
        ("ID", lambda s: _DOCUMENT.sub("[ID]", s)),
        ("DATE", lambda s: _WORD_DATE.sub("[DATE]", _NUMERIC_DATE.sub("[DATE]", s))),
        ("POSTCODE", lambda s: _POSTCODE.sub("[POSTCODE]", s)),
        ("ADDRESS", lambda s: _STREET_AFTER.sub("[ADDRESS]", _STREET_BEFORE.sub("[ADDRESS]", s))),
        ("PHONE", _mask_phones),
        ("NUMBER", lambda s: _LONG_NUMBER.sub(_number_or_keep, s)),
        ("NAME", _mask_names),
    ]
    for _label, step in steps:
        text = step(text)
    return text


def _iban_or_keep(match: re.Match[str]) -> str:
    # An IBAN has digits after the country code and check digits; "NL12 words" is not one.
    raw = match.group(0).replace(" ", "")
    return "[IBAN]" if sum(c.isdigit() for c in raw) >= 8 else match.group(0)


def _is_service_number(text: str) -> bool:
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.number_type(number) in _SERVICE_NUMBERS
    )


def _number_or_keep(match: re.Match[str]) -> str:
    return match.group(0) if _is_service_number(match.group(0)) else "[NUMBER]"


def _mask_phones(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for region in REGIONS:
        for found in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            # A BSN or PESEL can look like a phone number; the word before it says which.
            if _ID_WORD.search(text[max(0, found.start - 16) : found.start]):
                continue
            # Free and paid service numbers (0800, 0900) belong to organisations, not people.
            if phonenumbers.number_type(found.number) in _SERVICE_NUMBERS:
                continue
            spans.append((found.start, found.end))
    return _replace_spans(text, spans, "[PHONE]")


def _mask_names(text: str) -> str:
    """Names after a cue ("nazywam się", "ik heet"), known first names, and runs of two or
    more capitalised words."""
    text = _NAME_CUES.sub(lambda m: m.group("cue") + "[NAME]", text)
    text = _after_cues(text, _STRONG_CUES, known_first=False)
    text = _after_cues(text, _WEAK_CUES, known_first=True)
    text = _known_first_names(text)
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


def _after_cues(text: str, cues: re.Pattern[str], *, known_first: bool) -> str:
    """The name after each cue: a first word and a surname, with particles between, in any
    case, ending at punctuation, a digit or a short word. After a weak cue the first word
    must be a known first name."""
    spans = []
    for cue in cues.finditer(text):
        words = _name_run(text, cue.end())
        if not words or (known_first and fold(words[0].group(0)) not in FIRST_NAMES):
            continue
        spans.append((words[0].start(), words[-1].end()))
    return _replace_spans(text, spans, "[NAME]")


def _name_run(text: str, start: int) -> list[re.Match[str]]:
    particles = set(_PARTICLES.split("|"))
    run: list[re.Match[str]] = []
    position = start
    while len([w for w in run if w.group(0).lower() not in particles]) < 2:
        word = _RUN_WORD.match(text, position)
        if word is None:
            break
        if word.group(0).lower() not in particles and fold(word.group(0)) in STOPWORDS:
            break
        run.append(word)
        gap = re.match(r"[ \t]+", text[word.end() :])
        if gap is None:
            break
        position = word.end() + gap.end()
    while run and run[-1].group(0).lower() in particles:
        run.pop()
    return run


def _known_first_names(text: str) -> str:
    """A common first name written as a name (Kuba, Калоян, EMMA), with the surname that
    follows it in the same style (JAN KOWALSKI); runs of capitalised words come after."""
    spans = []
    for word in _TITLE_OR_CAPS.finditer(text):
        name = word.group(0)
        folded = fold(name)
        if folded not in FIRST_NAMES or (folded in AMBIGUOUS and name.isascii()):
            continue
        run = _name_run(text, word.start())
        if name.isupper() and len(name) > 1:  # all caps: only with a surname in caps after it
            if len(run) < 2 or not run[-1].group(0).isupper():
                continue
            spans.append((word.start(), run[-1].end()))
        elif _is_title(name):
            end = word.end()
            if len(run) > 1 and _is_title(run[-1].group(0)):
                end = run[-1].end()  # the surname after it: Magda Wójcik, Kees van der Berg
            spans.append((word.start(), end))
    return _replace_spans(text, spans, "[NAME]")


_TITLE_OR_CAPS = re.compile(r"(?<![\w\[])[^\W\d_][^\W\d_'-]*(?![\w\]])")


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
