"""The handoff keeps its promises, on the Bot API emulator (issue 15): the bot says honestly
when nobody speaks the language, keeps answering clear questions while a ticket is open,
shows a key person the whole ticket, and marks edits as corrections."""

from __future__ import annotations

import pytest

from bot.core.handoff import history, opening
from bot.core.handoff.model import Reason, Ticket
from bot.language.i18n import Texts
from tests.e2e.botapi_client import Chat
from tests.e2e.conftest import RunningBot
from tests.e2e.test_telegram_handoff import CODE, invited_key_person, unanswerable_question
from tests.e2e.test_telegram_handoff_delivery import claimed

pytestmark = pytest.mark.e2e


async def test_nobody_speaks_the_language_honest_answer_then_the_question_waits(
    bot: RunningBot,
) -> None:
    t = Texts("nl")
    user = bot.chat("nl")
    await user.say("mag ik mijn hond meenemen naar mijn werk in de kas")
    first = await user.reply()
    await user.press(first, t.gettext("🙋 Talk to a person"))
    honest = await user.reply()
    assert opening.nobody_speaks(t, Reason.ASKED).split("\n")[0] in honest.plain
    assert "Work in NL" in honest.plain  # the information point's desk
    assert CODE.search(honest.plain) is None  # no ticket, no time
    assert honest.labels == [t.gettext("📝 Leave my question"), t.gettext("📋 Menu")]

    await user.press(honest, t.gettext("📝 Leave my question"))
    kept = await user.reply()
    match = CODE.search(kept.plain)
    assert match, kept.plain
    code = match.group(0)
    assert "vóór" not in kept.plain  # no time promised

    # A key person who speaks Dutch joins: the question is waiting for them.
    anna = await invited_key_person(bot, ["nl"], "Anna")
    welcome = anna.seen[-1]
    assert (
        t.gettext("Open questions waiting now: {count}. /queue shows them.").format(count=1)
        in welcome.plain
    )
    await anna.command("/queue")
    head, listed = await anna.replies(2)
    # Code, language and topic only (privacy): the question goes to whoever claims it.
    assert code in listed.plain and "hond" not in listed.plain
    del head


async def test_while_a_ticket_is_open_clear_questions_are_answered_follow_ups_passed_on(
    bot: RunningBot,
) -> None:
    t = Texts("nl")
    await invited_key_person(bot, ["nl"], "Anna")
    user = bot.chat("nl")
    code, _ = await unanswerable_question(bot, user)
    await user.say("hoe vind ik een huisarts in mijn gemeente")
    answer, line = await user.replies(2)
    assert t.gettext("👍 This helped") in answer.labels  # the bot's own answer
    assert line.plain == t.gettext("ℹ️ Your question {code} is still open for a key person.").format(
        code=code
    )
    await user.say("Flex Uitzend BV")
    added = await user.reply()
    assert code in added.plain and t.gettext("👍 This helped") not in added.labels
    ticket = await bot.queue.tickets.active_ticket(f"tg:{user.user_id}")
    assert ticket is not None and ticket.messages[-1].text == "Flex Uitzend BV"
    assert all("huisarts" not in m.text for m in ticket.messages)


async def test_six_long_messages_before_the_claim_all_reach_the_key_person(
    bot: RunningBot,
) -> None:
    anna = await invited_key_person(bot, ["nl"], "Anna")
    user = bot.chat("nl")
    code, _ = await unanswerable_question(bot, user)
    texts = [
        f"<bericht {i}> " + "lorem ipsum dolor sit amet 👷 " * 55 + f"<eind {i}>" for i in range(6)
    ]
    for text in texts:
        await user.say(text)
    await user.replies(6)  # "added to your question" each time
    announcement = await anna.reply()
    await anna.press(announcement, Texts("nl").gettext("✋ Claim {code}").format(code=code))
    shown = await anna.replies(
        len(history.parts(Texts("nl"), await _ticket(bot, user), bot.queue.claims.titles))
    )
    assert len(shown) >= 3
    together = "\n".join(s.plain for s in shown)
    assert all(text in together for text in texts)  # whole, in order
    await anna.command(f"/ticket {code[1:]}")
    again = await anna.replies(len(shown))
    assert [s.plain for s in again] == [s.plain for s in shown]


async def _ticket(bot: RunningBot, user: Chat) -> Ticket:
    ticket = await bot.queue.tickets.active_ticket(f"tg:{user.user_id}")
    assert ticket is not None
    return ticket


async def test_an_edit_is_relayed_once_marked_as_a_correction_in_both_directions(
    bot: RunningBot,
) -> None:
    user, anna, _ = await claimed(bot)
    mark = "✏️ " + Texts("nl").gettext("correction of an earlier message")
    await user.say("Bij Kas & Co")
    assert (await anna.reply()).plain.endswith("Bij Kas & Co")
    edit = {**user.message(message_id=77, text="Bij Kas & Co in Westland"), "edit_date": 1}
    await user.update(edited_message=edit)
    corrected = await anna.reply()
    assert mark in corrected.plain and corrected.plain.endswith("Bij Kas & Co in Westland")
    await anna.update(
        edited_message={**anna.message(message_id=78, text="Welke plaats?"), "edit_date": 1}
    )
    to_user = await user.reply()
    assert mark in to_user.plain and to_user.plain.endswith("Welke plaats?")
    await anna.update(edited_message={**anna.message(message_id=79, text="/done"), "edit_date": 1})
    assert await anna.silence(1.0) == [] and await user.silence(0.1) == []  # not run again
    assert await user.silence(1.0) == []  # each correction once
