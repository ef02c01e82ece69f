"""The intent contract (intents/contract.yml): topics, intents and what kind each one is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml


class Kind(StrEnum):
    ANSWER = "answer"
    ACTION = "action"
    SMALLTALK = "smalltalk"


@dataclass(frozen=True)
class Intent:
    name: str
    topic: str
    kind: Kind
    about: str
    since: int = 1  # the contract version that added it (the shared first version is 1)


# The pseudo-intent the engine's FallbackClassifier returns when it is unsure.
FALLBACK = "nlu_fallback"
# Conversation texts that live in content/<lang>/ beside the answers.
TEXT_INTENTS = ("greet", "goodbye", "thanks", "bot_help", "out_of_scope")
# The topic whose intents are the conversation itself, not a subject of the menu.
CONVERSATION_TOPIC = "conversation"


@dataclass(frozen=True)
class Contract:
    intents: dict[str, Intent]
    topics: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path) -> Contract:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        intents: dict[str, Intent] = {}
        topics: dict[str, tuple[str, ...]] = {}
        for topic, members in raw.items():
            topics[topic] = tuple(members)
            for name, spec in members.items():
                intents[name] = Intent(
                    name, topic, Kind(spec["kind"]), spec.get("about", ""), spec.get("since", 1)
                )
        return cls(intents, topics)

    @property
    def answer_intents(self) -> tuple[str, ...]:
        return tuple(n for n, i in self.intents.items() if i.kind is Kind.ANSWER)

    @property
    def menu_topics(self) -> tuple[str, ...]:
        return tuple(t for t in self.topics if t != CONVERSATION_TOPIC)

    def content_intents(self) -> tuple[str, ...]:
        """Intents that need a content file in every language."""
        return self.answer_intents + TEXT_INTENTS

    def is_answer(self, name: str) -> bool:
        intent = self.intents.get(name)
        return intent is not None and intent.kind is Kind.ANSWER
