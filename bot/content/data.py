"""Load the data files beside the answers: municipalities.yml, events.yml, crisis.yml, facts.yml."""

from __future__ import annotations

from pathlib import Path

from bot.content import crisis_phrases, evenings, facts, municipalities
from bot.content.compose import ContentData
from bot.content.loader import CRISIS_GROUPS, Problem, crisis_answer
from bot.contract import Contract

# The answers a crisis group may send at once: its own, content/<lang>/crisis/<group>.md
# (written crisis/<group>), or one of the general safety answers (as before the groups had
# their own; a tree may still point a group at them).
CRISIS_ANSWERS = (
    *(crisis_answer(g) for g in CRISIS_GROUPS),
    "emergency",
    "mental_health",
    "domestic_violence",
)


def load_data(
    root: Path, contract: Contract, previous: ContentData | None = None
) -> tuple[ContentData, list[Problem]]:
    """A file with a problem keeps its `previous` version; without one (the checker, the
    bot's first load) its valid entries are used."""
    places, found_places = municipalities.load_municipalities(root / municipalities.FILE)
    if found_places and previous is not None:
        places = previous.municipalities
    listed, found_events = evenings.load_events(root / evenings.FILE, contract, places)
    if found_events and previous is not None:
        listed = previous.events
    groups, found_crisis = crisis_phrases.load_crisis(root / crisis_phrases.FILE, CRISIS_ANSWERS)
    if found_crisis and previous is not None:
        groups = previous.crisis
    known, found_facts = facts.load_facts(root / facts.FILE)
    if found_facts and previous is not None:
        known = previous.facts
    problems = found_places + found_events + found_crisis + found_facts
    return ContentData(places, listed, groups, known), problems
