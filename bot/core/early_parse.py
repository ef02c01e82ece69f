"""Asking the engine as soon as a message arrives, before the bot knows it will need the answer.

Most messages are questions for the engine, and the engine runs in its own process: while it
reads the message, this process can check the update was not handled before, load the
conversation, identify the language and look for crisis words. Waiting for the engine after
all that made the whole bot about twice as slow as the engine alone (bench/RESULTS.md). When
the message turns out not to need the engine (a crisis, an unsupported language, a message
inside a ticket), its answer is simply not used.
"""

from __future__ import annotations

import asyncio

from bot.core.understanding import IntentParser, ParseResult

# How long to wait for the request to leave before doing other work anyway.
SEND_WAIT = 0.05
FIRST = asyncio.FIRST_COMPLETED


class EarlyParse:
    """A parse started now; `result(text)` waits for it, or parses anew if the text differs."""

    def __init__(self, engine: IntentParser, text: str) -> None:
        self.engine = engine
        self.text = text
        self._sent = asyncio.Event()
        self._task = asyncio.create_task(engine.parse(text, sent=self._sent))
        self._task.add_done_callback(_retrieve)

    async def sent(self) -> None:
        """Returns once the request is written, so that the engine works in parallel."""
        if self._task.done() or self._sent.is_set():
            return
        written = asyncio.ensure_future(self._sent.wait())
        try:
            await asyncio.wait({written, self._task}, timeout=SEND_WAIT, return_when=FIRST)
        finally:
            written.cancel()

    async def result(self, text: str) -> ParseResult:
        if text != self.text:
            return await self.engine.parse(text)
        return await self._task


def _retrieve(task: asyncio.Task[ParseResult]) -> None:
    # An unused parse that failed (engine down) is reported by the parse that is used.
    if not task.cancelled():
        task.exception()
