"""The report's numbers: read the events of a period, count them, protect small counts.

Everything here is pure except `load_events`, the one query (portable SQL: SQLite, PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from bot.contract import Contract
from bot.language.codes import SUPPORTED
from bot.reporting.disclosure import ALL, HIDDEN, Disclosure, Key, percent
from bot.reporting.recorder import STAYS, EventKind
from bot.reporting.tables import AnalyticsEventRow
from bot.storage.db import Database

NOT_UNDERSTOOD = "(not understood)"
OUT_OF_SCOPE = "(out of scope)"
NOT_GIVEN = "(not given)"
OTHER = "other"
KIND_LABELS = {
    EventKind.QUESTION_ANSWERED.value: "answered",
    EventKind.MISUNDERSTOOD.value: "not understood",
    EventKind.OUT_OF_SCOPE.value: "out of scope",
}
STAY_LABELS = {
    "short": "short (under 4 months)",
    "mid": "mid (4 months to 3 years)",
    "long": "long (over 3 years)",
    NOT_GIVEN: NOT_GIVEN,
}


@dataclass(frozen=True)
class EventCount:
    day: dt.date
    kind: str
    language: str | None
    intent: str | None
    municipality: str | None
    stay: str | None
    helped: bool | None
    count: int


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date

    @property
    def weeks(self) -> list[str]:
        weeks: list[str] = []
        day = self.since - dt.timedelta(days=self.since.weekday())
        while day <= self.until:
            weeks.append(week_of(day))
            day += dt.timedelta(days=7)
        return weeks


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


async def load_events(
    db: Database, since: dt.date | None, until: dt.date | None
) -> tuple[list[EventCount], dict[str, list[float]], Period]:
    """Counts per (day, kind, ...) and the waiting times per language, for the days from
    `since` to `until` (both included; None: from the first or to the last data)."""
    e = AnalyticsEventRow
    where = []
    if since is not None:
        where.append(e.day >= since)
    if until is not None:
        where.append(e.day <= until)
    columns = (e.day, e.kind, e.language, e.intent, e.municipality, e.stay, e.helped)
    query = select(*columns, func.count()).where(*where).group_by(*columns)
    waits = select(e.language, e.value).where(
        *where, e.kind == EventKind.HANDOFF_FIRST_ANSWER.value, e.value.is_not(None)
    )
    async with db.session() as session:
        rows = [EventCount(*row) for row in (await session.execute(query)).all()]
        waited: dict[str, list[float]] = defaultdict(list)
        for language, value in (await session.execute(waits)).all():
            if value is not None:
                waited[language or NOT_GIVEN].append(float(value))
        first, last = (await session.execute(select(func.min(e.day), func.max(e.day)))).one()
    today = dt.datetime.now(dt.UTC).date()
    period = Period(since or first or today, until or last or today)
    return rows, dict(waited), period


@dataclass
class Figures:
    period: Period
    weeks: list[str]
    languages: list[str]
    topics: list[str]
    feedback_topics: list[str]
    municipalities: list[str]
    stays: list[str]
    d: Disclosure
    waits: dict[str, list[float]] = field(default_factory=dict)

    # keys of the cubes ----------------------------------------------------------------------
    @staticmethod
    def q(week: str = ALL, kind: str = ALL, topic: str = ALL, language: str = ALL) -> Key:
        """Questions to the bot; `kind` "answered" is the sum of the menu topics."""
        if kind == "answered":
            return ("A", week, language)
        if kind != ALL:
            topic = {"not understood": NOT_UNDERSTOOD, "out of scope": OUT_OF_SCOPE}[kind]
        return ("Q", week, topic, language)

    @staticmethod
    def h(week: str = ALL, language: str = ALL) -> Key:
        return ("H", week, language)

    @staticmethod
    def w(language: str = ALL) -> Key:
        return ("W", language)

    @staticmethod
    def f(topic: str = ALL, helped: str = ALL) -> Key:
        return ("F", topic, helped)

    @staticmethod
    def s(stay: str = ALL) -> Key:
        return ("S", stay)

    @staticmethod
    def m(municipality: str = ALL) -> Key:
        return ("M", municipality)

    def wait_stats(self, language: str) -> tuple[str, str]:
        """Median and 90th percentile in minutes, only when the number of waits is shown."""
        values = self.waits.get(language, [])
        if self.d.shown(self.w(language)) is None or len(values) < 5:
            return HIDDEN, HIDDEN
        p90 = statistics.quantiles(values, n=10, method="inclusive")[-1]
        return f"{statistics.median(values):.0f}", f"{p90:.0f}"

    def share(self, part: Key, *others: Key) -> str:
        """part / (part + others), when all are shown."""
        values = [self.d.shown(k) for k in (part, *others)]
        if any(v is None for v in values):
            return HIDDEN
        return percent(values[0], sum(v or 0 for v in values))


def topic_of(contract: Contract, intent: str | None) -> str:
    if intent in contract.intents:
        return contract.intents[intent].topic
    if intent in contract.topics:
        return intent
    return OTHER


def build(
    rows: Sequence[EventCount],
    waits: dict[str, list[float]],
    period: Period,
    contract: Contract,
    *,
    hide: frozenset[Key] = frozenset(),
) -> Figures:
    """The counts of the period, protected (`hide`: counts to hide as well)."""
    figures = count(rows, waits, period, contract)
    figures.d.solve(hide)
    return figures


def count(
    rows: Sequence[EventCount], waits: dict[str, list[float]], period: Period, contract: Contract
) -> Figures:
    """The counts of the period with all their sums, not yet protected."""
    weeks = period.weeks
    questions: Counter[tuple[str, ...]] = Counter()  # (week, topic, language)
    handoffs: Counter[tuple[str, ...]] = Counter()
    first_answers: Counter[tuple[str, ...]] = Counter()
    feedback: Counter[tuple[str, ...]] = Counter()
    stays: Counter[tuple[str, ...]] = Counter()
    places: Counter[tuple[str, ...]] = Counter()
    languages = list(SUPPORTED)
    for row in rows:
        if row.language and row.language not in languages:
            languages.append(row.language)
    for row in rows:
        week, language = week_of(row.day), row.language or NOT_GIVEN
        if row.kind in KIND_LABELS:
            if row.kind == EventKind.MISUNDERSTOOD.value:
                topic = NOT_UNDERSTOOD
            elif row.kind == EventKind.OUT_OF_SCOPE.value:
                topic = OUT_OF_SCOPE
            else:
                topic = topic_of(contract, row.intent)
            questions[(week, topic, language)] += row.count
            stays[(row.stay if row.stay in STAYS else NOT_GIVEN,)] += row.count
            places[(row.municipality or NOT_GIVEN,)] += row.count
        elif row.kind == EventKind.HANDOFF_OPENED.value:
            handoffs[(week, language)] += row.count
        elif row.kind == EventKind.HANDOFF_FIRST_ANSWER.value:
            first_answers[(language,)] += row.count
        elif row.kind == EventKind.FEEDBACK.value and row.helped is not None:
            topic = topic_of(contract, row.intent)
            feedback[(topic, "helped" if row.helped else "did not help")] += row.count
    if any(language == NOT_GIVEN for (_, _, language) in questions) or any(
        language == NOT_GIVEN for (_, language) in handoffs
    ):
        languages.append(NOT_GIVEN)
    menu = [t for t in contract.topics if t != "conversation"]
    used = {topic for (_, topic, _) in questions}
    topics = [t for t in menu if t in used] + [
        t for t in (OTHER, NOT_UNDERSTOOD, OUT_OF_SCOPE) if t in used
    ]
    used_feedback = {topic for (topic, _) in feedback}
    feedback_topics = [t for t in [*menu, OTHER] if t in used_feedback]
    stay_values = [*STAYS, NOT_GIVEN]
    municipalities = sorted(
        (m for (m,) in places if m != NOT_GIVEN), key=lambda m: (-places[(m,)], m)
    ) + ([NOT_GIVEN] if (NOT_GIVEN,) in places else [])

    d = Disclosure()
    d.cube("Q", [weeks, topics, languages], questions)
    answered_topics = [t for t in topics if t not in (NOT_UNDERSTOOD, OUT_OF_SCOPE)]
    for week in [*weeks, ALL]:
        for language in [*languages, ALL]:
            d.sum_of(
                Figures.q(week, "answered", language=language),
                [Figures.q(week, topic=t, language=language) for t in answered_topics],
            )
            unanswered = [
                Figures.q(week, topic=t, language=language)
                for t in (NOT_UNDERSTOOD, OUT_OF_SCOPE)
                if t in topics
            ]
            d.lines.append(
                (
                    Figures.q(week, language=language),
                    (Figures.q(week, "answered", language=language), *unanswered),
                )
            )
        d.lines.append(
            (
                Figures.q(week, "answered"),
                tuple(Figures.q(week, "answered", language=lang) for lang in languages),
            )
        )
    for language in [*languages, ALL]:
        d.lines.append(
            (
                Figures.q(ALL, "answered", language=language),
                tuple(Figures.q(w, "answered", language=language) for w in weeks),
            )
        )
    d.cube("H", [weeks, languages], handoffs)
    d.cube("W", [languages], first_answers)
    d.cube("F", [feedback_topics, ["helped", "did not help"]], feedback)
    grand = Figures.q()
    d.cube("S", [stay_values], stays, grand_total=grand)
    d.cube("M", [municipalities], places, grand_total=grand)
    return Figures(
        period, weeks, languages, topics, feedback_topics, municipalities, stay_values, d, waits
    )
