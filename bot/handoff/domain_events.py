"""What happened in the handoff, collected by the unit of work and published after commit
(the anonymous report and the review loop listen; they never join the queue's transactions)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TicketOpened:
    user_key: str  # only to link the questions kept for review to their author (/forget)
    language: str
    topic: str | None
    municipality: str | None
    stay: str | None
    questions: tuple[str, ...]


@dataclass(frozen=True)
class FirstAnswer:
    language: str
    topic: str | None
    waited_minutes: float


@dataclass(frozen=True)
class TicketClosed:
    language: str
    topic: str | None


@dataclass(frozen=True)
class TicketFeedback:
    language: str
    topic: str
    helped: bool


@dataclass(frozen=True)
class AnswerSuggested:
    user_key: str  # the ticket's user: the answer is about them
    language: str
    topic: str | None
    text: str


DomainEvent = TicketOpened | FirstAnswer | TicketClosed | TicketFeedback | AnswerSuggested
