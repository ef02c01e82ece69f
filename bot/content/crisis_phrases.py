"""content/crisis.yml: words and phrases meaning immediate danger, per language and answer.

    suicide:
      answer: crisis/suicide
      pl: ["chcę się zabić", "samobój*"]
      ...

Phrases are folded like messages (case, diacritics, Cyrillic to Latin), so one spelling is
enough; a trailing '*' matches any ending ("samobój*" matches "samobójstwo", "samobojcze").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.content.loader import CRISIS_PREFIX, Problem
from bot.content.yamlnodes import Reader
from bot.language.codes import SUPPORTED
from bot.language.folding import fold

FILE = "crisis.yml"
MIN_LETTERS = 4  # shorter phrases match too much ordinary text
PAST = "past"  # the key of the expressions that tell an event as the past, not a group


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # folded; a word ending in '*' is a prefix
    language: str
    text: str


@dataclass(frozen=True)
class CrisisGroup:
    name: str
    answer: str
    phrases: tuple[Phrase, ...]
    # Words that cancel a phrase shortly after them ("geen noodgeval"); folded.
    unless_after: frozenset[str] = frozenset()
    # Everyday expressions that contain a phrase ("mă bate gândul": I am thinking of): a
    # phrase is not counted where one of these matches over the same words.
    exceptions: tuple[Phrase, ...] = ()
    # The file's `past:` expressions ("lat temu", "vorig jaar"), the same for every group: a
    # phrase in a message that has one counts as danger only when the classifier agrees.
    past: tuple[Phrase, ...] = ()


def load_crisis(
    path: Path, answers: tuple[str, ...]
) -> tuple[tuple[CrisisGroup, ...], list[Problem]]:
    """The valid groups and the problems (see load_municipalities)."""
    r = Reader(path)
    root = r.root()
    if root is None:
        return (), r.problems
    if not isinstance(root, yaml.MappingNode):
        r.problem(
            root, "the file must be groups: 'name:' lines with 'answer:' and phrases per language"
        )
        return (), r.problems
    groups: list[CrisisGroup] = []
    past: list[Phrase] = []
    for key, node in root.value:
        name = str(key.value)
        if name == PAST:
            past += _past(r, node)
            continue
        fields = r.keys(node, f"group {name!r}", ("answer", *SUPPORTED), ("unless_after", "except"))
        # Every group needs all four languages: a crisis must be recognised in each of them.
        written = r.text(fields.get("answer"), "answer") if "answer" in fields else None
        # "crisis/fire" names the answer content/<lang>/crisis/fire.md, loaded as crisis_fire.
        answer = written.replace("/", "_", 1) if written else None
        if written and answer not in answers:
            r.problem(fields["answer"], f"answer {written!r} must be {_choices(answers)}")
        phrases: list[Phrase] = []
        for language in SUPPORTED:
            if language in fields:
                found = _phrases(r, fields[language], language)
                if not found:
                    r.problem(fields[language], f"group {name!r} has no phrases in {language}")
                phrases += found
        exceptions: list[Phrase] = []
        if "except" in fields:
            by_language = r.mapping(fields["except"], f"'except' of group {name!r}")
            for language, items in by_language.items():
                if language not in SUPPORTED:
                    r.problem(items, f"unknown language {language!r} in 'except'")
                    continue
                exceptions += _phrases(r, items, language)
        cancel_items = (
            r.sequence(fields["unless_after"], "unless_after") if "unless_after" in fields else []
        )
        cancel = frozenset(
            w
            for item in cancel_items
            if (text := r.text(item, "a word"))
            for w in fold_phrase(text)
        )
        if answer in answers:
            groups.append(CrisisGroup(name, answer, tuple(phrases), cancel, tuple(exceptions)))
    return tuple(replace(g, past=tuple(past)) for g in groups), r.problems


def _past(r: Reader, node: yaml.Node) -> list[Phrase]:
    """`past:` per language: expressions that place an event in the past."""
    expressions: list[Phrase] = []
    for language, items in r.mapping(node, f"{PAST!r}").items():
        if language not in SUPPORTED:
            r.problem(items, f"unknown language {language!r} in {PAST!r}")
            continue
        expressions += _phrases(r, items, language)
    return expressions


def _phrases(r: Reader, node: yaml.Node, language: str) -> list[Phrase]:
    phrases = []
    for item in r.sequence(node, language):
        text = r.text(item, "a phrase")
        if text is None:
            continue
        folded = fold_phrase(text)
        letters = sum(len(w.rstrip("*")) for w in folded)
        if letters < MIN_LETTERS:
            r.problem(
                item,
                f"phrase {text!r} is too short to match safely; write at least {MIN_LETTERS} letters",
            )
            continue
        phrases.append(Phrase(folded, language, text))
    return phrases


def _choices(answers: tuple[str, ...]) -> str:
    """'crisis/<group> (suicide, fire) or one of emergency, mental_health'."""
    own = [a.removeprefix(CRISIS_PREFIX) for a in answers if a.startswith(CRISIS_PREFIX)]
    general = [a for a in answers if not a.startswith(CRISIS_PREFIX)]
    parts = [f"crisis/<group> ({', '.join(own)})"] if own else []
    if general:
        parts.append(f"one of {', '.join(general)}")
    return " or ".join(parts)


def fold_phrase(text: str) -> tuple[str, ...]:
    """'Chcę się zabić' -> ('chce', 'sie', 'zabic'); 'samobój*' -> ('samoboj*',)."""
    return tuple(re.findall(r"[a-z0-9]+\*?", fold(text)))
