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


async def test_the_token_goes_as_rasas_query_parameter_and_a_wrong_one_is_named() -> None:
    from bot.core.understanding import EngineBadResponse
    from bot.monitoring.metrics import ENGINE_ERRORS

    # What rasa/server.py's requires_auth does with `rasa run --auth-token`: ?token= or 401.
    def rasa(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("token") != "right":
            return httpx.Response(401, json={"reason": "NotAuthenticated"})
        if request.url.path == "/status":
            return httpx.Response(200, json={"model_file": "nlu.tar.gz"})
        return httpx.Response(
            200,
            json={
                "intent": {"name": "greet", "confidence": 0.9},
                "intent_ranking": [{"name": "greet", "confidence": 0.9}],
            },
        )

    right = EngineClient("http://engine", token="right", transport=httpx.MockTransport(rasa))
    wrong = EngineClient("http://engine", token="wrong", transport=httpx.MockTransport(rasa))
    assert (await right.parse("hallo")).intent == "greet"
    assert await right.ready() is True
    assert await wrong.ready() is False
    before = ENGINE_ERRORS.labels("bad_response")._value.get()
    with pytest.raises(EngineBadResponse, match="MIP_ENGINE_TOKEN") as failure:
        await wrong.parse("hallo")
    assert "wrong" not in str(failure.value) and "token=" not in wrong.base_url
    assert ENGINE_ERRORS.labels("bad_response")._value.get() == before + 1
    await right.aclose()
    await wrong.aclose()
