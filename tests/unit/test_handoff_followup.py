"""While a ticket is open the bot keeps answering clear questions; follow-ups that look like
part of the conversation go into the ticket (bot/core/handoff/followup.py)."""

from __future__ import annotations

import pytest

from bot.core import callbacks
from bot.core.events import Reply, UserEvent
from bot.core.handoff.model import Ticket
from bot.language.i18n import Texts
from tests.unit.conftest import Desk

USER, KP = "tg:50", "tg:kp"
GP_QUESTION = "jak znalezc lekarza rodzinnego w holandii"


async def open_ticket(desk: Desk, topic_intent: str = "agency_work") -> Ticket:
    """A Polish user whose answer about `topic_intent` did not help: a ticket with that topic."""
    await desk.key_person(KP, ["pl"], name="Ala")
    desk.engine.intent, desk.engine.confidence = topic_intent, 0.95
    await desk.core.handle(UserEvent.message(USER, "agencja zabrala mi paszport co robic"))
    await desk.core.handle(UserEvent.button(USER, callbacks.answer_feedback(topic_intent, False)))
    ticket = await desk.queue.tickets.active_ticket(USER)
    assert ticket is not None and ticket.topic == topic_intent
    await desk.delivered()
    return ticket


def still_open(ticket: Ticket) -> str:
    return (
        Texts("pl")
        .gettext("ℹ️ Your question {code} is still open for a key person.")
        .format(code=ticket.label)
    )


async def test_a_clear_question_gets_the_bots_answer_and_one_line_about_the_ticket(
    desk: Desk,
) -> None:
    ticket = await open_ticket(desk)
    desk.engine.intent, desk.engine.confidence = "find_doctor", 0.97
    answer, line = await desk.core.handle(UserEvent.message(USER, GP_QUESTION))
    doctor = desk.core.content.get("pl", "find_doctor")
    assert doctor is not None and answer.markdown and answer.language == "pl"
    assert callbacks.answer_feedback("find_doctor", True) in [b.data for b in answer.button_list]
    assert line.text == still_open(ticket) and callbacks.CANCEL in [
        b.data for b in line.button_list
    ]
    kept = await desk.queue.tickets.active_ticket(USER)
    assert kept is not None and len(kept.messages) == len(ticket.messages)  # not in the ticket
    assert await desk.delivered() == {}


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("a co z moja zona?", "find_doctor", 0.97),  # short: part of a conversation
        ("Flex Uitzend BV", "agency_work", 0.95),
        ("nie wiem czy to jest legalne", "find_doctor", 0.55),  # not confident
        ("to samo co mowilem wczesniej", "nlu_fallback", 0.2),
        ("dziekuje bardzo za pomoc wczoraj", "thanks", 0.99),  # small talk
        ("chce porozmawiac z czlowiekiem teraz", "human_handoff", 0.99),  # an action
        ("agencja dalej nie oddaje mi paszportu", "agency_work", 0.97),  # the ticket's topic
    ],
)
async def test_follow_ups_go_into_the_ticket(
    desk: Desk, text: str, intent: str, confidence: float
) -> None:
    ticket = await open_ticket(desk)
    desk.engine.intent, desk.engine.confidence = intent, confidence
    [added] = await desk.core.handle(UserEvent.message(USER, text))
    assert ticket.label in added.text and not added.markdown
    kept = await desk.queue.tickets.active_ticket(USER)
    assert kept is not None and kept.messages[-1].text == text


async def test_while_the_key_person_is_answering_everything_goes_to_them(desk: Desk) -> None:
    ticket = await open_ticket(desk)
    await desk.core.handle(UserEvent.button(KP, callbacks.claim(ticket.code)))
    await desk.core.handle(UserEvent.message(KP, "Dzień dobry, w czym mogę pomóc?"))
    await desk.delivered()
    desk.engine.intent, desk.engine.confidence = "find_doctor", 0.97
    assert await desk.core.handle(UserEvent.message(USER, GP_QUESTION)) == []  # relayed
    [relayed] = (await desk.delivered())[KP]
    assert GP_QUESTION in relayed.text
    desk.queue.clock.advance(minutes=11)  # type: ignore[attr-defined]
    replies: list[Reply] = await desk.core.handle(UserEvent.message(USER, GP_QUESTION))
    assert [r.text for r in replies][-1] == still_open(ticket)  # no longer a live exchange


async def test_with_the_engine_down_a_message_goes_into_the_ticket(desk: Desk) -> None:
    ticket = await open_ticket(desk)
    desk.engine.down = True
    [added] = await desk.core.handle(UserEvent.message(USER, GP_QUESTION))
    assert ticket.label in added.text
