"""Reporting tables: anonymous events for the report, masked questions for review.

Neither table has a user id, a chat id or a timestamp; `day` is the only time there is. A
review item carries a keyed hash of its author and day (`subject`), only so that /forget can
find it. Schema changes go through an Alembic migration (migrations/versions/).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base


class AnalyticsEventRow(Base):
    """One thing that happened (a question answered, a handoff opened...), with no person in it."""

    __tablename__ = "analytics_events"
    __table_args__ = (Index("ix_analytics_events_day_kind", "day", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    day: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(8))
    intent: Mapped[str | None] = mapped_column(String(64))  # an intent or a menu topic
    municipality: Mapped[str | None] = mapped_column(String(64))
    stay: Mapped[str | None] = mapped_column(String(8))  # short / mid / long
    value: Mapped[float | None] = mapped_column(Float)  # e.g. minutes waited for a person
    helped: Mapped[bool | None] = mapped_column(Boolean)


class ReviewItemRow(Base):
    """A question (or a key person's answer) kept for staff, personal details masked."""

    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16))  # unanswered / handoff / suggested
    language: Mapped[str | None] = mapped_column(String(8))
    intent: Mapped[str | None] = mapped_column(String(64))  # the engine's best guess, if any
    text: Mapped[str] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(32), index=True)  # review.Pseudonyms


class PublishedReportRow(Base):
    """A report period already published, with the counts it showed: a later report is
    checked against them, so that no two reports differ by a few people (periods.py)."""

    __tablename__ = "published_reports"

    period: Mapped[str] = mapped_column(String(10), primary_key=True)  # 2026-W48, 2026-11, 2026-Q4
    since: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date] = mapped_column(Date)
    cells: Mapped[str] = mapped_column(Text)  # JSON: the shown counts and the days they cover
    published_at: Mapped[dt.date] = mapped_column(Date)
