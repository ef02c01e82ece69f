"""Table definitions. Schema changes go through an Alembic migration in migrations/versions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ConversationRow(Base):
    """What the bot remembers about one chat: language, last topic, a question on hold."""

    __tablename__ = "conversations"

    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))
    language_explicit: Mapped[bool] = mapped_column(default=False)
    last_intent: Mapped[str | None] = mapped_column(String(64))
    # Kept only until the user has chosen a language, then answered and cleared.
    pending_question: Mapped[str | None] = mapped_column(Text)
    misunderstood: Mapped[int] = mapped_column(Integer, default=0)
    stay: Mapped[str | None] = mapped_column(String(8))
    municipality: Mapped[str | None] = mapped_column(String(64))
    pending_intent: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SubscriptionRow(Base):
    """Opt-in to announcements of information evenings, in one language, maybe one municipality."""

    __tablename__ = "subscriptions"

    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    municipality: Mapped[str | None] = mapped_column(String(64))  # None: every municipality
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AnnouncedEventRow(Base):
    """Events already announced, so that none is sent twice."""

    __tablename__ = "announced_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    announced_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
