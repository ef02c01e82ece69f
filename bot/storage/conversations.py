"""Repository for conversation state (the core sees only ConversationState).

Saving writes behind: `save` returns at once and the row is written in the background, in
order per user; `load` and `forget` of that user first wait for its pending write, and
`flush` waits for all of them (the bot calls it when it stops; `settled` waits for one user's,
which ends that user's turn across replicas: bot/storage/turns.py). A reply then does not wait
for the bookkeeping after it (Rasa also sends before it saves its tracker). A crash can lose
the last change to a conversation (its language, last topic or last message), never a
ticket or a message to a key person: the handoff queue writes those before it answers.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.core.state import ConversationState
from bot.storage.db import Database
from bot.storage.tables import ConversationRow, TicketRow

log = logging.getLogger(__name__)

_conversations = ConversationRow.__table__
_OPEN = ("open", "claimed")
# One statement: the row and whether a ticket may be open (most messages then need no
# second look at the queue).
_LOAD = select(
    _conversations,
    exists()
    .where(TicketRow.user_key == _conversations.c.user_key, TicketRow.status.in_(_OPEN))
    .label("ticket_open"),
)
_TICKET_OPEN = select(exists().where(TicketRow.status.in_(_OPEN)))


class SqlConversationStates:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._upsert = _upsert_for(db)
        self._writes: dict[str, asyncio.Task[None]] = {}

    async def load(self, user_key: str) -> ConversationState:
        await self.settled(user_key)
        async with self.db.engine.connect() as connection:
            row = (
                await connection.execute(_LOAD.where(_conversations.c.user_key == user_key))
            ).first()
            if row is None:
                ticket_open = await connection.scalar(
                    _TICKET_OPEN.where(TicketRow.user_key == user_key)
                )
                return ConversationState(user_key, ticket_open=bool(ticket_open))
        return ConversationState(
            ticket_open=bool(row.ticket_open),
            user_key=row.user_key,
            language=row.language,
            language_explicit=row.language_explicit,
            last_intent=row.last_intent,
            pending_question=row.pending_question,
            misunderstood=row.misunderstood,
            recent=json.loads(row.recent or "[]"),
            answered=[a for a in (row.answered or "").split(",") if a],
            stay=row.stay,
            municipality=row.municipality,
            pending_intent=row.pending_intent,
        )

    async def save(self, state: ConversationState) -> None:
        if state.erased:
            return
        key = state.user_key
        task = asyncio.create_task(self._write(_values(state), self._writes.get(key)))
        self._writes[key] = task
        task.add_done_callback(lambda done: self._written(key, done))

    async def forget(self, user_key: str) -> None:
        await self.settled(user_key)
        async with self.db.engine.begin() as connection:
            await connection.execute(
                delete(ConversationRow).where(ConversationRow.user_key == user_key)
            )

    async def flush(self) -> None:
        """Wait until every saved state is written."""
        while self._writes:
            await asyncio.gather(*self._writes.values(), return_exceptions=True)

    async def _write(self, values: dict[str, Any], previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)  # in order per user
        try:
            async with self.db.begin_relaxed() as connection:
                await connection.execute(self._upsert, values)
        except SQLAlchemyError as e:
            # The user already has the reply; the next message starts from the last saved state.
            log.error("could not save a conversation's state: %s", type(e).__name__)

    def _written(self, key: str, task: asyncio.Task[None]) -> None:
        if self._writes.get(key) is task:
            del self._writes[key]

    async def settled(self, user_key: str) -> None:
        """Wait until this user's saved states are written."""
        if (pending := self._writes.get(user_key)) is not None:
            await asyncio.gather(pending, return_exceptions=True)


def _values(state: ConversationState) -> dict[str, Any]:
    return {
        "user_key": state.user_key,
        "language": state.language,
        "language_explicit": state.language_explicit,
        "last_intent": state.last_intent,
        "pending_question": state.pending_question,
        "misunderstood": state.misunderstood,
        "recent": json.dumps(state.recent, ensure_ascii=False),
        "answered": ",".join(state.answered),
        "stay": state.stay,
        "municipality": state.municipality,
        "pending_intent": state.pending_intent,
    }


def _upsert_for(db: Database) -> Any:
    """INSERT ... ON CONFLICT (user_key) DO UPDATE: one statement, whether new or not."""
    columns = [c for c in _values(ConversationState("")) if c != "user_key"]
    insert = db.insert(ConversationRow)
    return insert.on_conflict_do_update(
        index_elements=[_conversations.c.user_key],
        set_={**{c: insert.excluded[c] for c in columns}, "updated_at": func.now()},
    )
