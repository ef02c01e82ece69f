"""Held-out evaluation: intents/tests/<lang>.yml through the real engine and language detection.

This module runs the messages and records what happened (`Outcome`); bot/eval_metrics.py turns
outcomes into numbers and bot/eval_report.py into a report with charts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.core.understanding import IntentParser, LanguageDetector
from bot.evaluation.nlu_files import read_examples
from bot.evaluation.style_tags import style_tags
from bot.language.codes import SUPPORTED

# Messages in flight at once: the engine answers one at a time, a few hide the HTTP round trip.
CONCURRENCY = 4


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str
    styles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    example: Example
    predicted: str
    confidence: float
    detected: str | None  # the language detection's answer (None: unsure or unsupported)
    language_ok: bool


def load_examples(tests_dir: Path) -> list[Example]:
    """The held-out split, each message with its style tags (computed, so they never drift
    from the text)."""
    return [
        Example(e.text, e.intent, language, tuple(style_tags(e.text, language)))
        for language in SUPPORTED
        for e in read_examples(tests_dir / f"{language}.yml")
    ]


def language_ok(example: Example, detected: str | None, unsupported: bool) -> bool:
    """Right language, or "unsure" on 1-2 words, where the bot keeps the conversation's
    language by design."""
    return detected == example.language or (
        detected is None and not unsupported and len(example.text.split()) <= 2
    )


async def predict(
    examples: list[Example],
    engine: IntentParser,
    languages: LanguageDetector,
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Every example through the engine and the language detection, in the given order."""
    limit = asyncio.Semaphore(CONCURRENCY)
    done = 0

    async def one(example: Example) -> Outcome:
        nonlocal done
        async with limit:
            parsed = await engine.parse(example.text)
        detection = languages.detect(example.text)
        done += 1
        if progress:
            progress(done, len(examples))
        return Outcome(
            example,
            parsed.intent,
            parsed.confidence,
            detection.language,
            language_ok(example, detection.language, detection.unsupported),
        )

    return list(await asyncio.gather(*(one(e) for e in examples)))
