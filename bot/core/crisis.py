"""The crisis fast path: danger, suicide or violence at home is answered at once.

Runs before the engine, so neither its confidence nor an outage can turn such a message into
"I did not understand". Phrases come from content/crisis.yml. Matching works on folded words
(no case, no diacritics, Bulgarian Cyrillic and Latin alike) and forgives a typo in longer
words; phrases of several words must appear in order, with at most two other words between
them, so "zabić się" matches "chcę się zabić"-like orders only when the file lists them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from bot.content.crisis_phrases import CrisisGroup, Phrase
from bot.language.folding import words

GAP = 2  # other words allowed between the words of a phrase
NEGATION_REACH = 3  # words before a phrase in which a group's `unless_after` words cancel it


@dataclass(frozen=True)
class CrisisMatch:
    answer: str  # the intent to answer with
    language: str  # the language of the phrase that matched
    group: str
    # The message also has one of crisis.yml's `past` expressions ("lat temu", "vorig jaar"):
    # it may be a story about last year; the classifier decides (risk.tier_of).
    past: bool = False


def _typos(length: int) -> int:
    """Typos forgiven in a word of this length; short words must match exactly."""
    if length <= 5:
        return 0
    # Two only from 11 letters: at 9-10, two edits reach everyday words ("aanmaning" is two
    # from "aanranding", "verkocht" two from "verkracht").
    return 1 if length <= 10 else 2


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        stem = pattern[:-1]
        if len(word) < len(stem) - 1:
            return False
        # Stems are short by nature: only long ones forgive a typo ("karetk*" != "kartke").
        allowed = _typos(len(stem)) if len(stem) >= 7 else 0
        # The stem against the word's start, with room for one inserted or dropped letter.
        return any(
            DamerauLevenshtein.distance(stem, word[:n], score_cutoff=allowed) <= allowed
            for n in {len(stem) - 1, len(stem), len(stem) + 1}
            if 0 < n <= len(word)
        )
    allowed = _typos(len(pattern))
    if abs(len(pattern) - len(word)) > allowed:
        return False
    return DamerauLevenshtein.distance(pattern, word, score_cutoff=allowed) <= allowed


class CrisisMatcher:
    """The phrases of crisis.yml, with what each word people typed matches remembered:
    people reuse the same words, so a message costs a few lookups, not a fuzzy comparison
    with every phrase (about a millisecond a message before)."""

    REMEMBERED_WORDS = 50_000

    def __init__(self, groups: Sequence[CrisisGroup]) -> None:
        self.groups = groups
        self._patterns = sorted(
            {w for g in groups for p in (*g.phrases, *g.exceptions, *g.past) for w in p.words}
        )
        self._known: dict[str, frozenset[str]] = {}

    def find(self, text: str, language: str | None = None) -> list[CrisisMatch]:
        folded = words(text)
        if not folded:
            return []
        matches = [self._matching(w) for w in folded]
        found: list[CrisisMatch] = []
        past = self.groups[0].past if self.groups else ()
        told_as_past = any(next(_spans(p, folded, matches), None) for p in past)
        for group in self.groups:
            if any(m.answer == group.answer for m in found):
                continue
            hits = [p for p in group.phrases if _phrase_in(p, folded, matches, group)]
            if hits:
                languages = [p.language for p in hits]
                chosen = language if language in languages else languages[0]
                found.append(CrisisMatch(group.answer, chosen, group.name, told_as_past))
        return found

    def _matching(self, word: str) -> frozenset[str]:
        """The patterns (phrase words) this word matches."""
        if (known := self._known.get(word)) is not None:
            return known
        if len(self._known) >= self.REMEMBERED_WORDS:
            self._known.clear()
        known = frozenset(p for p in self._patterns if _word_matches(p, word))
        self._known[word] = known
        return known


def _spans(
    phrase: Phrase,
    text: Sequence[str],
    matches: Sequence[frozenset[str]],
    cancel: frozenset[str] = frozenset(),
) -> Iterator[tuple[int, int]]:
    """(first, last) word of each place the phrase's words appear in order;
    matches[i]: the patterns text[i] matches."""
    first, *rest = phrase.words
    for start, matched in enumerate(matches):
        if first not in matched:
            continue
        if cancel & set(text[max(0, start - NEGATION_REACH) : start]):
            continue  # "geen noodgeval", "не е за линейка"
        position, ok = start, True
        for pattern in rest:
            window = range(position + 1, min(len(text), position + 2 + GAP))
            hit = next((i for i in window if pattern in matches[i]), None)
            if hit is None:
                ok = False
                break
            position = hit
        if ok:
            yield start, position


def _phrase_in(
    phrase: Phrase,
    text: Sequence[str],
    matches: Sequence[frozenset[str]],
    group: CrisisGroup,
) -> bool:
    """Whether the phrase appears other than inside one of the group's everyday expressions."""
    spans = list(_spans(phrase, text, matches, group.unless_after))
    if not spans or not group.exceptions:
        return bool(spans)
    ordinary = [s for e in group.exceptions for s in _spans(e, text, matches)]
    return any(all(end < a or b < start for a, b in ordinary) for start, end in spans)


def find_crisis(
    text: str, groups: Sequence[CrisisGroup], language: str | None = None
) -> list[CrisisMatch]:
    """The crisis groups a message matches, in the file's order (one per answer).

    Phrases of every language are tried, since people in distress mix languages; when the same
    phrase exists in several, the conversation's language is reported."""
    return _matcher(groups).find(text, language)


_matchers: list[CrisisMatcher] = []


def _matcher(groups: Sequence[CrisisGroup]) -> CrisisMatcher:
    # One matcher per loaded crisis.yml (the content store replaces the groups on reload).
    for matcher in _matchers:
        if matcher.groups is groups:
            return matcher
    _matchers[:] = [*_matchers[-1:], CrisisMatcher(groups)]
    return _matchers[-1]
