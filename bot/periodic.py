"""Background work of a running bot: a step repeated on an interval, and tasks that stop with it.

Every loop of the bot (queue timers, retention purge, content reload, report counts,
processed-update pruning) is `every(...)`: a failing round is logged and the next one tries
again, so a database hiccup never stops the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

log = logging.getLogger(__name__)


async def every(
    interval: float, step: Callable[[], Awaitable[object]], *, name: str, wait_first: bool = False
) -> None:
    """Run `step` every `interval` seconds until cancelled."""
    if wait_first:
        await asyncio.sleep(interval)
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; trying again in %.0f s", name, interval)
        await asyncio.sleep(interval)


@asynccontextmanager
async def background(**loops: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Run the named coroutines as tasks for the duration of the block, then cancel them."""
    tasks = [asyncio.create_task(loop, name=name) for name, loop in loops.items()]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
