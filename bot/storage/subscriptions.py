"""Repository for announcement opt-ins and for the events already announced."""

from __future__ import annotations

from sqlalchemy import delete, select

from bot.core.evenings import Subscription
from bot.storage.db import Database
from bot.storage.tables import AnnouncedEventRow, SubscriptionRow


class SqlSubscriptions:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def subscribe(self, user_key: str, language: str, municipality: str | None) -> None:
        async with self.db.session() as session, session.begin():
            await session.merge(
                SubscriptionRow(user_key=user_key, language=language, municipality=municipality)
            )

    async def unsubscribe(self, user_key: str) -> bool:
        async with self.db.session() as session, session.begin():
            result = await session.execute(
                delete(SubscriptionRow).where(SubscriptionRow.user_key == user_key)
            )
        return bool(getattr(result, "rowcount", 0))

    async def get(self, user_key: str) -> Subscription | None:
        async with self.db.session() as session:
            row = await session.get(SubscriptionRow, user_key)
        return Subscription(row.user_key, row.language, row.municipality) if row else None

    async def all(self) -> list[Subscription]:
        async with self.db.session() as session:
            rows = (
                await session.scalars(select(SubscriptionRow).order_by(SubscriptionRow.user_key))
            ).all()
        return [Subscription(r.user_key, r.language, r.municipality) for r in rows]

    async def announced(self) -> set[str]:
        async with self.db.session() as session:
            return set((await session.scalars(select(AnnouncedEventRow.event_id))).all())

    async def mark_announced(self, event_id: str, recipients: int) -> None:
        async with self.db.session() as session, session.begin():
            await session.merge(AnnouncedEventRow(event_id=event_id, recipients=recipients))
