"""What the bot remembers about a conversation between two messages (kept in storage)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass
class ConversationState:
    user_key: str
    language: str | None = None
    language_explicit: bool = False  # chosen with /language or a button: wins over detection
    last_intent: str | None = None
    pending_question: str | None = None  # asked before a language was known
    misunderstood: int = 0  # not understood in a row
    stay: str | None = None  # short | mid | long (bot.content.variants.STAY_VALUES)
    municipality: str | None = None  # an id of municipalities.yml, or "other"
    pending_intent: str | None = None  # the answer waiting for the stay or municipality


class ConversationStates(Protocol):
    async def load(self, user_key: str) -> ConversationState: ...

    async def save(self, state: ConversationState) -> None: ...
