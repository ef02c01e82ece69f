"""Load the data files beside the answers: municipalities.yml, events.yml, crisis.yml."""

from __future__ import annotations

from pathlib import Path

from bot.content import crisis_phrases, events, municipalities
from bot.content.compose import ContentData
from bot.content.loader import Problem
from bot.contract import Contract

# The answers a crisis group may send at once.
CRISIS_ANSWERS = ("emergency", "mental_health", "domestic_violence")


def load_data(
    root: Path, contract: Contract, previous: ContentData | None = None
) -> tuple[ContentData, list[Problem]]:
    """Each file that has a problem keeps its previous version (empty at the first load)."""
    old = previous or ContentData()
    places, problems = municipalities.load_municipalities(root / municipalities.FILE)
    evenings, found = events.load_events(root / events.FILE, contract, places or old.municipalities)
    problems += found
    groups, found = crisis_phrases.load_crisis(root / crisis_phrases.FILE, CRISIS_ANSWERS)
    problems += found
    data = ContentData(
        places if places is not None else old.municipalities,
        evenings if evenings is not None else old.events,
        groups if groups is not None else old.crisis,
    )
    return data, problems
