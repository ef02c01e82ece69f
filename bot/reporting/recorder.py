"""Recording anonymous events for the report.

Every method takes an optional `session`: pass the unit of work's session to record in the
same transaction as other work (the caller commits), or leave it out to record on its own.
Nothing that identifies a person is accepted: no user id, no chat id, no text, no time of day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reporting.tables import AnalyticsEventRow
from bot.storage.db import Database


class EventKind(StrEnum):
    QUESTION_ANSWERED = "question_answered"
    MISUNDERSTOOD = "misunderstood"
    OUT_OF_SCOPE = "out_of_scope"
    HANDOFF_OPENED = "handoff_opened"
    HANDOFF_FIRST_ANSWER = "handoff_first_answer"
    HANDOFF_CLOSED = "handoff_closed"
    FEEDBACK = "feedback"


# The questions the bot itself took: the denominator of "answered" and "misunderstood".
QUESTION_KINDS = (EventKind.QUESTION_ANSWERED, EventKind.MISUNDERSTOOD, EventKind.OUT_OF_SCOPE)
STAYS = ("short", "mid", "long")


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class Analytics:
    def __init__(self, db: Database, *, today: Callable[[], dt.date] = utc_today) -> None:
        self.db = db
        self.today = today

    async def answered(
        self,
        language: str,
        intent: str,
        municipality: str | None = None,
        stay: str | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        await self._record(
            EventKind.QUESTION_ANSWERED, language, intent, municipality, stay, session=session
        )

    async def misunderstood(
        self,
        language: str,
        guess: str | None = None,
        municipality: str | None = None,
        stay: str | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        """`guess`: the engine's best answer intent, though too unsure to answer with."""
        await self._record(
            EventKind.MISUNDERSTOOD, language, guess, municipality, stay, session=session
        )

    async def out_of_scope(
        self,
        language: str,
        municipality: str | None = None,
        stay: str | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        await self._record(
            EventKind.OUT_OF_SCOPE, language, None, municipality, stay, session=session
        )

    async def handoff_opened(
        self,
        language: str,
        topic: str | None,
        municipality: str | None = None,
        stay: str | None = None,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        """`topic`: the intent or menu topic the person asked about, if known."""
        await self._record(
            EventKind.HANDOFF_OPENED, language, topic, municipality, stay, session=session
        )

    async def first_answer(
        self,
        language: str,
        topic: str | None,
        waited_minutes: float,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        """A key person's first answer on a ticket, `waited_minutes` after it was opened."""
        await self._record(
            EventKind.HANDOFF_FIRST_ANSWER,
            language,
            topic,
            value=max(0.0, float(waited_minutes)),
            session=session,
        )

    async def handoff_closed(
        self, language: str, topic: str | None, *, session: AsyncSession | None = None
    ) -> None:
        await self._record(EventKind.HANDOFF_CLOSED, language, topic, session=session)

    async def feedback(
        self,
        language: str,
        intent: str | None,
        helped: bool,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        """The user's "did this help?" answer on a bot answer (intent) or a handoff (topic)."""
        await self._record(EventKind.FEEDBACK, language, intent, helped=helped, session=session)

    async def _record(
        self,
        kind: EventKind,
        language: str | None,
        intent: str | None,
        municipality: str | None = None,
        stay: str | None = None,
        *,
        value: float | None = None,
        helped: bool | None = None,
        session: AsyncSession | None,
    ) -> None:
        row = AnalyticsEventRow(
            kind=kind.value,
            day=self.today(),
            language=language,
            intent=intent,
            municipality=municipality,
            stay=stay if stay in STAYS else None,
            value=value,
            helped=helped,
        )
        if session is not None:
            session.add(row)
            return
        async with self.db.session() as own, own.begin():
            own.add(row)
