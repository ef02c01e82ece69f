"""Retries at the Bot API edge: what surely was not sent is retried, what may have been is not."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from tests.unit.fake_botapi import FakeBotApi


async def send(api: FakeBotApi) -> None:
    async with Bot("123:abc", request=api.request(backoff=0.0)) as bot:
        await bot.send_message(1, "hej")


def sends(api: FakeBotApi) -> int:
    return len(api.sent())


async def test_a_refused_connection_is_retried_and_the_message_goes_once() -> None:
    api = FakeBotApi(
        failures={"sendMessage": [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")]}
    )
    await send(api)
    assert sends(api) == 3  # two attempts that never left, one that arrived


async def test_a_5xx_is_retried() -> None:
    api = FakeBotApi(
        failures={
            "sendMessage": [httpx.Response(502, json={"ok": False, "description": "Bad Gateway"})]
        }
    )
    await send(api)
    assert sends(api) == 2


async def test_a_read_timeout_is_not_retried_because_the_message_may_have_gone() -> None:
    api = FakeBotApi(failures={"sendMessage": [httpx.ReadTimeout("no answer")]})
    with pytest.raises(TimedOut):
        await send(api)
    assert sends(api) == 1


async def test_a_dropped_connection_after_sending_is_not_retried() -> None:
    api = FakeBotApi(failures={"sendMessage": [httpx.RemoteProtocolError("closed mid-answer")]})
    with pytest.raises(NetworkError):
        await send(api)
    assert sends(api) == 1


async def test_429_is_left_to_the_rate_limiter_with_its_retry_after() -> None:
    too_many = httpx.Response(
        429,
        json={
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests",
            "parameters": {"retry_after": 7},
        },
    )
    api = FakeBotApi(failures={"sendMessage": [too_many]})
    with pytest.raises(RetryAfter) as caught:
        await send(api)
    assert caught.value.retry_after == dt.timedelta(seconds=7)
    assert sends(api) == 1


async def test_connection_failures_give_up_after_three_attempts() -> None:
    api = FakeBotApi(failures={"sendMessage": [httpx.ConnectError("refused")] * 5})
    with pytest.raises(NetworkError):
        await send(api)
    assert sends(api) == 3
