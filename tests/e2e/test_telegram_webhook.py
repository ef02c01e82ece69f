"""Webhook mode: Telegram (the emulator) posts updates with the secret token; anything
without it is refused, and an update posted twice is answered once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.config import Secret, Webhook
from bot.content.store import ContentStore
from bot.engine.process import free_port
from tests.e2e.conftest import RunningBot, Shared, start_bot
from tests.e2e.tailored import answer_stay, tailored

pytestmark = pytest.mark.e2e
SECRET = "e2e_webhook-Secret"


@pytest.fixture
async def hooked(
    shared: Shared, botapi_url: str, engine_url: str, tmp_path: Path
) -> AsyncIterator[tuple[RunningBot, Webhook]]:
    port = free_port()
    hook = Webhook(f"http://127.0.0.1:{port}/telegram/hook", Secret(SECRET), "127.0.0.1", port)
    async for running in start_bot(shared, botapi_url, engine_url, tmp_path, hook):
        yield running, hook


async def test_updates_arrive_by_webhook_and_are_answered(
    hooked: tuple[RunningBot, Webhook], content: ContentStore
) -> None:
    bot, _ = hooked
    chat = bot.chat("bg")
    await chat.say("как да си направя здравна осигуровка")
    # The stay question, then the button press: a callback update, also by webhook.
    answer = await answer_stay(chat, await chat.reply(), "bg", "mid")
    tailored(content, "bg", "health_insurance", "mid").check(answer.plain)


async def test_a_post_without_the_secret_is_refused(hooked: tuple[RunningBot, Webhook]) -> None:
    bot, hook = hooked
    chat = bot.chat("nl")
    update = {"update_id": 900_001, "message": chat.message(message_id=1, text="/start")}
    async with httpx.AsyncClient() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            response = await http.post(hook.url, json=update, headers=headers)
            assert response.status_code == 403
    assert await chat.silence(0.5) == []


async def test_an_update_posted_twice_is_answered_once(hooked: tuple[RunningBot, Webhook]) -> None:
    bot, hook = hooked
    chat = bot.chat("nl")
    update = {"update_id": 900_002, "message": chat.message(message_id=2, text="/menu")}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient() as http:
        for _ in range(2):
            response = await http.post(hook.url, json=update, headers=headers)
            assert response.status_code == 200
    await chat.reply()
    assert await chat.silence(0.7) == []


async def test_a_body_over_the_limit_is_refused_and_the_bot_carries_on(
    hooked: tuple[RunningBot, Webhook],
) -> None:
    bot, hook = hooked
    chat = bot.chat("nl")
    padding = "x" * (1 << 20)
    update = {"update_id": 900_003, "message": chat.message(message_id=3, text=padding)}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient() as http:
        assert (await http.post(hook.url, json=update, headers=headers)).status_code == 413
    assert await chat.silence(0.5) == []
    await chat.say("/menu")  # the next update, by the emulator's webhook, is answered
    assert (await chat.reply()).buttons
