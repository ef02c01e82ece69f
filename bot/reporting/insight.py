"""The conversation core's insight hook, backed by the reporting tables.

Best effort: a failure to record is logged and the user still gets the reply. With
`batch_seconds` set (the running bot uses 2 s), records are written together in one
transaction at most that often, in the background, instead of one transaction per message
that the reply waits for; a crash can then lose the last seconds of anonymous counts, never
anything a user or key person depends on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handoff.domain_events import (
    AnswerSuggested,
    DomainEvent,
    FirstAnswer,
    TicketClosed,
    TicketFeedback,
    TicketOpened,
)
from bot.monitoring.metrics import CRISIS_ANSWERS
from bot.reporting.recorder import Analytics
from bot.reporting.review import QuestionCollector

log = logging.getLogger(__name__)

Record = Callable[[AsyncSession], Awaitable[None]]
BATCH_MAX = 200


class ReportingInsight:
    def __init__(
        self, analytics: Analytics, questions: QuestionCollector, *, batch_seconds: float = 0.0
    ) -> None:
        self.analytics = analytics
        self.questions = questions
        self.batch_seconds = batch_seconds
        self._pending: list[Record] = []
        self._flushed_at = time.monotonic()
        self._flushing: asyncio.Task[None] | None = None

    async def answered(
        self, language: str, intent: str, *, municipality: str | None, stay: str | None
    ) -> None:
        async def record(session: AsyncSession) -> None:
            await self.analytics.answered(language, intent, municipality, stay, session=session)

        await self._add(record)

    async def misunderstood(
        self,
        language: str,
        text: str,
        *,
        guess: str | None,
        municipality: str | None,
        stay: str | None,
        user_key: str | None = None,
    ) -> None:
        async def record(session: AsyncSession) -> None:
            await self.analytics.misunderstood(language, guess, municipality, stay, session=session)
            await self.questions.unanswered(
                language, text, guess, user_key=user_key, session=session
            )

        await self._add(record)

    async def out_of_scope(
        self,
        language: str,
        text: str,
        *,
        municipality: str | None,
        stay: str | None,
        user_key: str | None = None,
    ) -> None:
        async def record(session: AsyncSession) -> None:
            await self.analytics.out_of_scope(language, municipality, stay, session=session)
            await self.questions.out_of_scope(language, text, user_key=user_key, session=session)

        await self._add(record)

    async def feedback(self, language: str, intent: str, helped: bool) -> None:
        async def record(session: AsyncSession) -> None:
            await self.analytics.feedback(language, intent, helped, session=session)

        await self._add(record)

    def crisis(self, language: str, group: str) -> None:
        # For the operator (Prometheus), not the municipality's report: no row is written.
        CRISIS_ANSWERS.labels(group).inc()

    async def flush(self) -> None:
        """Write what is pending (also called when the bot stops)."""
        if self._flushing is not None:
            await asyncio.gather(self._flushing, return_exceptions=True)
        await self._write_pending()

    async def _add(self, record: Record) -> None:
        self._pending.append(record)
        if self.batch_seconds <= 0:
            await self._write_pending()
            return
        due = time.monotonic() - self._flushed_at >= self.batch_seconds
        if (due or len(self._pending) >= BATCH_MAX) and self._flushing is None:
            self._flushing = asyncio.create_task(self._write_pending())
            self._flushing.add_done_callback(self._flushed)

    def _flushed(self, _task: asyncio.Task[None]) -> None:
        self._flushing = None

    async def _write_pending(self) -> None:
        pending, self._pending = self._pending, []
        self._flushed_at = time.monotonic()
        if not pending:
            return
        try:
            async with self.analytics.db.session() as session, session.begin():
                for record in pending:
                    await record(session)
        except SQLAlchemyError as e:
            log.warning("could not record %d report events: %s", len(pending), type(e).__name__)


class HandoffReporting:
    """Feeds the handoff's domain events to the anonymous counts and the review loop, after
    the queue's transaction committed (bot.handoff.unit_of_work publishes them)."""

    def __init__(self, analytics: Analytics, questions: QuestionCollector) -> None:
        self.analytics = analytics
        self.questions = questions

    async def __call__(self, event: DomainEvent) -> None:
        match event:
            case TicketOpened():
                await self.analytics.handoff_opened(
                    event.language, event.topic, event.municipality, event.stay
                )
                for question in event.questions:
                    await self.questions.handoff_question(
                        event.language, event.topic, question, user_key=event.user_key
                    )
            case FirstAnswer():
                await self.analytics.first_answer(event.language, event.topic, event.waited_minutes)
            case TicketClosed():
                await self.analytics.handoff_closed(event.language, event.topic)
            case TicketFeedback():
                await self.analytics.feedback(event.language, event.topic, event.helped)
            case AnswerSuggested():
                await self.questions.suggested_answer(
                    event.language, event.topic, event.text, user_key=event.user_key
                )
