"""Gauges read from the database when Prometheus scrapes: the queue, the outbox, key persons.

A scrape runs a few small aggregate queries, at most once per `max_age` seconds (several
scrapers or a dashboard refreshing do not multiply them); a failed query exports nothing
rather than stale numbers, and /readyz tells why.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from bot.storage.db import Database
from bot.storage.tables import KeyPersonRow, OutboxRow, TicketRow

log = logging.getLogger(__name__)

QUERY_TIMEOUT = 2.0  # seconds; a slow database must not hang the scrape


@dataclass
class Snapshot:
    tickets: dict[tuple[str, str], int] = field(default_factory=dict)  # (language, state)
    oldest_waiting: dict[str, float] = field(default_factory=dict)  # language -> seconds
    outbox_rows: int = 0
    outbox_oldest_due: float = 0.0
    keypersons_available: dict[str, int] = field(default_factory=dict)


class DatabaseGauges(Collector):
    def __init__(self, db: Database, *, max_age: float = 5.0) -> None:
        self.db = db
        self.max_age = max_age
        self._snapshot: Snapshot | None = None
        self._taken = -float("inf")
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        """Query again unless the last snapshot is younger than max_age."""
        async with self._lock:
            if time.monotonic() - self._taken < self.max_age:
                return
            try:
                async with asyncio.timeout(QUERY_TIMEOUT):
                    self._snapshot = await self._query(dt.datetime.now(dt.UTC))
            except Exception as e:
                log.warning("metrics: reading the queue from the database failed: %r", e)
                self._snapshot = None
            self._taken = time.monotonic()

    async def _query(self, now: dt.datetime) -> Snapshot:
        snap = Snapshot()
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    TicketRow.language,
                    TicketRow.status,
                    func.count(),
                    func.min(TicketRow.queued_at),
                )
                .where(TicketRow.status.in_(("open", "claimed")))
                .group_by(TicketRow.language, TicketRow.status)
            )
            for language, status, count, oldest in rows:
                state = "waiting" if status == "open" else "claimed"
                snap.tickets[(language, state)] = count
                if status == "open" and oldest is not None:
                    snap.oldest_waiting[language] = max(0.0, (now - _utc(oldest)).total_seconds())
            count, oldest_due = (
                await session.execute(
                    select(
                        func.count(),
                        func.min(OutboxRow.not_before).filter(OutboxRow.not_before <= now),
                    ).select_from(OutboxRow)
                )
            ).one()
            snap.outbox_rows = count or 0
            if oldest_due is not None:
                snap.outbox_oldest_due = max(0.0, (now - _utc(oldest_due)).total_seconds())
            for (languages,) in await session.execute(
                select(KeyPersonRow.languages).where(KeyPersonRow.available.is_(True))
            ):
                for language in filter(None, languages.split(",")):
                    snap.keypersons_available[language] = (
                        snap.keypersons_available.get(language, 0) + 1
                    )
        return snap

    def collect(self) -> Iterator[GaugeMetricFamily]:
        snap = self._snapshot
        if snap is None:
            return
        tickets = GaugeMetricFamily(
            "mip_tickets_open",
            "Open tickets by language: waiting for a key person, or claimed by one.",
            labels=["language", "state"],
        )
        for (language, state), count in sorted(snap.tickets.items()):
            tickets.add_metric([language, state], count)
        yield tickets
        oldest = GaugeMetricFamily(
            "mip_ticket_oldest_waiting_seconds",
            "Age of the oldest unclaimed ticket per language, since it (re)entered the queue.",
            labels=["language"],
        )
        for language, seconds in sorted(snap.oldest_waiting.items()):
            oldest.add_metric([language], seconds)
        yield oldest
        yield GaugeMetricFamily(
            "mip_outbox_rows", "Messages in the outbox (due or scheduled).", value=snap.outbox_rows
        )
        yield GaugeMetricFamily(
            "mip_outbox_oldest_due_seconds",
            "How long the oldest due outbox message has waited to be sent (0: none due).",
            value=snap.outbox_oldest_due,
        )
        available = GaugeMetricFamily(
            "mip_keypersons_available",
            "Key persons marked available (not /away), per language they speak.",
            labels=["language"],
        )
        for language, count in sorted(snap.keypersons_available.items()):
            available.add_metric([language], count)
        yield available


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
