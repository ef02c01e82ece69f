"""Storage behaviour shared by the SQLite (unit) and PostgreSQL (integration) tests."""

from __future__ import annotations

from bot.core.state import ConversationState
from bot.storage.conversations import SqlConversationStates


async def check_state_round_trip(states: SqlConversationStates) -> None:
    assert await states.load("tg:1") == ConversationState("tg:1")
    state = ConversationState("tg:1", "bg", True, "get_bsn", "bsn?", 1)
    await states.save(state)
    assert await states.load("tg:1") == state
    state.language, state.pending_question = "ro", None
    await states.save(state)
    assert await states.load("tg:1") == state
    await states.forget("tg:1")
    assert await states.load("tg:1") == ConversationState("tg:1")
