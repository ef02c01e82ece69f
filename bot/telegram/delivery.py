"""Delivers the outbox (bot.core.outgoing): messages the core wrote for users other than the sender.

A background task of the running bot. It sends through the same Bot as the replies, so the
same rate limiter (about 30 messages a second overall) and retries apply. What it sends it
has claimed (bot.storage.outbox), so replicas never send a message twice, and the outbox
keeps about a second between two messages to the same chat (PER_CHAT_GAP, Telegram's advice
per chat) whichever replica sends them.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.core.events import Reply
from bot.core.outgoing import OutboxSource, OutgoingMessage
from bot.storage.outbox import LEASE
from bot.telegram.mapping import chat_id_of
from bot.telegram.request import never_sent

log = logging.getLogger(__name__)

Send = Callable[[int, Reply], Awaitable[None]]
Clock = Callable[[], float]

PER_CHAT_GAP = dt.timedelta(seconds=1)  # between two outbox messages to one chat
NETWORK_RETRY = dt.timedelta(seconds=30)
# A claim is sent from only this long: later, its lease may run out and another replica
# claim the same messages (the rest of the batch becomes due again when its lease ends).
SEND_WITHIN = LEASE.total_seconds() / 2


class OutboxDispatcher:
    def __init__(
        self,
        source: OutboxSource,
        send: Send,
        *,
        interval: float = 1.0,
        batch: int = 30,
        clock: Clock = time.monotonic,
    ) -> None:
        self.source = source
        self.send = send
        self.interval = interval
        self.batch = batch
        self.clock = clock
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(self.run(), name="outbox")

    async def stop(self) -> None:
        """Finish the message being sent, then stop."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def run(self) -> None:
        while not self._stop.is_set():
            try:
                sent = await self.drain_once()
            except Exception:
                log.exception("outbox: reading the outbox failed")
                sent = 0
            if not sent:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self.interval)

    async def drain_once(self) -> int:
        """One pass over what is due; returns how many messages went out."""
        sent = 0
        claimed_at = self.clock()
        for message in await self.source.claim(self.batch):
            if self._stop.is_set() or self.clock() - claimed_at >= SEND_WITHIN:
                break
            if await self._deliver(message):
                sent += 1
        return sent

    async def _deliver(self, message: OutgoingMessage) -> bool:
        chat_id = chat_id_of(message.recipient)
        if chat_id is None:
            await self.source.mark_failed(message.id, "not a Telegram recipient", None)
            return False
        try:
            await self.send(chat_id, message.reply)
        except RetryAfter as e:
            # The rate limiter already waited and retried; leave it for later.
            await self._fail(message, f"rate limited: {e}", e.retry_after)
            return False
        except TimedOut as e:
            if never_sent(e):  # no connection within the retries: try again later
                await self._fail(message, f"network: {e}", NETWORK_RETRY)
                return False
            # The request went out and no answer came: it may well have been delivered.
            await self.source.mark_failed(
                message.id, f"timed out, may have been delivered; not resent: {e}", None
            )
            return False
        except (Forbidden, BadRequest) as e:
            # Blocked the bot, deleted the account, or a message Telegram refuses: final.
            await self.source.mark_failed(message.id, f"{type(e).__name__}: {e}", None)
            return False
        except NetworkError as e:
            await self._fail(message, f"network: {e}", NETWORK_RETRY)
            return False
        except TelegramError as e:
            await self.source.mark_failed(message.id, f"{type(e).__name__}: {e}", None)
            return False
        await self.source.mark_sent(message.id)
        return True

    async def _fail(
        self, message: OutgoingMessage, error: str, after: dt.timedelta | float
    ) -> None:
        delay = after if isinstance(after, dt.timedelta) else dt.timedelta(seconds=after)
        retry_at = dt.datetime.now(dt.UTC) + delay
        log.warning("outbox: message %d not sent, retry at %s", message.id, retry_at.isoformat())
        await self.source.mark_failed(message.id, error, retry_at)
