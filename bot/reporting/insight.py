"""The conversation core's insight hook, backed by the reporting tables.

Best effort: a failure to record is logged and the user still gets the reply.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.reporting.recorder import Analytics
from bot.reporting.review import QuestionCollector

log = logging.getLogger(__name__)


class ReportingInsight:
    def __init__(self, analytics: Analytics, questions: QuestionCollector) -> None:
        self.analytics = analytics
        self.questions = questions

    async def answered(
        self, language: str, intent: str, *, municipality: str | None, stay: str | None
    ) -> None:
        try:
            await self.analytics.answered(language, intent, municipality, stay)
        except SQLAlchemyError as e:
            log.warning("could not record an answered question: %s", type(e).__name__)

    async def misunderstood(
        self,
        language: str,
        text: str,
        *,
        guess: str | None,
        municipality: str | None,
        stay: str | None,
    ) -> None:
        try:
            await self.analytics.misunderstood(language, guess, municipality, stay)
            await self.questions.unanswered(language, text, guess)
        except SQLAlchemyError as e:
            log.warning("could not record a misunderstood question: %s", type(e).__name__)

    async def out_of_scope(
        self, language: str, text: str, *, municipality: str | None, stay: str | None
    ) -> None:
        try:
            await self.analytics.out_of_scope(language, municipality, stay)
            await self.questions.out_of_scope(language, text)
        except SQLAlchemyError as e:
            log.warning("could not record an out-of-scope question: %s", type(e).__name__)

    async def feedback(self, language: str, intent: str, helped: bool) -> None:
        try:
            await self.analytics.feedback(language, intent, helped)
        except SQLAlchemyError as e:
            log.warning("could not record feedback: %s", type(e).__name__)
