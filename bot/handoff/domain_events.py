"""What happened in the handoff, collected by the unit of work and published after commit
(the anonymous report and the review loop listen; they never join the queue's transactions)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TicketOpened:
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
    language: str
    topic: str | None
    text: str


DomainEvent = TicketOpened | FirstAnswer | TicketClosed | TicketFeedback | AnswerSuggested
