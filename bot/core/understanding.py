"""What the core needs from an intent engine: a parse result, the errors, and the interface.

The Rasa HTTP client (bot.engine.client) implements `IntentParser`; the core decides what
happens when the engine is down or unsure. Errors::

    EngineError            anything that kept the engine from answering
    ├── EngineUnavailable  not reachable, refused, or too slow (timeout)
    └── EngineBadResponse  answered, but not with a parse result
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.language.identify import Detection


class EngineError(Exception):
    """The engine did not give a usable answer."""


class EngineUnavailable(EngineError):
    """Not reachable, connection refused, or no answer within the timeout."""


class EngineBadResponse(EngineError):
    """The engine answered with something that is not a parse result."""


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True)
class ParseResult:
    intent: str
    confidence: float
    ranking: tuple[IntentScore, ...]


class IntentParser(Protocol):
    async def parse(self, text: str, *, sent: asyncio.Event | None = None) -> ParseResult:
        """The engine's reading of a message. `sent` is set once the request has left, so
        the caller can do its own work while the engine reads."""
        ...


class LanguageDetector(Protocol):
    """Which language a message is in (bot.language.identify implements it)."""

    def detect(self, text: str) -> Detection: ...
