"""Fixtures of the unit tier: the conversation core with the handoff queue on SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.clock import ManualClock
from bot.core.conversation import Conversation
from bot.core.events import Reply, UserEvent
from bot.core.handoff.hours import Schedule
from bot.handoff import Handoff, build_handoff
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from bot.storage.outbox import SqlOutbox
from tests.handoff_cases import MONDAY_MORNING, SCHEDULE
from tests.unit.test_conversation import ScriptedEngine


@dataclass
class Desk:
    core: Conversation
    queue: Handoff
    outbox: SqlOutbox
    engine: ScriptedEngine

    async def delivered(self) -> dict[str, list[Reply]]:
        out: dict[str, list[Reply]] = {}
        while due := await self.outbox.due(limit=100):
            for message in due:
                out.setdefault(message.recipient, []).append(message.reply)
                await self.outbox.mark_sent(message)
        return out

    async def key_person(self, user_key: str, languages: list[str], name: str = "") -> None:
        token = await self.queue.key_persons.create_invite(languages, name)
        [welcome] = await self.core.handle(UserEvent.command(user_key, f"/start {token}"))
        assert "/queue" in welcome.text


@pytest.fixture
async def desk(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> AsyncIterator[Desk]:
    clock = ManualClock(MONDAY_MORNING)
    queue = build_handoff(sqlite_states.db, Schedule.load(SCHEDULE), content.title, clock=clock)
    engine = ScriptedEngine(intent="nlu_fallback", confidence=0.1)
    core = Conversation(contract, content, engine, language_id, sqlite_states, handoff=queue)
    yield Desk(core, queue, SqlOutbox(sqlite_states.db, clock), engine)
