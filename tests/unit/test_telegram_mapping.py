"""Telegram updates (PTB's own objects, from Bot API JSON) to core events, replies to messages."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.core.events import Button, EventKind, Reply, UserEvent
from bot.telegram.mapping import (
    EXPIRED,
    MAX_TEXT,
    chat_id_of,
    command_args,
    event_for,
    is_private,
    parts_for,
)
from bot.telegram.signing import CallbackSigner
from tests.unit import telegram_updates as tg

signer = CallbackSigner("k")
bot = Bot("123:abc")
KEY = f"tg:{tg.USER_ID}"


def update(data: dict[str, Any]) -> Update:
    result = Update.de_json(data, bot)
    assert result is not None
    return result


def event(data: dict[str, Any]) -> UserEvent | None:
    return event_for(update(data), signer)


def test_text_becomes_a_message_with_the_interface_language_as_hint() -> None:
    assert event(tg.message(text="Jak dostać BSN?")) == UserEvent.message(
        KEY, "Jak dostać BSN?", "pl"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("/start", "start"),
        ("/start ;DROP TABLE conversations;--", "start"),
        ("/language zz-ZZ %%% <b>", "language"),
        ("/MENU@MipTestBot", "menu"),
        ("/menu@SomeOtherBot   \n\n garbage", "menu"),
        ("/xyz123 what is this", "xyz123"),
    ],
)
def test_commands_keep_their_name_and_ignore_garbage_arguments(text: str, name: str) -> None:
    # The name is what counts; arguments ride along as data for the commands that take one
    # (/start <invite>, /ticket CODE) and are ignored by all others (tested in the core).
    result = event(tg.message(text=text))
    assert result is not None and result.kind is EventKind.COMMAND and result.text == name
    assert result.data == command_args(text)


def test_a_lone_slash_or_a_path_is_text() -> None:
    for text in ("/", "/ ok", "/bsn/aanvragen?"):
        result = event(tg.message(text=text))
        assert result is not None and result.kind is EventKind.TEXT


def test_command_arguments_are_available_for_deep_links() -> None:
    assert command_args("/start invite-abc123") == "invite-abc123"
    assert command_args("hello") == ""


@pytest.mark.parametrize("kind", sorted(tg.MEDIA))
def test_everything_that_is_not_text_becomes_media(kind: str) -> None:
    assert event(tg.message(**tg.MEDIA[kind])) == UserEvent.media(KEY, kind, "pl")


def test_a_caption_is_read_as_the_question() -> None:
    photo = {**tg.MEDIA["photo"], "caption": "co to za list z gminy?"}
    assert event(tg.message(**photo)) == UserEvent.message(KEY, "co to za list z gminy?", "pl")


def test_an_edited_message_is_a_correction_and_an_edited_command_is_not_run_again() -> None:
    assert event(tg.edited(text="jak zameldować się w gminie")) == UserEvent.message(
        KEY, "jak zameldować się w gminie", "pl", edited=True
    )
    assert event(tg.edited(text="/done")) is None  # an edited /done must not close twice
    assert event(tg.edited(**tg.MEDIA["sticker"])) is None


def test_text_is_cut_at_4096_utf16_units_not_python_characters() -> None:
    emoji = event(tg.message(text="😀" * 5000))  # 10,000 units: a client could not send it
    assert emoji is not None and emoji.text == "😀" * 2048


def test_very_long_empty_and_emoji_only_texts_reach_the_core_as_text() -> None:
    long = event(tg.message(text="a" * 10_000))
    assert long is not None and long.kind is EventKind.TEXT and len(long.text) == MAX_TEXT
    assert event(tg.message(text="")) == UserEvent.message(KEY, "", "pl")
    assert event(tg.message(text="😀🙏🇳🇱")) == UserEvent.message(KEY, "😀🙏🇳🇱", "pl")


def test_service_messages_and_other_bots_need_no_answer() -> None:
    assert (
        event(tg.message(pinned_message={"message_id": 3, "date": 0, "chat": tg.private_chat()}))
        is None
    )
    from_bot = tg.message(text="hi")
    from_bot["message"]["from"] = {"id": 5, "is_bot": True, "first_name": "B"}
    assert event(from_bot) is None


def test_a_signed_button_reaches_the_core_and_a_forged_one_is_expired() -> None:
    data = signer.sign(tg.USER_ID, "topic:health")
    assert event(tg.callback(data)) == UserEvent.button(KEY, "topic:health", "pl")
    assert event(tg.callback("topic:health")) == UserEvent.button(KEY, EXPIRED, "pl")
    assert event(tg.callback(data, chat_id=999)) == UserEvent.button(KEY, EXPIRED, "pl")


def test_private_and_group_chats_are_told_apart() -> None:
    assert is_private(update(tg.message(text="x")))
    assert not is_private(update(tg.message(text="x", chat=tg.group_chat())))


def test_user_keys_map_back_to_private_chats() -> None:
    assert chat_id_of("tg:4242") == 4242
    assert chat_id_of("console:local") is None
    assert chat_id_of("tg:abc") is None


def test_plain_replies_show_html_and_markdown_characters_as_text() -> None:
    reply = Reply("<b>not bold</b> *not italic* _x_ [a](http://e.example) & `c`")
    [part] = parts_for(reply, 1, signer)
    assert (
        part.html == "&lt;b&gt;not bold&lt;/b&gt; *not italic* _x_ [a](http://e.example) &amp; `c`"
    )


def test_markdown_replies_render_to_telegram_html_and_raw_html_stays_text() -> None:
    [part] = parts_for(Reply("**Ważne** <script>x</script>", markdown=True), 1, signer)
    assert "<b>Ważne</b>" in part.html and "&lt;script&gt;" in part.html


def test_buttons_are_signed_for_the_chat() -> None:
    reply = Reply("Menu", buttons=((Button("A", "menu"), Button("B", "person")),))
    [part] = parts_for(reply, 77, signer)
    assert part.markup is not None
    data = [b.callback_data for row in part.markup.inline_keyboard for b in row]
    assert [signer.verify(77, str(d)) for d in data] == ["menu", "person"]


def test_a_reply_longer_than_a_message_is_split_between_paragraphs_buttons_last() -> None:
    paragraphs = [f"**{i}** " + "słowo " * 300 for i in range(6)]
    reply = Reply("\n\n".join(paragraphs), markdown=True, buttons=((Button("M", "menu"),),))
    parts = parts_for(reply, 1, signer)
    assert len(parts) > 1
    assert all(len(p.html) <= MAX_TEXT for p in parts)
    assert all(p.html.count("<b>") == p.html.count("</b>") for p in parts)
    assert [p.markup is not None for p in parts] == [False] * (len(parts) - 1) + [True]
