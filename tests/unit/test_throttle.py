"""The flood brake: 50 messages in 10 seconds get a few answers and one slow-down notice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.conversation import Conversation
from bot.core.events import UserEvent
from bot.core.throttle import Throttle, ThrottledConversation, Verdict
from bot.language.i18n import Texts
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from tests.unit.conftest import Desk
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


async def test_a_key_person_pasting_ten_parts_reaches_the_user_with_all_ten(desk: Desk) -> None:
    await desk.key_person("tg:kp", ["pl"], name="Ala")
    await desk.core.handle(UserEvent.button("tg:u", callbacks.language("pl")))
    await desk.core.handle(UserEvent.button("tg:u", callbacks.PERSON))
    ticket = await desk.queue.tickets.active_ticket("tg:u")
    assert ticket is not None
    await desk.core.handle(UserEvent.button("tg:kp", callbacks.claim(ticket.code)))
    await desk.delivered()
    clock = Clock()
    throttled = ThrottledConversation(desk.core, Throttle(clock=clock))
    for part in range(10):  # all within a second
        assert await throttled.handle(UserEvent.message("tg:kp", f"część {part} odpowiedzi")) == []
        clock.now += 0.1
    relayed = (await desk.delivered())["tg:u"]
    assert [r.text.rsplit("\n", 1)[-1] for r in relayed] == [
        f"część {part} odpowiedzi" for part in range(10)
    ]
    # Over even the key persons' limit: each message is answered, none dropped unseen.
    answers = [await throttled.handle(UserEvent.message("tg:kp", f"dalej {i}")) for i in range(25)]
    refused = [a for a in answers if a]
    assert len(refused) == 5 and all(len(a) == 1 for a in refused)
    assert refused[0][0].text == Texts("pl").gettext(
        "You are sending faster than I can pass messages on: this message was not passed on. Please send it again in a few seconds."
    )
    passed = [r.text for r in (await desk.delivered())["tg:u"]]
    assert len(passed) == 20 and len(passed) + len(refused) == 25
