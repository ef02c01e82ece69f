"""The unanswered-question loop: masked questions kept for staff, exported as YAML, purged.

Kept only when MIP_COLLECT_QUESTIONS=1. Sources: questions the bot could not answer
(`unanswered`, `out_of_scope`), questions handed to a key person (`handoff`) and key-person
answers marked /suggest (`suggested`). Text is masked before it is stored, never after.

Each item carries a keyed hash of its author and its day (`Pseudonyms`), so that the author's
/forget finds it: nobody without the key (derived from the bot's secrets) can tell whose it
is, and one author's items of two days cannot be linked. The export leaves it out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import yaml
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.clock import Clock
from bot.reporting.masking import mask
from bot.reporting.recorder import utc_today
from bot.reporting.tables import ReviewItemRow
from bot.storage.db import Database

MAX_TEXT = 2000


class Source(StrEnum):
    UNANSWERED = "unanswered"
    OUT_OF_SCOPE = "out_of_scope"
    HANDOFF = "handoff"
    SUGGESTED = "suggested"


class Pseudonyms:
    def __init__(self, key: bytes) -> None:
        self.key = key

    @classmethod
    def for_settings(cls, settings: Settings) -> Pseudonyms:
        secret = settings.telegram.callback_secret.get().encode()
        return cls(hmac.new(secret, b"mip review subject v1", hashlib.sha256).digest())

    def of(self, user_key: str, day: dt.date) -> str:
        message = f"{user_key}|{day.isoformat()}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class ReviewItem:
    day: dt.date
    source: str
    language: str | None
    intent: str | None
    text: str


class QuestionCollector:
    def __init__(
        self,
        db: Database,
        *,
        enabled: bool,
        today: Callable[[], dt.date] = utc_today,
        pseudonyms: Pseudonyms | None = None,
    ) -> None:
        self.db = db
        self.enabled = enabled
        self.today = today
        self.pseudonyms = pseudonyms  # None: items cannot be found by their author's /forget

    async def unanswered(
        self,
        language: str,
        text: str,
        guess: str | None = None,
        *,
        user_key: str | None = None,
        session: AsyncSession | None = None,
    ) -> None:
        await self._keep(Source.UNANSWERED, language, guess, text, user_key, session)

    async def out_of_scope(
        self,
        language: str,
        text: str,
        *,
        user_key: str | None = None,
        session: AsyncSession | None = None,
    ) -> None:
        await self._keep(Source.OUT_OF_SCOPE, language, None, text, user_key, session)

    async def handoff_question(
        self,
        language: str,
        topic: str | None,
        text: str,
        *,
        user_key: str | None = None,
        session: AsyncSession | None = None,
    ) -> None:
        """A user's question as it was handed to a key person."""
        await self._keep(Source.HANDOFF, language, topic, text, user_key, session)

    async def suggested_answer(
        self,
        language: str,
        topic: str | None,
        text: str,
        *,
        user_key: str | None = None,
        session: AsyncSession | None = None,
    ) -> None:
        """A key person's answer they marked with /suggest as a candidate for content;
        `user_key` is the ticket's user, whom the answer is about."""
        await self._keep(Source.SUGGESTED, language, topic, text, user_key, session)

    async def forget(self, session: AsyncSession, user_key: str, _clock: Clock) -> int:
        """Privacy part (bot/storage/privacy.py): the items this user wrote (or, suggested
        answers, was answered with)."""
        if self.pseudonyms is None:
            return 0
        days = await session.scalars(
            select(ReviewItemRow.day).where(ReviewItemRow.subject.is_not(None)).distinct()
        )
        subjects = [self.pseudonyms.of(user_key, day) for day in days]
        if not subjects:
            return 0
        statement = delete(ReviewItemRow).where(ReviewItemRow.subject.in_(subjects))
        return int((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]

    async def _keep(
        self,
        source: Source,
        language: str | None,
        intent: str | None,
        text: str,
        user_key: str | None,
        session: AsyncSession | None,
    ) -> None:
        text = text.strip()
        if not self.enabled or not text:
            return
        day = self.today()
        subject = (
            self.pseudonyms.of(user_key, day) if self.pseudonyms and user_key is not None else None
        )
        row = ReviewItemRow(
            day=day,
            source=source.value,
            language=language,
            intent=intent,
            text=mask(text[:MAX_TEXT]),
            subject=subject,
        )
        if session is not None:
            session.add(row)
            return
        async with self.db.session() as own, own.begin():
            own.add(row)

    async def items(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[ReviewItem]:
        query = select(ReviewItemRow).order_by(ReviewItemRow.day, ReviewItemRow.id)
        if since is not None:
            query = query.where(ReviewItemRow.day >= since)
        if until is not None:
            query = query.where(ReviewItemRow.day <= until)
        async with self.db.session() as session:
            rows = (await session.scalars(query)).all()
        return [ReviewItem(r.day, r.source, r.language, r.intent, r.text) for r in rows]

    async def purge(self, older_than_days: int, *, session: AsyncSession | None = None) -> int:
        """Delete review items older than this many days; returns how many went."""
        cutoff = self.today() - dt.timedelta(days=older_than_days)
        statement = delete(ReviewItemRow).where(ReviewItemRow.day < cutoff)
        if session is not None:
            return int((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]
        async with self.db.session() as own, own.begin():
            return int((await own.execute(statement)).rowcount)  # type: ignore[attr-defined]


async def purge_review_items(session: AsyncSession, cutoff: dt.datetime) -> int:
    """Privacy part (bot/storage/privacy.py): review items past the retention period."""
    statement = delete(ReviewItemRow).where(ReviewItemRow.day < cutoff.date())
    return int((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]


HEADER = """\
# Questions the bot could not answer, questions handed to a key person, and key-person
# answers suggested as content. Personal details are masked ([NAME], [PHONE], ...).
# Use them to add training examples (intents/data/nlu/<language>.yml) or new content.
# source: unanswered = the bot did not understand; out_of_scope = not a topic of the bot;
#         handoff = handed to a key person; suggested = a key person's answer marked /suggest.
# guessed_intent: the engine's best guess, often wrong: that is why the question is here.
"""


def export_yaml(items: Sequence[ReviewItem], *, exported: dt.date) -> str:
    document = {
        "exported": exported.isoformat(),
        "count": len(items),
        "items": [
            {
                "day": item.day.isoformat(),
                "language": item.language,
                "source": item.source,
                "guessed_intent": item.intent,
                "text": item.text,
            }
            for item in items
        ],
    }
    return HEADER + yaml.safe_dump(
        document, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
