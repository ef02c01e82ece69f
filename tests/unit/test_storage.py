from bot.storage.conversations import SqlConversationStates
from bot.storage.subscriptions import SqlSubscriptions
from tests.storage_cases import (
    check_state_round_trip,
    check_states_written_behind,
    check_subscriptions,
)


async def test_conversation_state_round_trip_on_sqlite(
    sqlite_states: SqlConversationStates,
) -> None:
    await check_state_round_trip(sqlite_states)


async def test_conversation_states_are_written_behind_in_order_on_sqlite(
    sqlite_states: SqlConversationStates,
) -> None:
    await check_states_written_behind(sqlite_states)


async def test_migrations_are_idempotent(sqlite_states: SqlConversationStates) -> None:
    await sqlite_states.db.migrate()
    await check_state_round_trip(sqlite_states)


async def test_subscriptions_on_sqlite(sqlite_states: SqlConversationStates) -> None:
    await check_subscriptions(SqlSubscriptions(sqlite_states.db))
