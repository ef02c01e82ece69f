"""Storage behaviour shared by the SQLite (unit) and PostgreSQL (integration) tests."""

from __future__ import annotations

import datetime as dt

from bot.core.evenings import Subscription
from bot.core.state import ConversationState
from bot.storage.conversations import SqlConversationStates
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.storage.subscriptions import SqlSubscriptions


async def check_state_round_trip(states: SqlConversationStates) -> None:
    assert await states.load("tg:1") == ConversationState("tg:1")
    state = ConversationState("tg:1", "bg", True, "get_bsn", "bsn?", 1)
    await states.save(state)
    assert await states.load("tg:1") == state
    state.language, state.pending_question = "ro", None
    state.stay, state.municipality, state.pending_intent = "short", "breda", "register_rni"
    await states.save(state)
    assert await states.load("tg:1") == state
    await states.forget("tg:1")
    assert await states.load("tg:1") == ConversationState("tg:1")


async def check_subscriptions(subscriptions: SqlSubscriptions) -> None:
    assert await subscriptions.all() == []
    await subscriptions.subscribe("tg:1", "pl", "breda")
    await subscriptions.subscribe("tg:2", "ro", None)
    await subscriptions.subscribe("tg:1", "pl", None)  # again: replaces, never doubles
    assert await subscriptions.all() == [
        Subscription("tg:1", "pl", None),
        Subscription("tg:2", "ro", None),
    ]
    assert await subscriptions.unsubscribe("tg:2")
    assert not await subscriptions.unsubscribe("tg:2")
    await subscriptions.mark_announced("evening-1", 3)
    assert await subscriptions.announced() == {"evening-1"}


async def check_processed_updates(updates: SqlProcessedUpdates) -> None:
    assert await updates.claim(666, 1)
    assert not await updates.claim(666, 1)
    assert await updates.claim(777, 1)  # another bot counts its own update ids
    assert await updates.claim(666, 2**40)  # update ids beyond 32 bits
    assert await updates.prune() == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    assert await updates.prune(now=later) == 3
    assert await updates.claim(666, 1)


async def check_states_written_behind(states: SqlConversationStates) -> None:
    """`save` returns before the row is written: the same user's next load and forget wait for
    it, writes of one user land in order, and after `flush` another process sees them all."""
    for count in range(1, 21):
        await states.save(ConversationState("tg:7", "pl", misunderstood=count))
    assert (await states.load("tg:7")).misunderstood == 20
    await states.save(ConversationState("tg:8", "nl", last_intent="get_bsn"))
    await states.forget("tg:8")
    for user in range(100, 130):
        await states.save(ConversationState(f"tg:{user}", "ro", answered=["get_bsn"]))
    await states.flush()
    elsewhere = SqlConversationStates(states.db)
    assert await elsewhere.load("tg:8") == ConversationState("tg:8")
    assert (await elsewhere.load("tg:7")).misunderstood == 20
    for user in range(100, 130):
        assert (await elsewhere.load(f"tg:{user}")).answered == ["get_bsn"]
