"""The terminal chat: a second adapter over the same core. Buttons become numbered choices."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import TextIO

from bot.content.render import render_plain
from bot.core.conversation import Conversation
from bot.core.events import Button, Reply, UserEvent

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
) -> None:
    hint = os.environ.get("LANG", "").split(".")[0] or None
    interactive = stdin.isatty()
    buttons: list[Button] = []

    async def send(event: UserEvent) -> None:
        nonlocal buttons
        replies = await conversation.handle(event)
        buttons = []
        for reply in replies:
            print(format_reply(reply, len(buttons) + 1), file=stdout)
            print(file=stdout)
            buttons.extend(reply.button_list)
        stdout.flush()

    if language:
        await send(UserEvent.button(USER_KEY, f"lang:{language}", hint))
    else:
        await send(UserEvent.command(USER_KEY, "start", hint))
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
        if line.isdigit() and 1 <= int(line) <= len(buttons):
            await send(UserEvent.button(USER_KEY, buttons[int(line) - 1].data, hint))
        elif line.startswith("/"):
            await send(UserEvent.command(USER_KEY, line.split()[0], hint))
        else:
            await send(UserEvent.message(USER_KEY, line, hint))
