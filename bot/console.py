"""The terminal chat: a second adapter over the same core. Buttons become numbered choices."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.content.render import render_plain
from bot.core.conversation import Conversation
from bot.core.events import Button, Reply, UserEvent
from bot.core.outgoing import OutboxSource

USER_KEY = "console:local"
QUIT = ("/quit", "/exit", "/q")


def format_reply(reply: Reply, first_number: int = 1) -> str:
    text = render_plain(reply.text) if reply.markdown else reply.text
    lines = [text]
    number = first_number
    for row in reply.buttons:
        cells = []
        for button in row:
            cells.append(f"[{number}] {button.label}")
            number += 1
        lines.append("   ".join(cells))
    return "\n".join(lines)


async def chat(
    conversation: Conversation,
    *,
    language: str | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    user_key: str = USER_KEY,
    outbox: OutboxSource | None = None,
    poll_interval: float = 1.0,
) -> None:
    """Chat as `user_key`. Messages that others (e.g. a key person chatting in another
    terminal on the same database) send to this user arrive through `outbox`."""
    hint = os.environ.get("LANG", "").split(".")[0] or None
    interactive = stdin.isatty()
    buttons: list[Button] = []

    def show(replies: list[Reply]) -> None:
        nonlocal buttons
        buttons = []
        for reply in replies:
            print(format_reply(reply, len(buttons) + 1), file=stdout)
            print(file=stdout)
            buttons.extend(reply.button_list)
        stdout.flush()

    async def send(event: UserEvent) -> None:
        show(await conversation.handle(event))
        await deliver()

    async def deliver() -> None:
        if outbox is None:
            return
        messages = await outbox.due(recipient=user_key)
        for message in messages:
            await outbox.mark_sent(message)
        if messages:
            show([m.reply for m in messages])

    async def poll() -> None:
        while True:
            await asyncio.sleep(poll_interval)
            await deliver()

    poller = asyncio.create_task(poll())
    try:
        await _read_loop(
            send, stdin, stdout, interactive, language, hint, user_key, lambda: buttons
        )
    finally:
        poller.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await poller


async def _read_loop(
    send: Callable[[UserEvent], Awaitable[None]],
    stdin: TextIO,
    stdout: TextIO,
    interactive: bool,
    language: str | None,
    hint: str | None,
    user_key: str,
    current_buttons: Callable[[], list[Button]],
) -> None:
    if language:
        await send(UserEvent.button(user_key, f"lang:{language}", hint))
    else:
        await send(UserEvent.command(user_key, "start", hint))
    if interactive:
        print("(Type your question, a number to press a button, or /quit.)", file=stdout)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        if line in QUIT:
            break
        buttons = current_buttons()
        if line.isdigit() and 1 <= int(line) <= len(buttons):
            await send(UserEvent.button(user_key, buttons[int(line) - 1].data, hint))
        elif line.startswith("/"):
            await send(UserEvent.command(user_key, line, hint))
        else:
            await send(UserEvent.message(user_key, line, hint))
