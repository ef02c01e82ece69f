"""The Bot API HTTP client: retries what certainly did not reach Telegram, never what may have.

Telegram has no idempotency key, so a request that timed out while waiting for the answer
may already have delivered its message; retrying it could send it twice. Retried:
connection refused or not established in time, no free connection in the pool (the request
was never written), and 5xx answers (the Bot API server did not carry the request out).
429 is the rate limiter's (AIORateLimiter honours retry_after).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

# The type of PTB's own timeout parameters (a value, None, or 'use the default').
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def never_sent(error: NetworkError) -> bool:
    return isinstance(error.__cause__, NOT_SENT)


def may_have_arrived(error: NetworkError) -> bool:
    """The request went out and failed afterwards (a read timeout, the connection cut off
    before the answer): Telegram may have carried it out. A 5xx answer (no httpx cause) says
    it did not."""
    cause = error.__cause__
    return isinstance(cause, httpx.HTTPError) and not isinstance(cause, NOT_SENT)


class RetryingRequest(HTTPXRequest):
    def __init__(self, *, attempts: int = 3, backoff: float = 0.5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.attempts = attempts
        self.backoff = backoff

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]  # never the URL itself: it holds the token
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                code, payload = await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout=read_timeout,
                    write_timeout=write_timeout,
                    connect_timeout=connect_timeout,
                    pool_timeout=pool_timeout,
                )
            except NetworkError as e:
                if last or not never_sent(e):
                    raise
                log.warning("Bot API %s not sent (%s), retry %d", api_method, e, attempt)
            else:
                if code < 500 or last:
                    return code, payload
                log.warning("Bot API %s answered HTTP %d, retry %d", api_method, code, attempt)
            await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")
