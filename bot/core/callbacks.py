"""Button callback data: short, public, validated on the way back in.

Buttons carry only public choices (a topic, an answer, a language), never user data, so a
forged button can at most ask for something anybody may see; anything unknown is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.contract import Contract
from bot.languages import SUPPORTED

MENU = "menu"
LANGUAGES = "languages"
PERSON = "person"


def topic(name: str) -> str:
    return f"topic:{name}"


def answer(intent: str) -> str:
    return f"answer:{intent}"


def language(code: str) -> str:
    return f"lang:{code}"


@dataclass(frozen=True)
class Callback:
    action: str  # menu | languages | person | topic | answer | lang
    value: str = ""


def parse(data: str, contract: Contract) -> Callback | None:
    """The callback, or None when the data is not something this bot ever sent."""
    if len(data) > 64:
        return None
    if data in (MENU, LANGUAGES, PERSON):
        return Callback(data)
    action, _, value = data.partition(":")
    if action == "topic" and value in contract.menu_topics:
        return Callback(action, value)
    if action == "answer" and contract.is_answer(value):
        return Callback(action, value)
    if action == "lang" and value in SUPPORTED:
        return Callback(action, value)
    return None
