"""The Rasa intent engine: an HTTP client, and the local engine's setup, training and process.

The result types and errors are the core's (bot.core.understanding); the client raises them.

Errors the client raises::

    EngineError            anything that kept the engine from answering
    ├── EngineUnavailable  not reachable, refused, or too slow (timeout)
    └── EngineBadResponse  answered, but not with a parse result
"""

from bot.core.understanding import (
    EngineBadResponse,
    EngineError,
    EngineUnavailable,
    IntentScore,
    ParseResult,
)
from bot.engine.client import EngineClient

__all__ = [
    "EngineBadResponse",
    "EngineClient",
    "EngineError",
    "EngineUnavailable",
    "IntentScore",
    "ParseResult",
]
