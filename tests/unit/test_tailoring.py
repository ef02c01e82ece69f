"""Tailored answers through the core: the bot asks the stay length or municipality only when
the answer depends on it, remembers it, lets the user change it; desks and information
evenings in the user's language; subscriptions and announcements."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot import cli
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.conversation import Conversation
from bot.core.evenings import Subscription, announce, announcement_replies
from bot.core.events import Reply, UserEvent
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from bot.storage.subscriptions import SqlSubscriptions
from tests.conftest import CONTENT, filled
from tests.unit.test_conversation import ScriptedEngine, data_of

USER = "test:tailored"
TODAY = dt.date(2026, 11, 23)
FIXTURE_DATA = Path(__file__).resolve().parent.parent / "fixtures" / "valid" / "content"


@pytest.fixture
def store(tmp_path: Path, contract: Contract) -> ContentStore:
    """The real answers with the fixture desks (Breda, Venlo) and information evenings."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    for name in ("municipalities.yml", "events.yml"):
        shutil.copy(FIXTURE_DATA / name, root / name)
    store = ContentStore(root, SUPPORTED, contract, check_interval=0)
    assert [p for p in store.load() if not p.warning] == []
    return store


@pytest.fixture
async def subscriptions(sqlite_states: SqlConversationStates) -> SqlSubscriptions:
    return SqlSubscriptions(sqlite_states.db)


@pytest.fixture
async def core(
    contract: Contract,
    store: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    subscriptions: SqlSubscriptions,
) -> AsyncIterator[Conversation]:
    yield Conversation(
        contract,
        store,
        ScriptedEngine(intent="register_brp"),
        language_id,
        sqlite_states,
        subscriptions=subscriptions,
        today=lambda: TODAY,
    )


def variant(store: ContentStore, language: str, intent: str, stay: str | None) -> str:
    answer = store.get(language, intent)
    assert answer is not None
    return filled(store, answer, stay)


async def press(core: Conversation, data: str) -> list[Reply]:
    return await core.handle(UserEvent.button(USER, data))


async def test_stay_is_asked_once_then_remembered_and_can_be_changed(
    core: Conversation, store: ContentStore, sqlite_states: SqlConversationStates
) -> None:
    [question] = await core.handle(UserEvent.message(USER, "jak sie zameldowac w gminie?"))
    assert data_of(question) == ["stay:short", "stay:mid", "stay:long"]
    assert [b.label for b in question.button_list] == [
        "Krócej niż 4 miesiące",
        "Od 4 miesięcy do 3 lat",
        "Dłużej niż 3 lata",
    ]
    [answer] = await press(core, "stay:short")
    assert answer.text.startswith(variant(store, "pl", "register_brp", "short"))
    brp = store.get("pl", "register_brp")
    assert brp is not None
    for section in brp.variants.sections:  # only the short-stay sections are shown
        assert (section.text in answer.text) == ("short" in section.values)
    assert "profile" in data_of(answer)  # change the situation, under tailored answers

    # Remembered: the next tailored answer comes at once, for the same stay.
    core.engine.intent = "get_bsn"  # type: ignore[attr-defined]
    [bsn] = await core.handle(UserEvent.message(USER, "gdzie dostane numer bsn"))
    assert bsn.text.startswith(variant(store, "pl", "get_bsn", "short"))
    state = await sqlite_states.load(USER)
    assert (state.stay, state.pending_intent, state.last_intent) == ("short", None, "get_bsn")

    # Changed from the button under the answer: the last answer comes again, tailored anew.
    [summary] = await press(core, "profile")
    assert "Krócej niż 4 miesiące" in summary.text and "jeszcze nie podano" in summary.text
    assert data_of(summary) == ["profile:stay", "profile:muni", callbacks.MENU]
    [again] = await press(core, "profile:stay")
    assert data_of(again) == ["stay:short", "stay:mid", "stay:long"]
    [long] = await press(core, "stay:long")
    assert long.text.startswith(variant(store, "pl", "get_bsn", "long"))
    assert (await sqlite_states.load(USER)).stay == "long"


async def test_untailored_answers_ask_nothing(core: Conversation, store: ContentStore) -> None:
    core.engine.intent = "find_doctor"  # type: ignore[attr-defined]
    [reply] = await core.handle(UserEvent.message(USER, "hoe vind ik een huisarts in venlo"))
    assert reply.text.startswith(variant(store, "nl", "find_doctor", None))
    assert "profile" not in data_of(reply)


async def test_info_point_asks_the_municipality_and_shows_its_desk_with_babel_days(
    core: Conversation,
) -> None:
    core.engine.intent = "info_point"  # type: ignore[attr-defined]
    [question] = await core.handle(UserEvent.message(USER, "gdzie jest punkt informacyjny"))
    assert data_of(question) == ["muni:breda", "muni:venlo", "muni:other"]
    assert question.button_list[-1].label == "Inna gmina"
    [answer] = await press(core, "muni:breda")
    assert "**Fixture desk Breda**" in answer.text
    assert "Fixturestraat 1, Breda" in answer.text
    assert "Poniedziałek–środa: 09:00–17:00" in answer.text  # consecutive days grouped
    assert "Czwartek: 09:00–12:00, 13:00–20:00" in answer.text
    assert "[+31 00 000 00 00](tel:+31000000000)" in answer.text
    assert (
        "**Mobilny punkt**" in answer.text and "Sobota, 10:00–12:00: Fixture market" in answer.text
    )
    # The information evening in Polish, with babel's date; the past one is not listed.
    assert "**Spotkania informacyjne**" in answer.text
    assert "**Wtorek 1 grudnia, 19:00–21:00**, Breda: Fixture hall" in answer.text
    assert "Old hall" not in answer.text


async def test_a_typed_municipality_answers_too_and_unknown_fields_say_where_to_look(
    core: Conversation,
) -> None:
    core.engine.intent = "info_point"  # type: ignore[attr-defined]
    await core.handle(UserEvent.message(USER, "waar is het informatiepunt bij mij"))
    [answer] = await core.handle(UserEvent.message(USER, "Venlo"))
    assert "**Fixture desk Venlo**" in answer.text
    assert "Openingstijden: kijk op de website of vraag het ons." in answer.text
    assert "**Informatieavonden**\n\n- " not in answer.text  # the upcoming one is in pl, ro


async def test_bulgarian_desk_times_and_other_municipality(core: Conversation) -> None:
    core.engine.intent = "info_point"  # type: ignore[attr-defined]
    await core.handle(UserEvent.message(USER, "къде е информационният пункт"))
    [breda] = await press(core, "muni:breda")
    assert "Понеделник–сряда: 9:00 ч. – 17:00 ч." in breda.text
    await press(core, "profile:muni")
    [other] = await press(core, "muni:other")
    assert "Нямам данни за гишето във вашата община" in other.text


async def test_rni_desk_is_the_nearest_or_all_nineteen(
    core: Conversation, store: ContentStore
) -> None:
    core.engine.intent = "register_rni"  # type: ignore[attr-defined]
    await core.handle(UserEvent.button(USER, callbacks.language("ro")))
    await core.handle(UserEvent.message(USER, "inregistrare rni pentru cateva luni"))
    [question] = await press(core, "stay:short")
    assert data_of(question)[-1] == "muni:other"
    [venlo] = await press(core, "muni:venlo")
    answer = store.get("ro", "register_rni")
    assert answer is not None and "rni_desk" in answer.variants.placeholders
    assert "Alkmaar" not in venlo.text and "Venlo" in venlo.text
    await press(core, "profile:muni")
    [other] = await press(core, "muni:other")
    assert "Alkmaar, Almelo, Amsterdam, Breda" in other.text and "Zwolle" in other.text


async def test_profile_command_and_forged_choices(core: Conversation) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("nl")))
    [summary] = await core.handle(UserEvent.command(USER, "/profile"))
    assert "Verblijf in Nederland: nog niet opgegeven" in summary.text
    [same] = await core.handle(UserEvent.command(USER, "/settings"))
    assert same.text == summary.text
    for forged in ("muni:atlantis", "stay:forever"):
        [reply] = await press(core, forged)
        assert reply.text == "Deze knop is verlopen. Hier is het menu."


async def test_events_subscribe_and_unsubscribe(
    core: Conversation, subscriptions: SqlSubscriptions
) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("ro")))
    await press(core, "profile:muni")
    await press(core, "muni:breda")
    [events] = await core.handle(UserEvent.command(USER, "events"))
    assert "**Marți 1 decembrie, 19:00–21:00**, Breda: Fixture hall" in events.text
    assert data_of(events)[0] == "sub"
    [done] = await press(core, "sub")
    assert "Breda" in done.text and "/unsubscribe" in done.text
    assert await subscriptions.get(USER) == Subscription(USER, "ro", "breda")
    [events] = await core.handle(UserEvent.command(USER, "events"))
    assert data_of(events)[0] == "unsub"
    [stopped] = await core.handle(UserEvent.command(USER, "unsubscribe"))
    assert stopped.text == "Gata. Nu mai primești anunțuri."
    assert await subscriptions.get(USER) is None
    [again] = await core.handle(UserEvent.command(USER, "unsubscribe"))
    assert again.text == "Nu erai abonat la anunțuri."


async def test_no_events_in_the_language_says_so(core: Conversation) -> None:
    await core.handle(UserEvent.button(USER, callbacks.language("bg")))
    [events] = await core.handle(UserEvent.command(USER, "events"))
    assert events.text == "В момента няма планирани информационни срещи на български."


@dataclass
class ListAnnouncer:
    sent: list[tuple[str, Reply]] = field(default_factory=list)

    async def enqueue(self, recipient: str, reply: Reply) -> None:
        self.sent.append((recipient, reply))


async def test_announcements_reach_matching_subscribers_once(
    store: ContentStore, subscriptions: SqlSubscriptions
) -> None:
    await subscriptions.subscribe("tg:pl-breda", "pl", "breda")
    await subscriptions.subscribe("tg:pl-venlo", "pl", "venlo")
    await subscriptions.subscribe("tg:ro-all", "ro", None)
    await subscriptions.subscribe("tg:nl-all", "nl", None)
    [_past, event] = store.data.events  # sorted by date

    def title(language: str, intent: str) -> str:
        answer = store.get(language, intent)
        return answer.title if answer else intent

    replies = announcement_replies(
        event, await subscriptions.all(), store.data.municipalities, title
    )
    assert [r for r, _ in replies] == ["tg:pl-breda", "tg:ro-all"]
    pl = replies[0][1]
    assert pl.language == "pl" and pl.markdown
    assert "Nowe spotkanie informacyjne" in pl.text and "Wtorek 1 grudnia" in pl.text
    assert "Meldunek w gminie (BRP)" in pl.text  # the topic's title in Polish
    assert data_of(pl) == ["answer:info_point", "unsub"]

    sink = ListAnnouncer()
    kwargs = {"today": TODAY}
    dry = await announce(
        store.data.events,
        subscriptions,
        sink,
        store.data.municipalities,
        title,
        dry_run=True,
        **kwargs,
    )
    assert [(a.event.id, a.recipients) for a in dry] == [("fixture-tax-evening", 2)]
    assert sink.sent == [] and await subscriptions.announced() == set()

    done = await announce(
        store.data.events, subscriptions, sink, store.data.municipalities, title, **kwargs
    )
    assert [(a.event.id, a.recipients) for a in done] == [("fixture-tax-evening", 2)]
    assert [r for r, _ in sink.sent] == ["tg:pl-breda", "tg:ro-all"]
    again = await announce(
        store.data.events, subscriptions, sink, store.data.municipalities, title, **kwargs
    )
    assert again == [] and len(sink.sent) == 2  # never twice


def test_cli_announce_dry_run(
    tmp_path: Path,
    store: ContentStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MIP_CONTENT_DIR", str(store.root))
    monkeypatch.setenv("MIP_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    assert cli.main(["events", "announce", "--dry-run"]) == 0
    out = capsys.readouterr().out
    # No subscribers in a new database; the past evening is not listed.
    assert "would announce fixture-tax-evening (2026-12-01) to 0 subscriber(s)" in out or (
        "no upcoming event left" in out
    )
