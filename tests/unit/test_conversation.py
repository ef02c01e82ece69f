"""The conversation core with real content, storage and language detection.

The engine is scripted here (it answers what each test says it answers); the integration
tier runs the same core against the real engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from babel.dates import format_date

from bot.content.render import render_plain
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.conversation import Conversation
from bot.core.events import Reply, UserEvent
from bot.core.understanding import EngineUnavailable, IntentScore, ParseResult
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from tests.conftest import filled

USER = "test:1"


@dataclass
class ScriptedEngine:
    """Answers `intent` for every text; records what it was asked. `hang`: never answers."""

    intent: str = "find_doctor"
    confidence: float = 0.93
    ranking: tuple[IntentScore, ...] = ()
    down: bool = False
    hang: bool = False
    asked: list[str] = field(default_factory=list)

    async def parse(self, text: str, *, sent: asyncio.Event | None = None) -> ParseResult:
        self.asked.append(text)
        if sent is not None:
            sent.set()
        if self.hang:
            await asyncio.Event().wait()
        if self.down:
            raise EngineUnavailable("scripted outage")
        ranking = self.ranking or (IntentScore(self.intent, self.confidence),)
        return ParseResult(self.intent, self.confidence, ranking)


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
async def core(
    contract: Contract,
    content: ContentStore,
    engine: ScriptedEngine,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> AsyncIterator[Conversation]:
    yield Conversation(contract, content, engine, language_id, sqlite_states)


def body(content: ContentStore, language: str, intent: str) -> str:
    """The answer as a user without a known stay or municipality sees it (untailored answers)."""
    answer = content.get(language, intent)
    assert answer is not None
    return filled(content, answer)


def data_of(reply: Reply) -> list[str]:
    return [b.data for b in reply.button_list]


async def test_start_greets_in_the_telegram_language_with_topics_and_language_switch(
    core: Conversation, content: ContentStore
) -> None:
    [reply] = await core.handle(UserEvent.command(USER, "start", locale_hint="pl-PL"))
    assert reply.text == body(content, "pl", "greet")
    assert reply.language == "pl"
    assert callbacks.topic("registration") in data_of(reply)
    assert callbacks.LANGUAGES in data_of(reply) and callbacks.PERSON in data_of(reply)


async def test_start_without_a_known_language_offers_the_choice(core: Conversation) -> None:
    [reply] = await core.handle(UserEvent.command(USER, "start", locale_hint="en"))
    assert data_of(reply) == ["lang:pl", "lang:bg", "lang:ro", "lang:nl"]
    assert [b.label for b in reply.button_list] == ["Polski", "Български", "Română", "Nederlands"]


async def test_question_is_answered_from_content_in_the_detected_language(
    core: Conversation, content: ContentStore, engine: ScriptedEngine
) -> None:
    [reply] = await core.handle(UserEvent.message(USER, "jak sie zameldowac w gminie w venlo?"))
    assert reply.markdown
    assert reply.text.startswith(body(content, "pl", "find_doctor"))
    reviewed = content.get("pl", "find_doctor").reviewed  # type: ignore[union-attr]
    assert format_date(reviewed, format="long", locale="pl") in reply.text  # babel's Polish date
    assert data_of(reply) == [
        callbacks.answer_feedback("find_doctor", True),
        callbacks.answer_feedback("find_doctor", False),
        callbacks.MENU,
        callbacks.PERSON,
    ]
    assert engine.asked == ["jak sie zameldowac w gminie w venlo?"]


async def test_language_is_remembered_when_a_message_has_no_language_signal(
    core: Conversation, content: ContentStore, engine: ScriptedEngine
) -> None:
    await core.handle(UserEvent.message(USER, "как да се регистрирам в общината"))
    engine.intent = "dentist"
    [reply] = await core.handle(UserEvent.message(USER, "bsn?"))
    assert reply.language == "bg"
    assert reply.text.startswith(body(content, "bg", "dentist"))


async def test_explicit_language_choice_wins_over_detection(
    core: Conversation, content: ContentStore
) -> None:
    replies = await core.handle(UserEvent.button(USER, callbacks.language("ro")))
    assert replies[0].language == "ro"
    [reply] = await core.handle(UserEvent.message(USER, "hoe schrijf ik me in bij de gemeente"))
    assert reply.language == "ro"
    assert reply.text.startswith(body(content, "ro", "find_doctor"))


async def test_the_engine_reads_the_message_while_the_bot_checks_the_update(
    core: Conversation, content: ContentStore, engine: ScriptedEngine
) -> None:
    asked_when_checked: list[list[str]] = []

    async def once() -> bool:
        await asyncio.sleep(0)  # the real check waits for its database
        asked_when_checked.append(list(engine.asked))
        return True

    question = "  gdzie znajde lekarza rodzinnego?  "
    [reply] = await core.handle(UserEvent.message(USER, question), once=once)
    assert asked_when_checked == [[question.strip()]]  # asked before the check, not after
    assert engine.asked == [question.strip()]  # and its answer used, not asked twice
    assert reply.text.startswith(body(content, "pl", "find_doctor"))


async def test_an_update_handled_before_changes_nothing(
    core: Conversation, engine: ScriptedEngine
) -> None:
    async def handled_before() -> bool:
        return False

    await core.handle(UserEvent.button(USER, callbacks.language("ro")))
    before = await core.states.load(USER)
    assert (
        await core.handle(UserEvent.message(USER, "ik wil een huisarts"), once=handled_before) == []
    )
    assert (
        await core.handle(UserEvent.button(USER, callbacks.language("nl")), once=handled_before)
        == []
    )
    await core.flush()
    assert await core.states.load(USER) == before


async def test_a_question_before_any_language_is_known_is_answered_after_the_choice(
    core: Conversation, content: ContentStore, engine: ScriptedEngine
) -> None:
    [picker] = await core.handle(UserEvent.message(USER, "bsn"))
    assert data_of(picker) == ["lang:pl", "lang:bg", "lang:ro", "lang:nl"]
    engine.intent = "dentist"
    confirm, answer = await core.handle(UserEvent.button(USER, callbacks.language("nl")))
    assert "Nederlands" in confirm.text
    # Parsed again after the choice: the engine's answer of then ("dentist") is used.
    assert answer.text.startswith(body(content, "nl", "dentist"))
    assert engine.asked[-1] == "bsn"


async def test_unsupported_language_gets_a_reply_in_the_remembered_language(
    core: Conversation, engine: ScriptedEngine
) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("pl")))
    replies = await core.handle(
        UserEvent.message(USER, "Доброго дня, як мені зареєструватися в муніципалітеті?")
    )
    assert replies[0].language == "pl"
    assert "po polsku" in replies[0].text
    assert callbacks.LANGUAGES in data_of(replies[0])
    # Not answered as a question, whatever the engine made of it.
    assert all(not r.markdown for r in replies)


async def test_low_confidence_offers_the_likeliest_answers_and_a_person(
    core: Conversation, content: ContentStore, engine: ScriptedEngine
) -> None:
    engine.intent, engine.confidence = "nlu_fallback", 0.4
    engine.ranking = (
        IntentScore("nlu_fallback", 0.4),
        IntentScore("find_doctor", 0.3),
        IntentScore("greet", 0.2),
        IntentScore("health_insurance", 0.15),
        IntentScore("dentist", 0.01),
    )
    [reply] = await core.handle(UserEvent.message(USER, "ik heb een vraag over de dokter enzo"))
    assert data_of(reply) == [
        "answer:find_doctor",
        "answer:health_insurance",
        callbacks.MENU,
        callbacks.PERSON,
    ]
    doctor = content.get("nl", "find_doctor")
    assert doctor is not None and reply.button_list[0].label == doctor.title
    [again] = await core.handle(UserEvent.message(USER, "ik snap het niet, de dokter"))
    assert "Sorry" in again.text  # the second miss in a row says so plainly


async def test_out_of_scope_says_kindly_what_is_covered(
    core: Conversation, content: ContentStore, engine: ScriptedEngine
) -> None:
    engine.intent = "out_of_scope"
    [reply] = await core.handle(UserEvent.message(USER, "kto wygra mecz legia dzisiaj"))
    assert reply.text == body(content, "pl", "out_of_scope")
    assert callbacks.topic("work") in data_of(reply)


async def test_human_handoff_shows_how_to_reach_the_information_point(
    core: Conversation, content: ContentStore, engine: ScriptedEngine
) -> None:
    engine.intent = "human_handoff"
    [reply] = await core.handle(UserEvent.message(USER, "vreau sa vorbesc cu un om"))
    assert body(content, "ro", "info_point").split("\n\n")[0] in reply.text


async def test_engine_down_still_answers_with_the_menu(
    core: Conversation, engine: ScriptedEngine
) -> None:
    engine.down = True
    [reply] = await core.handle(UserEvent.message(USER, "hoe kom ik aan een huisarts in tilburg"))
    assert reply.language == "nl"
    assert callbacks.topic("health") in data_of(reply) and callbacks.PERSON in data_of(reply)


async def test_menu_navigation_by_buttons_reaches_an_answer(
    core: Conversation, content: ContentStore
) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("ro")))
    [topics] = await core.handle(UserEvent.button(USER, callbacks.MENU))
    assert callbacks.topic("children") in data_of(topics)
    [children] = await core.handle(UserEvent.button(USER, callbacks.topic("children")))
    assert data_of(children) == ["answer:school_enrolment", "answer:child_benefit", callbacks.MENU]
    [answer] = await core.handle(UserEvent.button(USER, "answer:school_enrolment"))
    assert answer.text.startswith(body(content, "ro", "school_enrolment"))


@pytest.mark.parametrize(
    "data", ["answer:../../etc/passwd", "topic:nope", "lang:uk", "x" * 65, "", "answer:greet"]
)
async def test_forged_buttons_get_the_menu_not_an_error(core: Conversation, data: str) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("nl")))
    [reply] = await core.handle(UserEvent.button(USER, data))
    assert reply.text == "Deze knop is verlopen. Hier is het menu."


async def test_media_and_emoji_only_messages_get_a_clear_answer(
    core: Conversation, engine: ScriptedEngine
) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("bg")))
    [media] = await core.handle(UserEvent.media(USER, "sticker"))
    assert "текст" in media.text
    [emoji] = await core.handle(UserEvent.message(USER, "👍👍"))
    assert callbacks.topic("work") in data_of(emoji)
    assert engine.asked == []


async def test_state_lives_in_storage_not_in_the_core(
    contract: Contract,
    content: ContentStore,
    engine: ScriptedEngine,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> None:
    first = Conversation(contract, content, engine, language_id, sqlite_states)
    await first.handle(UserEvent.button(USER, callbacks.language("bg")))
    second = Conversation(contract, content, engine, language_id, sqlite_states)
    [reply] = await second.handle(UserEvent.message(USER, "zorgverzekering"))
    assert reply.language == "bg"
    state = await sqlite_states.load(USER)
    assert state.language_explicit and state.last_intent == "find_doctor"


async def test_markdown_answers_render_to_plain_text_without_markup(core: Conversation) -> None:
    [reply] = await core.handle(UserEvent.message(USER, "jak sie zameldowac w gminie"))
    assert "**" not in render_plain(reply.text)
