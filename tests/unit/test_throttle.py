"""The flood brake: 50 messages in 10 seconds get a few answers and one slow-down notice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.conversation import Conversation
from bot.core.events import UserEvent
from bot.core.throttle import Throttle, ThrottledConversation, Verdict
from bot.language.i18n import Texts
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from tests.unit.test_conversation import ScriptedEngine


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_fifty_messages_in_ten_seconds_give_eight_answers_and_one_notice() -> None:
    clock = Clock()
    throttle = Throttle(limit=8, period=10.0, clock=clock)
    verdicts = []
    for _ in range(50):
        verdicts.append(throttle.check("tg:1"))
        clock.now += 0.2
    assert verdicts.count(Verdict.ALLOW) == 8
    assert verdicts.count(Verdict.NOTIFY) == 1
    assert verdicts[8] is Verdict.NOTIFY
    assert verdicts.count(Verdict.DROP) == 41


def test_after_a_pause_the_user_is_answered_again_and_warned_again_next_time() -> None:
    clock = Clock()
    throttle = Throttle(limit=3, period=10.0, clock=clock)
    assert [throttle.check("u") for _ in range(5)][-2:] == [Verdict.NOTIFY, Verdict.DROP]
    clock.now += 10.0
    assert throttle.check("u") is Verdict.ALLOW
    assert [throttle.check("u") for _ in range(3)][-1] is Verdict.NOTIFY


def test_a_normal_pace_is_never_throttled_and_users_are_independent() -> None:
    clock = Clock()
    throttle = Throttle(limit=8, period=10.0, clock=clock)
    for _ in range(100):
        assert throttle.check("calm") is Verdict.ALLOW
        clock.now += 1.5
    for _ in range(9):
        throttle.check("flood")
    assert throttle.check("calm") is Verdict.ALLOW


@pytest.fixture
async def throttled(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> AsyncIterator[tuple[ThrottledConversation, ScriptedEngine]]:
    engine = ScriptedEngine()
    core = Conversation(contract, content, engine, language_id, sqlite_states)
    yield ThrottledConversation(core, Throttle(limit=8, period=10.0)), engine


async def test_a_flood_reaches_the_engine_eight_times_and_gets_one_notice_in_polish(
    throttled: tuple[ThrottledConversation, ScriptedEngine],
) -> None:
    conversation, engine = throttled
    replies = []
    for i in range(50):
        replies.append(
            await conversation.handle(UserEvent.message("tg:9", f"jak się zameldować {i}", "pl"))
        )
    assert len(engine.asked) == 8
    notices = [r for rs in replies[8:] for r in rs]
    assert len(notices) == 1
    assert notices[0].text == Texts("pl").gettext(
        "You are sending messages faster than I can answer them. Please wait a few seconds, then send your question again."
    )
    assert (
        notices[0].text
        != "You are sending messages faster than I can answer them. Please wait a few seconds, then send your question again."
    )
