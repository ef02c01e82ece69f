"""Migrant -> ticket -> key person -> answer -> feedback, through the conversation core.

The queue runs on SQLite with a manual clock; what the core hands to other users goes
through the outbox, delivered here as a transport would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.clock import ManualClock
from bot.core.conversation import Conversation
from bot.core.events import Reply, UserEvent
from bot.core.handoff.hours import Schedule
from bot.handoff import Handoff, build_handoff
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from bot.storage.outbox import SqlOutbox
from tests.handoff_cases import MONDAY_MORNING, SCHEDULE
from tests.unit.test_conversation import ScriptedEngine, data_of

UNKNOWN = {
    "pl": ("czy moge zabrac psa do pracy w szklarni", "a jesli szef sie nie zgodzi?"),
    "bg": ("мога ли да взема кучето си на работа в оранжерията", "ами ако шефът откаже?"),
    "ro": ("pot sa-mi iau cainele cu mine la sera unde lucrez", "si daca seful nu vrea?"),
    "nl": ("mag ik mijn hond meenemen naar mijn werk in de kas", "en als mijn baas nee zegt?"),
}


@dataclass
class Desk:
    core: Conversation
    queue: Handoff
    outbox: SqlOutbox
    engine: ScriptedEngine

    async def delivered(self) -> dict[str, list[Reply]]:
        out: dict[str, list[Reply]] = {}
        for message in await self.outbox.due(limit=100):
            out.setdefault(message.recipient, []).append(message.reply)
            await self.outbox.mark_sent(message.id)
        return out

    async def key_person(self, user_key: str, languages: list[str], name: str) -> None:
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


@pytest.mark.parametrize("language", ["pl", "bg", "ro", "nl"])
async def test_full_handoff_conversation(desk: Desk, language: str) -> None:
    user, kp = f"tg:{language}-user", f"tg:{language}-kp"
    await desk.key_person(kp, [language], name="Ala")
    first, second = UNKNOWN[language]

    [did_you_mean] = await desk.core.handle(UserEvent.message(user, first))
    assert did_you_mean.language == language and callbacks.PERSON in data_of(did_you_mean)
    assert await desk.delivered() == {}  # one miss is not a ticket yet
    [opened] = await desk.core.handle(UserEvent.message(user, second))
    assert opened.language == language
    ticket = await desk.queue.tickets.active_ticket(user)
    assert ticket is not None and ticket.label in opened.text
    assert callbacks.CANCEL in data_of(opened)
    assert [m.text for m in ticket.messages] == [first, second]

    [announcement] = (await desk.delivered())[kp]
    # Announced to every key person: code, language and topic, not the user's words.
    assert ticket.label in announcement.text
    assert first not in announcement.text and second not in announcement.text
    assert user not in announcement.text
    [claimed] = await desk.core.handle(UserEvent.button(kp, callbacks.claim(ticket.code)))
    assert ticket.label in claimed.text  # the one who claims it reads the question
    assert first in claimed.text and second in claimed.text
    assert list(await desk.delivered()) == [user]  # "a key person has taken your question"

    assert await desk.core.handle(UserEvent.message(kp, "Hello! Which company is it?")) == []
    [to_user] = (await desk.delivered())[user]
    assert "Which company is it?" in to_user.text and "Ala" in to_user.text

    assert await desk.core.handle(UserEvent.message(user, "Flex Uitzend BV")) == []
    [to_kp] = (await desk.delivered())[kp]
    assert "Flex Uitzend BV" in to_kp.text and ticket.label in to_kp.text

    [closed] = await desk.core.handle(UserEvent.command(kp, "/done"))
    assert ticket.label in closed.text
    [question] = (await desk.delivered())[user]
    assert question.language == language
    assert data_of(question) == [
        callbacks.ticket_feedback(ticket.code, True),
        callbacks.ticket_feedback(ticket.code, False),
    ]
    [thanks] = await desk.core.handle(
        UserEvent.button(user, callbacks.ticket_feedback(ticket.code, True))
    )
    assert thanks.language == language
    assert await desk.queue.tickets.active_ticket(user) is None


async def test_asking_for_a_person_opens_one_ticket_and_the_user_can_cancel(desk: Desk) -> None:
    await desk.core.handle(UserEvent.button("tg:1", callbacks.language("pl")))
    [opened] = await desk.core.handle(UserEvent.button("tg:1", callbacks.PERSON))
    ticket = await desk.queue.tickets.active_ticket("tg:1")
    assert ticket is not None and ticket.label in opened.text
    assert "14:00" in opened.text  # 4 duty hours from Monday 10:00 in Amsterdam
    [again] = await desk.core.handle(UserEvent.button("tg:1", callbacks.PERSON))
    assert ticket.label in again.text
    [added] = await desk.core.handle(UserEvent.message("tg:1", "potrzebuje pomocy z umowa"))
    assert ticket.label in added.text
    [cancelled] = await desk.core.handle(UserEvent.button("tg:1", callbacks.CANCEL))
    assert ticket.label in cancelled.text
    assert await desk.queue.tickets.active_ticket("tg:1") is None


async def test_did_not_help_feedback_opens_a_ticket_with_the_topic(desk: Desk) -> None:
    desk.engine.intent, desk.engine.confidence = "dentist", 0.9
    [answer] = await desk.core.handle(UserEvent.message("tg:2", "ile kosztuje dentysta w holandii"))
    assert callbacks.answer_feedback("dentist", False) in data_of(answer)
    [opened] = await desk.core.handle(
        UserEvent.button("tg:2", callbacks.answer_feedback("dentist", False))
    )
    ticket = await desk.queue.tickets.active_ticket("tg:2")
    assert ticket is not None and ticket.label in opened.text
    assert ticket.topic == "dentist" and ticket.answered == ("dentist",)
    assert ticket.messages[0].text == "ile kosztuje dentysta w holandii"


async def test_forged_claims_and_feedback_are_refused(desk: Desk) -> None:
    await desk.core.handle(UserEvent.button("tg:3", callbacks.language("ro")))
    await desk.core.handle(UserEvent.button("tg:3", callbacks.PERSON))
    ticket = await desk.queue.tickets.active_ticket("tg:3")
    assert ticket is not None
    # A migrant pressing (or forging) a claim button is not a key person.
    [expired] = await desk.core.handle(UserEvent.button("tg:4", callbacks.claim(ticket.code)))
    assert expired.language is None or callbacks.CANCEL not in data_of(expired)
    assert (await desk.queue.tickets.active_ticket("tg:3")).status == "open"  # type: ignore[union-attr]
    # Feedback for a ticket that is not closed, or not yours, is refused politely.
    [refused] = await desk.core.handle(
        UserEvent.button("tg:3", callbacks.ticket_feedback(ticket.code, False))
    )
    assert "expired" in refused.text or refused.text


async def test_forget_erases_the_user_after_confirmation(desk: Desk) -> None:
    await desk.core.handle(UserEvent.button("tg:5", callbacks.language("nl")))
    await desk.core.handle(UserEvent.button("tg:5", callbacks.PERSON))
    [confirm] = await desk.core.handle(UserEvent.command("tg:5", "/forget"))
    assert data_of(confirm) == [callbacks.FORGET, callbacks.KEEP]
    assert await desk.queue.tickets.active_ticket("tg:5") is not None  # nothing yet
    [done] = await desk.core.handle(UserEvent.button("tg:5", callbacks.FORGET))
    assert done.language == "nl"
    # It says honestly what it cannot take back: what a key person already received.
    assert "al in zijn of haar Telegram-chat heeft ontvangen" in done.text
    assert "niet terughalen" in done.text
    assert await desk.queue.tickets.active_ticket("tg:5") is None
    state = await desk.core.states.load("tg:5")
    assert state.language is None  # the conversation row is gone too


async def test_key_person_commands(desk: Desk) -> None:
    await desk.key_person("tg:kp", ["pl", "nl"], name="")
    [empty] = await desk.core.handle(UserEvent.command("tg:kp", "/queue"))
    assert "/queue" not in empty.text
    [nothing] = await desk.core.handle(UserEvent.message("tg:kp", "hello?"))
    assert "/queue" in nothing.text
    await desk.core.handle(UserEvent.button("tg:u", callbacks.language("nl")))
    await desk.core.handle(UserEvent.button("tg:u", callbacks.PERSON))
    [away] = await desk.core.handle(UserEvent.command("tg:kp", "/away"))
    await desk.delivered()
    await desk.core.handle(UserEvent.button("tg:u2", callbacks.language("pl")))
    await desk.core.handle(UserEvent.button("tg:u2", callbacks.PERSON))
    assert "tg:kp" not in await desk.delivered()  # away: not announced
    head, *listed = await desk.core.handle(UserEvent.command("tg:kp", "/back"))
    codes = [b.data for r in listed for b in r.button_list]
    assert len(codes) == 2 and all(c.startswith("claim:") for c in codes)
    await desk.core.handle(UserEvent.button("tg:kp", codes[0]))
    await desk.core.handle(UserEvent.button("tg:kp", codes[1]))
    [switched] = await desk.core.handle(UserEvent.command("tg:kp", f"/ticket {codes[0][6:]}"))
    assert codes[0][6:] in switched.text
    [released] = await desk.core.handle(UserEvent.command("tg:kp", "/release"))
    assert codes[0][6:] in released.text
    del away, head


async def test_a_second_invite_adds_languages_to_a_key_person(desk: Desk) -> None:
    await desk.key_person("tg:kp2", ["pl"], name="Ola")
    token = await desk.queue.key_persons.create_invite(["nl"], "Ola")
    [welcome] = await desk.core.handle(UserEvent.command("tg:kp2", f"/start {token}"))
    kp = await desk.queue.key_persons.key_person("tg:kp2")
    assert kp is not None and kp.languages == ("pl", "nl")
    assert "niderlandzki" in welcome.text  # the new language, named in the key person's language
