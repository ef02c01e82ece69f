"""The engine client's deadline covers the whole call, so a slow engine costs at most
MIP_ENGINE_TIMEOUT and the user still has the menu within 2 seconds."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bot.config import Settings
from bot.core.understanding import EngineUnavailable
from bot.engine.client import EngineClient


async def test_an_engine_that_trickles_its_answer_is_cut_off_at_the_deadline() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={})

    client = EngineClient("http://engine", timeout=0.3, transport=httpx.MockTransport(slow))
    started = time.monotonic()
    with pytest.raises(EngineUnavailable):
        await client.parse("jak się zameldować")
    assert time.monotonic() - started < 0.6
    await client.aclose()


def test_the_default_deadline_leaves_room_for_the_rest_of_the_reply() -> None:
    assert Settings.from_env({}).engine_timeout <= 1.5
