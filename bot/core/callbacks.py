"""Button callback data: short, public, validated on the way back in.

Buttons carry only public choices (a topic, an answer, a language), never user data, so a
forged button can at most ask for something anybody may see; anything unknown is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.contract import Contract
from bot.language.codes import SUPPORTED

MENU = "menu"
LANGUAGES = "languages"
PERSON = "person"
CANCEL = "cancel"  # withdraw my open question
FORGET = "forget:yes"  # confirmed /forget
KEEP = "forget:no"
_SIMPLE = (MENU, LANGUAGES, PERSON, CANCEL, FORGET, KEEP)
_CODE = re.compile(r"[A-Z0-9]{4,8}")


def topic(name: str) -> str:
    return f"topic:{name}"


def answer(intent: str) -> str:
    return f"answer:{intent}"


def language(code: str) -> str:
    return f"lang:{code}"


def answer_feedback(intent: str, helped: bool) -> str:
    return f"fb:{'y' if helped else 'n'}:{intent}"


def claim(code: str) -> str:
    return f"claim:{code}"


def ticket_feedback(code: str, helped: bool) -> str:
    return f"tfb:{'y' if helped else 'n'}:{code}"


@dataclass(frozen=True)
class Callback:
    action: str  # menu | languages | person | cancel | forget:* | topic | answer | lang | fb | claim | tfb
    value: str = ""
    helped: bool = False  # fb and tfb


def parse(data: str, contract: Contract) -> Callback | None:
    """The callback, or None when the data is not something this bot ever sent."""
    if len(data) > 64:
        return None
    if data in _SIMPLE:
        return Callback(data)
    action, _, value = data.partition(":")
    if action == "topic" and value in contract.menu_topics:
        return Callback(action, value)
    if action == "answer" and contract.is_answer(value):
        return Callback(action, value)
    if action == "lang" and value in SUPPORTED:
        return Callback(action, value)
    # Ticket codes are checked against the database by the queue (owner, claimant, status).
    if action == "claim" and _CODE.fullmatch(value):
        return Callback(action, value)
    if action in ("fb", "tfb"):
        verdict, _, subject = value.partition(":")
        valid = contract.is_answer(subject) if action == "fb" else _CODE.fullmatch(subject)
        if verdict in ("y", "n") and valid:
            return Callback(action, subject, helped=verdict == "y")
    return None
