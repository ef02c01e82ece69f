"""Delivers the outbox (bot.core.outgoing): messages the core wrote for users other than the sender.

A background task of the running bot. It sends through the same Bot as the replies, so the
same rate limiter (about 30 messages a second overall) and retries apply. Each pass claims
one message per recipient (the outbox orders them: conversations first, then the oldest) and
sends to different chats concurrently. What it sends it has claimed (bot.storage.outbox), so
replicas never send a message twice, and the outbox keeps about a second between two
messages to the same chat (PER_CHAT_GAP, Telegram's advice per chat) whichever replica
sends them.

What Telegram answers decides what happens to a message (nothing is dropped silently):

    delivered                                  deleted from the outbox
    429 (after the rate limiter's retries)     retried after Telegram's retry_after
    not sent: connection refused, 5xx          retried after NETWORK_RETRY
    400 (too long, chat not found), 403        a dead letter; its sender is told
    sent, then no answer (timeout, cut off)    recorded as uncertain; never sent twice
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.events import Reply
from bot.core.outgoing import OutboxSource, OutgoingMessage
from bot.storage.outbox import HELD
from bot.telegram.adapter import send_part
from bot.telegram.mapping import OutgoingPart, chat_id_of, parts_for
from bot.telegram.request import may_have_arrived
from bot.telegram.signing import CallbackSigner

log = logging.getLogger(__name__)

Clock = Callable[[], float]

PER_CHAT_GAP = dt.timedelta(seconds=1)  # between two outbox messages to one chat
NETWORK_RETRY = dt.timedelta(seconds=30)
CONCURRENCY = 8  # chats sent to at once (the rate limiter keeps the overall pace)
# A claim is started only this long after it was made: later, its lease may run out and
# another replica claim the same message (what is left becomes due when its lease ends).
SEND_WITHIN = HELD.total_seconds()


class PartSender(Protocol):
    """Turns a reply into Bot API messages and sends one (bot.telegram.adapter does both)."""

    def parts(self, chat_id: int, reply: Reply) -> Sequence[OutgoingPart]: ...

    async def send(self, chat_id: int, part: OutgoingPart) -> None: ...


class BotSender:
    """PartSender on a Bot: the adapter's rendering and signed buttons, the Bot's limiter."""

    def __init__(self, bot: Bot, signer: CallbackSigner) -> None:
        self.bot = bot
        self.signer = signer

    def parts(self, chat_id: int, reply: Reply) -> Sequence[OutgoingPart]:
        return parts_for(reply, chat_id, self.signer)

    async def send(self, chat_id: int, part: OutgoingPart) -> None:
        await send_part(self.bot, chat_id, part)


class OutboxDispatcher:
    def __init__(
        self,
        source: OutboxSource,
        sender: PartSender,
        *,
        interval: float = 1.0,
        batch: int = 30,
        concurrency: int = CONCURRENCY,
        clock: Clock = time.monotonic,
        network_retry: dt.timedelta = NETWORK_RETRY,
    ) -> None:
        self.source = source
        self.sender = sender
        self.interval = interval
        self.batch = batch
        self.concurrency = concurrency
        self.clock = clock
        self.network_retry = network_retry
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(self.run(), name="outbox")

    async def stop(self) -> None:
        """Finish the messages being sent, then stop."""
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
        claimed_at = self.clock()
        messages = await self.source.claim(self.batch)
        limit = asyncio.Semaphore(self.concurrency)

        async def one(message: OutgoingMessage) -> bool:
            async with limit:
                if self._stop.is_set() or self.clock() - claimed_at >= SEND_WITHIN:
                    return False  # left claimed: due again when the lease ends
                return await self._deliver(message)

        results = await asyncio.gather(*(one(m) for m in messages), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                log.error("outbox: delivery failed", exc_info=result)
        return sum(result is True for result in results)

    async def _deliver(self, message: OutgoingMessage) -> bool:
        chat_id = chat_id_of(message.recipient)
        if chat_id is None:
            await self.source.mark_dead(message, "not a Telegram recipient")
            return False
        parts = self.sender.parts(chat_id, message.reply)
        sent = message.parts_sent
        try:
            for part in parts[sent:]:
                await self.sender.send(chat_id, part)
                sent += 1
        except RetryAfter as e:
            # The rate limiter already waited and retried; Telegram says when to come back.
            wait = e.retry_after
            delay = wait if isinstance(wait, dt.timedelta) else dt.timedelta(seconds=wait)
            await self._retry(message, f"rate limited: {e}", delay, sent)
            return False
        except (Forbidden, BadRequest) as e:
            # Blocked the bot, deleted the account, too long, chat not found: final.
            await self.source.mark_dead(message, f"{type(e).__name__}: {e}")
            return False
        except NetworkError as e:  # TimedOut is one
            if may_have_arrived(e):
                # The request went out and no answer came: never sent twice.
                await self.source.mark_uncertain(message, f"{e}", sent + 1, len(parts))
                return False
            await self._retry(message, f"not sent: {e}", self.network_retry, sent)
            return False
        except TelegramError as e:
            await self.source.mark_dead(message, f"{type(e).__name__}: {e}")
            return False
        await self.source.mark_sent(message)
        return True

    async def _retry(
        self, message: OutgoingMessage, error: str, delay: dt.timedelta, sent: int
    ) -> None:
        code = f"#{message.ticket}" if message.ticket else "no ticket"
        log.warning("outbox: %s of %s not sent, retry in %s", message.kind, code, delay)
        await self.source.mark_failed(message, error, delay, sent)
