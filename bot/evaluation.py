"""Held-out evaluation: intents/tests/<lang>.yml through the real engine and language detection."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.contract import FALLBACK
from bot.core.conversation import IntentParser, LanguageDetector
from bot.languages import SUPPORTED


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str


@dataclass
class LanguageScore:
    total: int = 0
    intent_correct: int = 0
    language_correct: int = 0
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_correct / self.total if self.total else 0.0

    @property
    def language_accuracy(self) -> float:
        return self.language_correct / self.total if self.total else 0.0


def load_examples(tests_dir: Path) -> list[Example]:
    examples = []
    for language in SUPPORTED:
        path = tests_dir / f"{language}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in data["nlu"]:
            for line in str(block["examples"]).splitlines():
                if line.strip().startswith("- "):
                    examples.append(Example(line.strip()[2:].strip(), block["intent"], language))
    return examples


async def evaluate(
    examples: list[Example], engine: IntentParser, languages: LanguageDetector
) -> dict[str, LanguageScore]:
    """Per language. Language identification counts "unsure" as correct only for 1-2 words,
    where the bot keeps the conversation's language by design."""
    scores: dict[str, LanguageScore] = defaultdict(LanguageScore)
    for example in examples:
        score = scores[example.language]
        score.total += 1
        parsed = await engine.parse(example.text)
        predicted = parsed.intent
        if predicted == example.intent or (
            predicted == FALLBACK and example.intent == "out_of_scope"
        ):
            score.intent_correct += 1
        else:
            score.confusions[(example.intent, predicted)] += 1
        detected = languages.detect(example.text)
        if detected.language == example.language or (
            detected.language is None
            and not detected.unsupported
            and len(example.text.split()) <= 2
        ):
            score.language_correct += 1
    return dict(scores)


def summary(scores: dict[str, LanguageScore]) -> str:
    lines = ["language  examples  intent accuracy  language id"]
    for language in SUPPORTED:
        s = scores.get(language)
        if s:
            lines.append(
                f"{language:<9} {s.total:>8}  {s.intent_accuracy:>15.1%}  {s.language_accuracy:>11.1%}"
            )
    return "\n".join(lines)
