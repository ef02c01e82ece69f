"""The queue's clockwork in a running bot: timers every half minute, retention purge hourly.

Both only read and write the database, so they resume after a restart exactly where the
data says they are.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time

from bot.handoff.queue import HandoffQueue

log = logging.getLogger(__name__)


async def run_timers(
    queue: HandoffQueue,
    retention: dt.timedelta,
    *,
    interval: float = 30.0,
    purge_every: float = 3600.0,
) -> None:
    last_purge = 0.0
    while True:
        try:
            swept = await queue.sweep()
            if swept.reminded or swept.widened or swept.late_notices:
                log.info(
                    "queue timers: %d reminded, %d widened, %d late notices",
                    swept.reminded,
                    swept.widened,
                    swept.late_notices,
                )
            if time.monotonic() - last_purge >= purge_every:
                purged = await queue.purge(retention)
                if queue.questions is not None:
                    await queue.questions.purge(retention.days)
                last_purge = time.monotonic()
                log.info(
                    "retention purge: %d tickets, %d conversations, %d invites",
                    purged.tickets,
                    purged.conversations,
                    purged.invites,
                )
        except asyncio.CancelledError:
            raise
        except Exception:
            # A database hiccup must not stop the clock; the next round retries.
            log.exception("queue timers failed; retrying in %.0f s", interval)
        await asyncio.sleep(interval)
