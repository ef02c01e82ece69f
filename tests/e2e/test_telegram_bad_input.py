"""Bad input through the Bot API server: each gets a clear reply in the user's language,
nothing crashes, and a flood gets one slow-down notice instead of fifty answers."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from bot.content.store import ContentStore
from bot.language.i18n import Texts
from tests.e2e.conftest import RunningBot
from tests.e2e.tailored import answer_stay, tailored
from tests.unit import telegram_updates as tg

pytestmark = pytest.mark.e2e

ONLY_TEXT = "I can only read text. Please write your question in a few words, or choose a topic."
FEW_WORDS = "Please write your question in a few words, or choose a topic."
UNSUPPORTED = (
    "I can answer in Polish, Bulgarian, Romanian and Dutch. I will continue in {language};"
    " you can change the language below."
)
ALLOWED_TAGS = re.compile(r"</?(b|i|code|a)(\s[^>]*)?>")


@pytest.mark.parametrize("kind", sorted(tg.MEDIA))
async def test_what_is_not_text_gets_i_can_only_read_text(bot: RunningBot, kind: str) -> None:
    chat = bot.chat("pl")
    fields: dict[str, Any] = tg.MEDIA[kind]
    await chat.send(**fields)
    reply = await chat.reply()
    assert reply.plain == Texts("pl").gettext(ONLY_TEXT)
    assert Texts("pl").gettext("🙋 Talk to a person") in reply.labels


async def test_an_edited_message_is_answered_as_the_corrected_question(
    bot: RunningBot, content: ContentStore
) -> None:
    chat = bot.chat("ro")
    await chat.update(
        edited_message={
            **chat.message(message_id=5, text="cum ma inscriu la primarie"),
            "edit_date": 1,
        }
    )
    # The corrected question is about registering: the stay question, then the answer.
    answer = await answer_stay(chat, await chat.reply(), "ro", "short")
    tailored(content, "ro", "register_brp", "short").check(answer.plain)
    assert Texts("ro").gettext("📋 Menu") in answer.labels


async def test_ten_thousand_characters_get_an_answer(
    bot: RunningBot, content: ContentStore
) -> None:
    chat = bot.chat("nl")
    await chat.say(("Ik heb een vraag over mijn zorgverzekering. " * 250)[:10_000])
    answer = await answer_stay(chat, await chat.reply(), "nl", "long")
    tailored(content, "nl", "health_insurance", "long").check(answer.plain)
    assert Texts("nl").gettext("🙋 Talk to a person") in answer.labels


@pytest.mark.parametrize("text", ["", "   ", "😀🙏🇳🇱", "?!..."])
async def test_empty_and_emoji_only_messages_get_a_prompt(bot: RunningBot, text: str) -> None:
    chat = bot.chat("bg")
    await chat.say(text)
    reply = await chat.reply()
    assert reply.plain == Texts("bg").gettext(FEW_WORDS)


async def test_html_and_markdown_control_characters_stay_text(bot: RunningBot) -> None:
    chat = bot.chat("pl")
    await chat.say(
        "<b>jak</b> <script>alert(1)</script> *zameldować* _się_ [x](javascript:1) `&amp; &lt;"
    )
    reply = await chat.reply()
    assert reply.parse_mode == "HTML"
    assert "<script" not in reply.text
    assert not ALLOWED_TAGS.sub("", reply.text).count("<")  # only Telegram's own tags remain


@pytest.mark.parametrize(
    "text",
    [
        "Як мені зареєструватися в муніципалітеті і отримати номер?",  # Ukrainian
        "Kaip man užsiregistruoti savivaldybėje ir gauti numerį?",  # Lithuanian
        "كيف يمكنني التسجيل في البلدية والحصول على رقم؟",  # Arabic
    ],
    ids=["uk", "lt", "ar"],
)
async def test_unsupported_languages_get_the_choice_of_languages_and_the_menu(
    bot: RunningBot, text: str
) -> None:
    t = Texts("pl")
    chat = bot.chat("pl")
    await chat.say(text)
    note, menu = await chat.replies(2)
    assert note.plain == t.gettext(UNSUPPORTED).format(language="Polski")
    assert t.gettext("🌐 Change language") in note.labels
    assert menu.plain == t.gettext("Choose a topic:")


@pytest.mark.parametrize(
    "command",
    [
        "/start ;DROP TABLE conversations;--",
        "/language zz-ZZ %%% <b>",
        "/menu@SomeOtherBot garbage",
        "/help " + "x" * 3000,
        "/xyz123 what is this",
    ],
    ids=["start", "language", "other-bot", "long", "unknown"],
)
async def test_commands_with_garbage_arguments_are_answered(bot: RunningBot, command: str) -> None:
    chat = bot.chat("nl")
    await chat.command(command)
    reply = await chat.reply()
    assert reply.buttons


async def test_fifty_messages_in_ten_seconds_get_one_slow_down_notice(bot: RunningBot) -> None:
    t = Texts("ro")
    chat = bot.chat("ro")
    for i in range(50):
        await chat.say(f"cum ma inscriu la primarie {i}")
        await asyncio.sleep(0.05)
    notice = t.gettext(
        "You are sending messages faster than I can answer them. Please wait a few seconds, then send your question again."
    )
    for _ in range(100):
        if any(s.plain == notice for s in chat.seen):
            break
        await chat.silence(0.1)
    await chat.silence(1.0)
    texts = [s.plain for s in chat.seen]
    assert texts.count(notice) == 1
    assert len(texts) == 9  # eight answers, one notice


async def test_in_a_group_the_bot_says_once_that_it_works_in_private_chat(
    bot: RunningBot,
) -> None:
    member = bot.chat("ro")
    group = bot.chat("ro")  # its id stands in for the group's
    group.chat = {"id": -group.user_id, "type": "supergroup", "title": "Muncitori"}
    group.user_id = -group.user_id
    group.user = member.user
    for i in range(3):
        await group.command(f"/start {i}")
    [notice] = await group.replies(1)
    assert notice.plain == Texts("ro").gettext(
        "I answer questions only in a private chat, to keep your questions private. Write to me directly."
    )
    assert (
        notice.button(Texts("ro").gettext("💬 Open a private chat"))["url"]
        == "https://t.me/MipTestBot"
    )
    assert await group.silence(0.5) == []
    assert await member.silence(0) == []
