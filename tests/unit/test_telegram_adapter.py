"""The adapter inside a real python-telegram-bot Application, updates fed with
`process_update(Update.de_json(...))` and the Bot API replaced by a recording transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.config import Secret, Settings
from bot.content.render import render_telegram_html
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.conversation import Conversation
from bot.core.events import Reply, UserEvent
from bot.language.i18n import Texts
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.processed_updates import SqlProcessedUpdates
from bot.telegram.adapter import TgApplication, build_application, set_command_menu
from bot.telegram.signing import CallbackSigner
from tests.conftest import filled
from tests.unit import telegram_updates as tg
from tests.unit.fake_botapi import FakeBotApi
from tests.unit.test_conversation import ScriptedEngine

SETTINGS = Settings(telegram_token=Secret("123:abc"))
signer = CallbackSigner("k")


class Harness:
    def __init__(self, application: TgApplication, api: FakeBotApi) -> None:
        self.application = application
        self.api = api

    async def feed(self, data: dict[str, Any]) -> None:
        update = Update.de_json(data, self.application.bot)
        assert update is not None
        await self.application.process_update(update)


async def harness_for(
    handler: Any, updates: SqlProcessedUpdates | None = None
) -> AsyncIterator[Harness]:
    api = FakeBotApi()
    application, _ = build_application(SETTINGS, handler, signer, updates, request=api.request())
    async with application:
        yield Harness(application, api)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
async def bot(
    contract: Contract, content: ContentStore, language_id: LanguageIdentifier, db: Database
) -> AsyncIterator[Harness]:
    states = SqlConversationStates(db)
    core = Conversation(contract, content, ScriptedEngine(), language_id, states)
    async for harness in harness_for(core, SqlProcessedUpdates(db)):
        yield harness
    await states.flush()


async def test_a_private_question_is_answered_in_that_chat_with_signed_buttons(
    bot: Harness, content: ContentStore
) -> None:
    await bot.feed(tg.message(text="gdzie znajde lekarza rodzinnego?"))
    [sent] = bot.api.sent(tg.USER_ID)
    assert sent.params["parse_mode"] == "HTML"
    answer = content.get("pl", "find_doctor")  # the scripted engine's intent
    assert answer is not None
    assert sent.params["text"].startswith(render_telegram_html(filled(content, answer))[:200])
    assert sent.callback_data
    assert all(signer.verify(tg.USER_ID, d) for d in sent.callback_data)


async def test_the_same_update_delivered_twice_is_handled_once(bot: Harness) -> None:
    await bot.feed(tg.message(update_id=31, text="/start"))
    await bot.feed(tg.message(update_id=31, text="/start"))
    await bot.feed(tg.message(update_id=32, text="/start"))
    assert len(bot.api.sent(tg.USER_ID)) == 2


async def test_a_forged_button_gets_this_button_has_expired_in_the_users_language(
    bot: Harness,
) -> None:
    await bot.feed(tg.message(update_id=1, text="/start"))
    await bot.feed(tg.callback("answer:get_bsn", update_id=2))
    expired = bot.api.sent(tg.USER_ID)[-1]
    assert expired.params["text"] == Texts("pl").gettext(
        "This button has expired. Here is the menu."
    )
    assert [c.method for c in bot.api.calls].count("answerCallbackQuery") == 1


@pytest.mark.parametrize("kind", sorted(tg.MEDIA))
async def test_media_gets_a_clear_reply_in_the_users_language(bot: Harness, kind: str) -> None:
    await bot.feed(tg.message(**tg.MEDIA[kind]))
    [sent] = bot.api.sent(tg.USER_ID)
    assert sent.params["text"] == Texts("pl").gettext(
        "I can only read text. Please write your question in a few words, or choose a topic."
    )


async def test_in_a_group_the_bot_says_once_that_it_works_in_private_chat(bot: Harness) -> None:
    group = tg.group_chat()
    for i in range(5):
        await bot.feed(tg.message(update_id=10 + i, text=f"/start {i}", chat=group))
    [notice] = bot.api.sent(group["id"])
    assert notice.params["text"] == Texts("pl").gettext(
        "I answer questions only in a private chat, to keep your questions private. Write to me directly."
    )
    assert notice.markup["inline_keyboard"][0][0]["url"] == "https://t.me/MipTestBot"
    assert bot.api.sent(tg.USER_ID) == []


async def test_being_added_to_a_group_says_it_once_and_messages_after_add_nothing(
    bot: Harness,
) -> None:
    await bot.feed(tg.bot_added_to_group(update_id=1))
    await bot.feed(tg.message(update_id=2, text="/start", chat=tg.group_chat()))
    assert len(bot.api.sent(tg.group_chat()["id"])) == 1


class Broken:
    async def handle(self, event: UserEvent) -> list[Reply]:
        raise RuntimeError("database is down")


async def test_a_failing_core_still_gets_the_user_a_reply() -> None:
    async for bot in harness_for(Broken()):
        await bot.feed(tg.message(text="hello"))
        [sent] = bot.api.sent(tg.USER_ID)
        assert sent.params["text"] == Texts("pl").gettext(
            "Something went wrong on my side. Please try again in a minute."
        )


async def test_the_command_menu_is_set_per_language(bot: Harness) -> None:
    await set_command_menu(bot.application.bot)
    menus = [c for c in bot.api.calls if c.method == "setMyCommands"]
    assert {c.params.get("language_code") for c in menus} == {None, "pl", "bg", "ro", "nl"}


async def test_one_chats_updates_run_in_order_and_other_chats_alongside() -> None:
    import asyncio

    from bot.telegram.adapter import PerChatUpdateProcessor

    processor = PerChatUpdateProcessor()
    log: list[str] = []

    async def handle(name: str, pause: float) -> None:
        log.append(f"{name} start")
        await asyncio.sleep(pause)
        log.append(f"{name} end")

    def upd(update_id: int, chat_id: int) -> Update:
        data = tg.message(update_id, text="x", chat=tg.private_chat(chat_id))
        result = Update.de_json(data, None)
        assert result is not None
        return result

    async with processor:
        await asyncio.gather(
            processor.process_update(upd(1, 1), handle("a1", 0.05)),
            processor.process_update(upd(2, 1), handle("a2", 0.0)),
            processor.process_update(upd(3, 2), handle("b1", 0.0)),
        )
    assert log.index("a1 end") < log.index("a2 start")
    assert log.index("b1 end") < log.index("a1 end")
