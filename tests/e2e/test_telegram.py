"""The bot end to end: python-telegram-bot over HTTP to a Bot API server (telegram-test-api),
the real intent engine, content and an SQLite database. Users are played through the
emulator's client side.

Handoff scenarios (a ticket claimed by a key person invited by link, relays both ways,
two key persons claiming at once) join this tier when the handoff queue is merged: see
`test_handoff_*` placeholders in tests/e2e/test_telegram_handoff.py.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.content.render import render_plain
from bot.content.store import ContentStore
from bot.core.clock import SystemClock
from bot.core.events import Reply
from bot.language.i18n import Texts
from bot.storage.outbox import SqlOutbox
from bot.storage.outbox_rows import enqueue
from tests.e2e.conftest import RunningBot
from tests.e2e.tailored import answer_stay, tailored

pytestmark = pytest.mark.e2e


def first_line(content: ContentStore, language: str, intent: str) -> str:
    answer = content.get(language, intent)
    assert answer is not None
    assert not answer.variants.needs, f"{intent} is tailored: use tests.e2e.tailored"
    return render_plain(answer.body).splitlines()[0]


async def test_polish_question_in_plain_text_gets_the_polish_answer(
    bot: RunningBot, content: ContentStore
) -> None:
    chat = bot.chat("pl")
    await chat.command("/start")
    greeting = await chat.reply()
    assert first_line(content, "pl", "greet") in greeting.plain
    await chat.say("jak się zameldować w gminie?")
    # The answer depends on the stay: the bot asks first, in Polish, then answers for it.
    answer = await answer_stay(chat, await chat.reply(), "pl", "mid")
    tailored(content, "pl", "register_brp", "mid").check(answer.plain)
    assert answer.parse_mode == "HTML"
    t = Texts("pl")
    assert t.gettext("👍 This helped") in answer.labels
    assert t.gettext("📋 Menu") in answer.labels


async def test_bulgarian_in_latin_letters_gets_the_bulgarian_answer(
    bot: RunningBot, content: ContentStore
) -> None:
    chat = bot.chat()  # no interface language: the text alone decides
    await chat.say("kak da si napravq zdravna zastrahovka v holandiq")
    # The stay question comes in Bulgarian (Cyrillic), then the answer for a short stay.
    answer = await answer_stay(chat, await chat.reply(), "bg", "short")
    tailored(content, "bg", "health_insurance", "short").check(answer.plain)


async def test_romanian_user_finds_the_school_answer_by_buttons(
    bot: RunningBot, content: ContentStore
) -> None:
    t = Texts("ro")
    chat = bot.chat("ro")
    await chat.command("/start")
    menu = await chat.reply()
    await chat.press(menu, t.gettext("🧒 Children and school"))
    topic = await chat.reply()
    school = content.get("ro", "school_enrolment")
    assert school is not None
    await chat.press(topic, school.title)
    answer = await chat.reply()
    assert first_line(content, "ro", "school_enrolment") in answer.plain


async def test_engine_stopped_mid_conversation_still_answers_within_two_seconds(
    bot: RunningBot, content: ContentStore
) -> None:
    t = Texts("pl")
    chat = bot.chat("pl")
    await chat.say("jak się zameldować w gminie?")
    answer = await answer_stay(chat, await chat.reply(), "pl", "long")
    tailored(content, "pl", "register_brp", "long").check(answer.plain)

    await bot.switch.stop()
    sent = time.monotonic()
    await chat.say("gdzie znajdę lekarza rodzinnego?")
    reply = await chat.reply(within=5)
    assert reply.at - sent < 2.0, f"answered after {reply.at - sent:.2f} s"
    assert (
        t.gettext("I cannot read questions right now. Choose a topic, or talk to a person.")
        in reply.plain
    )
    assert t.gettext("🙋 Talk to a person") in reply.labels
    assert t.gettext("🩺 Health and insurance") in reply.labels


async def test_engine_that_hangs_still_gets_an_answer_within_two_seconds(
    bot: RunningBot,
) -> None:
    t = Texts("nl")
    chat = bot.chat("nl")
    bot.switch.stalled = True
    await bot.switch.stop()
    await bot.switch.start()  # same port, now accepting and never answering
    sent = time.monotonic()
    await chat.say("hoe vraag ik zorgtoeslag aan?")
    reply = await chat.reply(within=5)
    assert reply.at - sent < 2.0, f"answered after {reply.at - sent:.2f} s"
    assert t.gettext("🙋 Talk to a person") in reply.labels


async def test_a_redelivered_update_is_handled_once(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    chat = bot.chat("nl")
    update_id = await chat.update(message=chat.message(message_id=1, text="/menu"))
    await chat.reply()
    caplog.set_level(logging.INFO, logger="bot.telegram.adapter")
    await chat.redeliver(update_id)
    for _ in range(100):
        if await chat.delivered(update_id):
            break
        await asyncio.sleep(0.02)
    assert await chat.delivered(update_id)
    assert await chat.silence(0.7) == []
    assert f"update {update_id} was handled before; skipped" in caplog.text


async def test_a_forged_button_gets_this_button_has_expired(bot: RunningBot) -> None:
    t = Texts("bg")
    chat = bot.chat("bg")
    await chat.command("/start")
    menu = await chat.reply()
    genuine = menu.button(t.gettext("🩺 Health and insurance"))["callback_data"]
    payload = genuine.rpartition("~")[0]
    for forged in (payload, f"{payload}~AAAAAAAAAAAA", "answer:get_bsn~xxxxxxxxxxxx", "x" * 64):
        await chat.press_data(menu, forged)
        expired = await chat.reply()
        assert t.gettext("This button has expired. Here is the menu.") in expired.plain
    # The genuine button still works.
    await chat.press_data(menu, genuine)
    assert (await chat.reply()).plain == t.gettext("🩺 Health and insurance")


async def test_the_outbox_is_delivered_by_the_running_bot(bot: RunningBot) -> None:
    chat = bot.chat("pl")
    outbox = SqlOutbox(bot.db)
    async with bot.db.session() as session, session.begin():
        text = "Odpowiedź od osoby z punktu informacyjnego."
        enqueue(session, f"tg:{chat.user_id}", Reply(text), SystemClock().now())
    delivered = await chat.reply()
    assert delivered.plain == "Odpowiedź od osoby z punktu informacyjnego."
    assert await outbox.pending() == 0
