from bot.storage.conversations import SqlConversationStates
from tests.storage_cases import check_state_round_trip


async def test_conversation_state_round_trip_on_sqlite(
    sqlite_states: SqlConversationStates,
) -> None:
    await check_state_round_trip(sqlite_states)


async def test_migrations_are_idempotent(sqlite_states: SqlConversationStates) -> None:
    await sqlite_states.db.migrate()
    await check_state_round_trip(sqlite_states)
