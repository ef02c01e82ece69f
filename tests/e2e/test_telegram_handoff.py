"""Handoff end to end on Telegram: users and key persons are separate chats with the bot on
the emulator; everything one sends the other goes through the queue, the outbox and the
production dispatcher."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.language.i18n import Texts
from tests.e2e.botapi_client import Chat, Sent
from tests.e2e.conftest import RunningBot

pytestmark = pytest.mark.e2e
CODE = re.compile(r"#[A-Z0-9]{4}")


async def invited_key_person(bot: RunningBot, languages: list[str], name: str) -> Chat:
    """A key person who followed a t.me/<bot>?start=<token> link: Telegram sends /start <token>."""
    token = await bot.queue.key_persons.create_invite(languages, name)
    chat = bot.chat(languages[0])
    await chat.command(f"/start {token}")
    welcome = await chat.reply()
    assert "/queue" in welcome.plain
    return chat


async def unanswerable_question(bot: RunningBot, user: Chat) -> tuple[str, Sent]:
    """The Dutch user asks what the bot cannot answer and takes the offer of a person."""
    await user.say("mag ik mijn hond meenemen naar mijn werk in de kas")
    first = await user.reply()
    await user.press(first, Texts("nl").gettext("🙋 Talk to a person"))
    opened = await user.reply()
    match = CODE.search(opened.plain)
    assert match, opened.plain
    return match.group(0), opened


async def test_handoff_dutch_question_ticket_claim_relay_both_ways_close_feedback(
    bot: RunningBot,
) -> None:
    anna = await invited_key_person(bot, ["nl"], "Anna")
    user = bot.chat("nl")
    code, opened = await unanswerable_question(bot, user)
    assert Texts("nl").gettext("✖️ Cancel my question") in opened.labels

    announcement = await anna.reply()
    assert code in announcement.plain and "hond" not in announcement.plain  # code, topic only
    assert str(user.user_id) not in announcement.plain  # never the user's Telegram identity
    await anna.press(announcement, Texts("nl").gettext("✋ Claim {code}").format(code=code))
    claimed = await anna.reply()
    assert code in claimed.plain and "hond" in claimed.plain  # the question, to her alone
    taken = await user.reply()
    assert code in taken.plain

    await anna.say("Hallo! Bij welk bedrijf werk je?")
    relayed = await user.reply()
    assert "Bij welk bedrijf werk je?" in relayed.plain and "Anna" in relayed.plain
    await user.say("Bij Kas & Co <b>Westland</b>")
    back = await anna.reply()
    assert code in back.plain and "Kas & Co <b>Westland</b>" in back.plain  # text, not markup

    await anna.command("/done")
    closed = await anna.reply()
    assert code in closed.plain
    feedback = await user.reply()
    t = Texts("nl")
    assert feedback.labels == [t.gettext("👍 Yes"), t.gettext("👎 No")]
    await user.press(feedback, t.gettext("👍 Yes"))
    thanks = await user.reply()
    assert thanks.plain == t.gettext("Thank you! I am glad it helped.")


async def test_handoff_two_key_persons_claim_at_once_and_exactly_one_wins(
    bot: RunningBot,
) -> None:
    anna = await invited_key_person(bot, ["nl"], "Anna")
    bram = await invited_key_person(bot, ["nl", "pl"], "Bram")
    user = bot.chat("nl")
    code, _ = await unanswerable_question(bot, user)
    for_anna, for_bram = await anna.reply(), await bram.reply()
    label = Texts("nl").gettext("✋ Claim {code}").format(code=code)
    await asyncio.gather(anna.press(for_anna, label), bram.press(for_bram, label))
    answers = [(await anna.reply()).plain, (await bram.reply()).plain]
    won = [a for a in answers if "/release" in a]
    lost = [a for a in answers if "/release" not in a]
    assert len(won) == 1 and len(lost) == 1, answers
    assert code[1:] in lost[0]  # "#CODE has already been taken"
    await user.reply()  # "a key person has taken your question"
    assert await user.silence(0.5) == []  # told once, not twice


async def test_handoff_a_flood_does_not_flood_the_queue(bot: RunningBot) -> None:
    anna = await invited_key_person(bot, ["nl"], "Anna")
    user = bot.chat("nl")
    code, _ = await unanswerable_question(bot, user)
    announcement = await anna.reply()
    await anna.press(announcement, Texts("nl").gettext("✋ Claim {code}").format(code=code))
    await anna.reply()
    await user.reply()
    for i in range(50):
        await user.say(f"bericht {i}")
    relays = await anna.silence(4.0)
    assert 0 < len(relays) <= 10, len(relays)  # the throttle keeps the key person's chat usable
    ticket = await bot.queue.tickets.active_ticket(f"tg:{user.user_id}")
    assert ticket is not None and len(ticket.messages) <= 12
