"""Live editing through the core, with the store watching the files as in the running bot:
an edited file is served once reloaded; a broken edit is reported and the last good version
stays; the same for municipalities.yml."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.conversation import Conversation
from bot.core.events import UserEvent
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from tests.conftest import CONTENT
from tests.unit.test_conversation import ScriptedEngine

USER = "test:reload"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine(intent="find_doctor")


@pytest.fixture
async def core(
    root: Path,
    contract: Contract,
    engine: ScriptedEngine,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> AsyncIterator[Conversation]:
    store = ContentStore(root, SUPPORTED, contract, check_interval=0.01)
    assert [p for p in store.load() if not p.warning] == []
    watching = asyncio.create_task(store.watch())
    yield Conversation(contract, store, engine, language_id, sqlite_states)
    watching.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watching


async def reloaded(store: ContentStore, before: int) -> None:
    async with asyncio.timeout(5):
        while store.version == before:  # noqa: ASYNC110 (the watcher has no event to wait on)
            await asyncio.sleep(0.01)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def edit(store: ContentStore, path: Path, old: str, new: str) -> None:
    """Edit a file as staff do, then wait until the watching store has read it."""
    before = store.version
    replace_in(path, old, new)
    await reloaded(store, before)


async def ask(core: Conversation) -> str:
    [reply] = await core.handle(UserEvent.message(USER, "hoe vind ik een huisarts"))
    return reply.text


async def test_an_edited_answer_is_served_at_once_and_a_broken_edit_keeps_the_last_good(
    core: Conversation, root: Path
) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("nl")))
    before = await ask(core)
    path = root / "nl" / "find_doctor.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("---", 1)
    lines.insert(end + 1, "**Nieuw:** de gemeente heeft dit net aangepast.\n")
    before_edit = core.content.version
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    await reloaded(core.content, before_edit)

    edited = await ask(core)
    assert edited != before and edited.startswith("**Nieuw:** de gemeente heeft dit net aangepast.")

    # A mistake while editing: an unclosed section. Users keep the last good version.
    await edit(core.content, path, "**Nieuw:**", "::: stay short\n**Kapot:**")
    assert await ask(core) == edited
    problems = core.content.problems
    assert {p.path for p in problems} == {str(path)}
    assert any(p.line == 13 and "section is not closed" in p.message for p in problems)

    await edit(core.content, path, "::: stay short\n**Kapot:**", "**Hersteld:**")
    assert (await ask(core)).startswith("**Hersteld:**")
    assert core.content.problems == []


async def test_an_edited_desk_is_served_at_once_and_a_broken_file_keeps_the_last_good(
    core: Conversation, root: Path, engine: ScriptedEngine
) -> None:
    engine.intent = "info_point"
    await core.handle(UserEvent.button(USER, callbacks.language("pl")))
    await core.handle(UserEvent.message(USER, "gdzie jest punkt informacyjny"))
    [first] = await core.handle(UserEvent.button(USER, "muni:breda"))
    places = root / "municipalities.yml"
    assert "Informatiepunt West-Brabant, stadskantoor Breda" in first.text

    await edit(
        core.content,
        places,
        "Informatiepunt West-Brabant, stadskantoor Breda",
        "Nieuwe balie Breda",
    )
    [second] = await core.handle(UserEvent.message(USER, "gdzie jest punkt informacyjny"))
    assert "**Nieuwe balie Breda**" in second.text

    # Broken: a weekday nobody knows. The desk people see stays the last good one.
    await edit(
        core.content,
        places,
        "- name: Nieuwe balie Breda",
        '- name: Kapotte balie\n        hours: {maandag: "9-5"}',
    )
    [third] = await core.handle(UserEvent.message(USER, "gdzie jest punkt informacyjny"))
    assert "**Nieuwe balie Breda**" in third.text and "Kapotte" not in third.text
    assert {p.path for p in core.content.problems} == {str(places)}
    assert any("unknown weekday 'maandag'" in p.message for p in core.content.problems)
