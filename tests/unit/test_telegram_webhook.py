"""The webhook server on its own: the secret is checked before the body is read, a body over
1 MiB is refused, and only a well-formed update from Telegram reaches the bot."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.engine.process import free_port
from bot.telegram.webhook import MAX_BODY, SECRET_HEADER, WebhookServer

SECRET = "s3cret_Token-for-the-hook"


class Hook:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/telegram/hook"
        self.port = port
        self.received: list[dict[str, Any]] = []


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    port = free_port()
    running = Hook(port)

    async def receive(data: dict[str, Any]) -> None:
        running.received.append(data)

    server = WebhookServer("telegram/hook", SECRET, receive)
    server.start("127.0.0.1", port)
    yield running
    await server.stop()


async def post(hook: Hook, body: bytes, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with httpx.AsyncClient() as http:
        return (await http.post(hook.url, content=body, headers=headers)).status_code


async def test_an_update_with_the_secret_is_received(hook: Hook) -> None:
    update = {"update_id": 1, "message": {"message_id": 1, "text": "hallo"}}
    assert await post(hook, json.dumps(update).encode()) == 200
    assert hook.received == [update]


@pytest.mark.parametrize(
    "secret", [None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper(), "0" * len(SECRET)]
)
async def test_anything_but_the_exact_secret_is_refused(hook: Hook, secret: str | None) -> None:
    assert await post(hook, b'{"update_id": 2}', secret) == 403
    assert hook.received == []


async def test_a_body_over_one_mebibyte_is_refused(hook: Hook) -> None:
    filler = "x" * MAX_BODY
    body = json.dumps({"update_id": 3, "message": {"text": filler}}).encode()
    assert len(body) > MAX_BODY
    assert await post(hook, body) == 413
    assert await post(hook, body, secret="wrong") == 403  # the secret is checked first
    just_fits = json.dumps({"update_id": 4, "pad": "y" * (MAX_BODY - 100)}).encode()
    assert len(just_fits) <= MAX_BODY
    assert await post(hook, just_fits) == 200
    assert [u["update_id"] for u in hook.received] == [4]


async def test_a_huge_announced_body_is_refused_before_it_is_sent(hook: Hook) -> None:
    """Headers announcing 100 MB get their answer at once: the server does not wait for (or
    read) the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
    writer.write(
        (
            "POST /telegram/hook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\n{SECRET_HEADER}: {SECRET}\r\n"
            f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), timeout=5)
    writer.close()
    assert status_line.split()[1] == b"413"
    assert hook.received == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b""])
async def test_a_body_that_is_not_an_update_is_a_bad_request(hook: Hook, body: bytes) -> None:
    assert await post(hook, body) == 400
    assert hook.received == []


async def test_other_paths_and_methods_are_not_served(hook: Hook) -> None:
    async with httpx.AsyncClient() as http:
        headers = {SECRET_HEADER: SECRET}
        assert (await http.get(hook.url, headers=headers)).status_code == 405
        other = hook.url.replace("/hook", "/other")
        assert (await http.post(other, content=b"{}", headers=headers)).status_code == 404
    assert hook.received == []
