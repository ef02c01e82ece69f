"""What the bot remembers about a conversation between two messages (kept in storage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.language.identify import Detection


@dataclass
class ConversationState:
    user_key: str
    language: str | None = None
    language_explicit: bool = False  # chosen with /language or a button: wins over detection
    last_intent: str | None = None
    pending_question: str | None = None  # asked before a language was known
    misunderstood: int = 0  # not understood in a row
    # The user's last few messages and the answers given, handed to a key person when a
    # ticket opens; cleared then, and purged with the conversation after the retention period.
    recent: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    erased: bool = False  # /forget confirmed: nothing may be saved for this user any more
    # Read with the state, not stored: whether the user may have an open ticket. True when
    # unknown, so the core then asks the queue itself.
    ticket_open: bool = field(default=True, compare=False)
    stay: str | None = None  # short | mid | long (bot.content.variants.STAY_VALUES)
    municipality: str | None = None  # an id of municipalities.yml, or "other"
    pending_intent: str | None = None  # the answer waiting for the stay or municipality


class ConversationStates(Protocol):
    async def load(self, user_key: str) -> ConversationState: ...

    async def save(self, state: ConversationState) -> None: ...

    async def forget(self, user_key: str) -> None: ...

    async def settled(self, user_key: str) -> None:
        """Wait until this user's saved states are stored (a store may write behind)."""
        ...

    async def flush(self) -> None:
        """Wait until every saved state is stored."""
        ...


# One or two words ("tandarts?", "bsn") are too little to switch a conversation's language.
SHORT_MESSAGE_WORDS = 2


def reply_language(detection: Detection, state: ConversationState, words: int) -> str | None:
    """The language to answer in: a chosen one wins; a detected one only from 3 words on,
    unless nothing is known yet."""
    if state.language_explicit and state.language:
        return state.language
    if detection.language is not None and (state.language is None or words > SHORT_MESSAGE_WORDS):
        return detection.language
    return state.language


def answered(state: ConversationState, intent: str) -> None:
    """Remember an answer given (the last five, for a ticket's context)."""
    state.last_intent = intent
    state.answered = [*(a for a in state.answered if a != intent), intent][-5:]


def profile(state: ConversationState) -> dict[str, str | None]:
    """Municipality and stay length for the report, once the state knows them (issue 3)."""
    return {"municipality": state.municipality, "stay": state.stay}
