"""The Rasa intent engine: an HTTP client, and the local engine's setup, training and process.

Errors the client raises::

    EngineError            anything that kept the engine from answering
    ├── EngineUnavailable  not reachable, refused, or too slow (timeout)
    └── EngineBadResponse  answered, but not with a parse result
"""

from bot.engine.client import (
    EngineBadResponse,
    EngineClient,
    EngineError,
    EngineUnavailable,
    IntentScore,
    ParseResult,
)

__all__ = [
    "EngineBadResponse",
    "EngineClient",
    "EngineError",
    "EngineUnavailable",
    "IntentScore",
    "ParseResult",
]
