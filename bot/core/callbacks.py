"""Button callback data: short, public, validated on the way back in.

Buttons carry only public choices (a topic, an answer, a language), never user data, so a
forged button can at most ask for something anybody may see; anything unknown is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.contract import Contract
from bot.language.codes import SUPPORTED


class Action(StrEnum):
    """What a button asks for: the part of its data before the first ':' (or all of it)."""

    MENU = "menu"
    LANGUAGES = "languages"
    PERSON = "person"
    CANCEL = "cancel"  # withdraw my open question
    FORGET = "forget:yes"  # confirmed /forget
    KEEP = "forget:no"
    TOPIC = "topic"
    ANSWER = "answer"
    LANGUAGE = "lang"
    FEEDBACK = "fb"  # on an answer
    CLAIM = "claim"  # a key person's
    TICKET_FEEDBACK = "tfb"  # on a closed ticket


MENU = Action.MENU.value
LANGUAGES = Action.LANGUAGES.value
PERSON = Action.PERSON.value
# Nobody speaks the user's language: leave the question anyway, without a promised time.
LEAVE = f"{Action.PERSON.value}:leave"
CANCEL = Action.CANCEL.value
FORGET = Action.FORGET.value
KEEP = Action.KEEP.value
_SIMPLE = {
    a.value: a
    for a in (
        Action.MENU,
        Action.LANGUAGES,
        Action.PERSON,
        Action.CANCEL,
        Action.FORGET,
        Action.KEEP,
    )
}
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
    action: Action
    value: str = ""
    helped: bool = False  # fb and tfb


def parse(data: str, contract: Contract) -> Callback | None:
    """The callback, or None when the data is not something this bot ever sent."""
    if len(data) > 64:
        return None
    if data in _SIMPLE:
        return Callback(_SIMPLE[data])
    if data == LEAVE:
        return Callback(Action.PERSON, "leave")
    head, _, value = data.partition(":")
    try:
        action = Action(head)
    except ValueError:
        return None
    if action is Action.TOPIC and value in contract.menu_topics:
        return Callback(action, value)
    if action is Action.ANSWER and contract.is_answer(value):
        return Callback(action, value)
    if action is Action.LANGUAGE and value in SUPPORTED:
        return Callback(action, value)
    # Ticket codes are checked against the database by the queue (owner, claimant, status).
    if action is Action.CLAIM and _CODE.fullmatch(value):
        return Callback(action, value)
    if action in (Action.FEEDBACK, Action.TICKET_FEEDBACK):
        verdict, _, subject = value.partition(":")
        valid = (
            contract.is_answer(subject) if action is Action.FEEDBACK else _CODE.fullmatch(subject)
        )
        if verdict in ("y", "n") and valid:
            return Callback(action, subject, helped=verdict == "y")
    return None
