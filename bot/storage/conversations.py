"""Repository for conversation state (the core sees only ConversationState)."""

from __future__ import annotations

import json

from sqlalchemy import delete, exists, select

from bot.core.state import ConversationState
from bot.storage.db import Database
from bot.storage.tables import ConversationRow, TicketRow


class SqlConversationStates:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def load(self, user_key: str) -> ConversationState:
        async with self.db.session() as session:
            row = await session.get(ConversationRow, user_key)
            # In the same transaction, so most messages need no second look at the queue.
            ticket_open = bool(
                await session.scalar(
                    select(
                        exists().where(
                            TicketRow.user_key == user_key,
                            TicketRow.status.in_(("open", "claimed")),
                        )
                    )
                )
            )
        if row is None:
            return ConversationState(user_key, ticket_open=ticket_open)
        return ConversationState(
            ticket_open=ticket_open,
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
        async with self.db.session() as session, session.begin():
            await session.merge(
                ConversationRow(
                    user_key=state.user_key,
                    language=state.language,
                    language_explicit=state.language_explicit,
                    last_intent=state.last_intent,
                    pending_question=state.pending_question,
                    misunderstood=state.misunderstood,
                    recent=json.dumps(state.recent, ensure_ascii=False),
                    answered=",".join(state.answered),
                    stay=state.stay,
                    municipality=state.municipality,
                    pending_intent=state.pending_intent,
                )
            )

    async def forget(self, user_key: str) -> None:
        async with self.db.session() as session, session.begin():
            await session.execute(
                delete(ConversationRow).where(ConversationRow.user_key == user_key)
            )
