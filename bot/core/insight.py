"""What the conversation core tells the reporting side (anonymous counts, unanswered questions).

The core calls these after deciding a reply; the default does nothing. The implementation
(bot.reporting.insight) decides what is kept: counts without any person in them, and the
masked text of unanswered questions only when MIP_COLLECT_QUESTIONS=1. `user_key` is given
only so that a kept question can be found again by its author's /forget (as a keyed hash).
"""

from __future__ import annotations

from typing import Protocol


class ConversationInsight(Protocol):
    async def answered(
        self, language: str, intent: str, *, municipality: str | None, stay: str | None
    ) -> None: ...

    async def misunderstood(
        self,
        language: str,
        text: str,
        *,
        guess: str | None,
        municipality: str | None,
        stay: str | None,
        user_key: str | None = None,
    ) -> None: ...

    async def out_of_scope(
        self,
        language: str,
        text: str,
        *,
        municipality: str | None,
        stay: str | None,
        user_key: str | None = None,
    ) -> None: ...

    async def feedback(self, language: str, intent: str, helped: bool) -> None: ...

    def crisis(self, language: str, group: str) -> None:
        """A crisis answer was given (the group of content/crisis.yml): counted in memory for
        the operator's metrics, nothing written, and never the text."""
        ...

    async def flush(self) -> None:
        """Write what is pending (the bot calls it now and then, and when it stops)."""
        ...


class NoInsight:
    """Records nothing (tests, and transports that do not report)."""

    async def answered(
        self, language: str, intent: str, *, municipality: str | None, stay: str | None
    ) -> None:
        return None

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
        return None

    async def out_of_scope(
        self,
        language: str,
        text: str,
        *,
        municipality: str | None,
        stay: str | None,
        user_key: str | None = None,
    ) -> None:
        return None

    async def feedback(self, language: str, intent: str, helped: bool) -> None:
        return None

    def crisis(self, language: str, group: str) -> None:
        return None

    async def flush(self) -> None:
        return None
