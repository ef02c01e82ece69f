"""Table definitions. Schema changes go through an Alembic migration in migrations/versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use timezone-aware UTC datetimes")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


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
    recent: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of recent messages
    answered: Mapped[str] = mapped_column(String(400), default="")
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


# -- the handoff queue ------------------------------------------------------------------------


class KeyPersonRow(Base):
    """A volunteer or professional who answers escalated questions in their languages."""

    __tablename__ = "key_persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    languages: Mapped[str] = mapped_column(String(40))  # "pl,nl"
    ui_language: Mapped[str] = mapped_column(String(8))
    available: Mapped[bool] = mapped_column(default=True)
    # The claimed ticket that the key person's messages go to.
    active_ticket_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class InviteRow(Base):
    """A one-time invite link; only the token's hash is stored."""

    __tablename__ = "keyperson_invites"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    languages: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class TicketRow(Base):
    """A question waiting for, or being answered by, a key person."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_queued", "status", "queued_at"),
        Index(
            "ux_tickets_one_active_per_user",
            "user_key",
            unique=True,
            sqlite_where=text("status IN ('open', 'claimed')"),
            postgresql_where=text("status IN ('open', 'claimed')"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    user_key: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12))  # open | claimed | closed | cancelled
    reason: Mapped[str] = mapped_column(String(20))  # asked | not_understood | not_helped
    topic: Mapped[str | None] = mapped_column(String(64))  # the engine's best guess
    answered: Mapped[str] = mapped_column(String(400), default="")  # intents already answered
    stay: Mapped[str | None] = mapped_column(String(8))
    municipality: Mapped[str | None] = mapped_column(String(64))
    claimed_by: Mapped[int | None] = mapped_column(
        ForeignKey("key_persons.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    queued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)  # (re)entered queue
    promised_by: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    first_answer_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Timers are derived from these marks, so they survive restarts.
    reminded: Mapped[bool] = mapped_column(default=False)
    widened: Mapped[bool] = mapped_column(default=False)
    late_notice_sent: Mapped[bool] = mapped_column(default=False)
    helped: Mapped[bool | None] = mapped_column()


class TicketMessageRow(Base):
    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(10))  # user | keyperson
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class OutboxRow(Base):
    """A message to someone other than the sender, written in the transaction that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "not_before", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(64), index=True)
    # The user a message to someone else is about (a key person's copy of a user's message,
    # an announcement of their ticket): /forget deletes it while it waits.
    about: Mapped[str | None] = mapped_column(String(64), index=True)
    payload: Mapped[str] = mapped_column(Text)  # the Reply as JSON
    not_before: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))


class ProcessedUpdateRow(Base):
    """A Telegram update already handled: a redelivered update is recognised and skipped."""

    __tablename__ = "processed_updates"

    # Update ids count per bot; a new token (another bot) starts again from low numbers.
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
