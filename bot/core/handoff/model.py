"""What the queue hands out: plain, immutable views of key persons and tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.core.handoff.cover import Promise


class Status(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


ACTIVE = (Status.OPEN, Status.CLAIMED)


class Reason(StrEnum):
    ASKED = "asked"  # the user asked for a person
    NOT_UNDERSTOOD = "not_understood"  # the bot failed twice in a row
    NOT_HELPED = "not_helped"  # "this did not help" after an answer


@dataclass(frozen=True)
class KeyPerson:
    id: int
    user_key: str
    name: str
    languages: tuple[str, ...]
    ui_language: str
    available: bool
    active_ticket_id: int | None


@dataclass(frozen=True)
class TicketMessage:
    author: str  # "user" | "keyperson"
    text: str
    at: dt.datetime
    correction: bool = False  # an edited message, passed on again


@dataclass(frozen=True)
class Ticket:
    id: int
    code: str
    user_key: str
    language: str
    status: Status
    reason: Reason
    topic: str | None
    answered: tuple[str, ...]
    stay: str | None
    municipality: str | None
    claimed_by: int | None
    created_at: dt.datetime
    queued_at: dt.datetime
    promised_by: dt.datetime | None  # None: no time was promised (nobody speaks the language)
    widened: bool
    messages: tuple[TicketMessage, ...] = ()
    last_answer_at: dt.datetime | None = None  # the key person's latest message
    last_message_at: dt.datetime | None = None  # the latest message of either side

    @property
    def label(self) -> str:
        return f"#{self.code}"


@dataclass(frozen=True)
class Opening:
    """What the core knows when it opens a ticket."""

    user_key: str
    language: str
    reason: Reason
    questions: tuple[str, ...] = ()
    topic: str | None = None
    answered: tuple[str, ...] = ()
    stay: str | None = None
    municipality: str | None = None
    # What the user was told; None: the queue works it out (e.g. tickets opened by tools).
    promise: Promise | None = None


class ClaimOutcome(StrEnum):
    WON = "won"
    TAKEN = "taken"  # somebody else was quicker, or it is closed
    NOT_FOUND = "not_found"
    NOT_YOUR_LANGUAGE = "not_your_language"
