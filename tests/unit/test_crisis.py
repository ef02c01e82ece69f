"""The crisis fast path: danger, suicide and violence at home get the emergency answer at
at once, in all four languages, with or without diacritics, without waiting for the engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.conversation import Conversation
from bot.core.crisis import find_crisis
from bot.core.events import UserEvent
from bot.core.understanding import IntentScore
from bot.evaluation.nlu_files import read_examples
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from tests.conftest import INTENTS, filled
from tests.unit.test_conversation import ScriptedEngine

CRISIS = ("emergency", "mental_health", "domestic_violence")

# (message, language, answer): with diacritics, without, with typos, Bulgarian in both scripts.
URGENT = [
    ("Chcę się zabić", "pl", "mental_health"),
    ("chce sie zabic", "pl", "mental_health"),
    ("juz nie chce mi sie zyc", "pl", "mental_health"),
    ("myśle o samobójstwie", "pl", "mental_health"),
    ("mysle o samobujstwie", "pl", "mental_health"),  # typo
    ("mąż mnie bije", "pl", "domestic_violence"),
    ("maz mnie bije co robic", "pl", "domestic_violence"),
    ("kolega nie oddycha!!", "pl", "emergency"),
    ("pożar w domu agencji", "pl", "emergency"),
    ("искам да умра", "bg", "mental_health"),
    ("iskam da umra", "bg", "mental_health"),
    ("ne iskam da jiveq veche", "bg", "mental_health"),
    ("6te se ubiq", "bg", "mental_health"),
    ("мисля за самоубийство", "bg", "mental_health"),
    ("mislq za samoubiistvo", "bg", "mental_health"),
    ("мъжът ми ме бие", "bg", "domestic_violence"),
    ("majat mi me bie vseki den", "bg", "domestic_violence"),
    ("домашно насилие", "bg", "domestic_violence"),
    ("колегата не диша", "bg", "emergency"),
    ("kolegata ne disha", "bg", "emergency"),
    ("vreau să mă sinucid", "ro", "mental_health"),
    ("vreau sa ma sinucid", "ro", "mental_health"),
    ("nu mai vreau sa traiesc", "ro", "mental_health"),
    ("soțul mă bate", "ro", "domestic_violence"),
    ("sotul ma bate in fiecare seara", "ro", "domestic_violence"),
    ("violenta domestica", "ro", "domestic_violence"),
    ("colegul nu respiră", "ro", "emergency"),
    ("colegul nu respira, chemati ambulanta", "ro", "emergency"),
    ("ik wil dood", "nl", "mental_health"),
    ("ik denk aan zelfmoord", "nl", "mental_health"),
    ("ik denk aan zelfmoort", "nl", "mental_health"),  # typo
    ("mijn man slaat me", "nl", "domestic_violence"),
    ("huiselijk geweld", "nl", "domestic_violence"),
    ("mijn collega is bewusteloos", "nl", "emergency"),
]

# Ordinary messages, some with words close to the crisis phrases.
ORDINARY = [
    "Dzisiaj w pracy zabiłem system, wszystko poszło super",
    "zgubilem kartke z bsn",
    "nie chcę żyć w takim mieszkaniu bez ogrzewania",  # housing, not a crisis phrase
    "днес в работата ги убих всички, бях най-бърз",
    "се убивам от работа тази седмица",
    "azi la muncă am omorât-o, am terminat primul",
    "ma bate gandul sa schimb agentia",
    "ik heb het vandaag op mijn werk helemaal gekild",
    "ik ging dood van het lachen",
    "ik moet de politie bellen maar het is geen noodgeval",
    "hoe schrijf ik me in bij de gemeente",
    "ile kosztuje ubezpieczenie zdrowotne",
]


@pytest.mark.parametrize(("message", "language", "answer"), URGENT)
def test_crisis_messages_are_recognised(
    content: ContentStore, message: str, language: str, answer: str
) -> None:
    [match] = find_crisis(message, content.data.crisis)
    assert (match.answer, match.language) == (answer, language)


@pytest.mark.parametrize("message", ORDINARY)
def test_ordinary_messages_are_not_a_crisis(content: ContentStore, message: str) -> None:
    assert find_crisis(message, content.data.crisis) == []


def test_no_false_alarm_on_thousands_of_ordinary_questions(content: ContentStore) -> None:
    """Every training and held-out example of a non-crisis intent (about 6,500)."""
    alarms = []
    for path in sorted((INTENTS / "data" / "nlu").glob("*.yml")) + sorted(
        (INTENTS / "tests").glob("*.yml")
    ):
        for example in read_examples(path):
            if example.intent in CRISIS:
                continue
            if find_crisis(example.text, content.data.crisis):
                alarms.append((path.name, example.intent, example.text))
    assert alarms == []


@pytest.fixture
def unsure_engine() -> ScriptedEngine:
    """An engine that understood nothing: the crisis path must not depend on it."""
    return ScriptedEngine(
        intent="nlu_fallback", confidence=0.1, ranking=(IntentScore("nlu_fallback", 0.1),)
    )


@pytest.mark.parametrize(
    ("message", "language", "answer"),
    [
        ("chce sie zabic", "pl", "mental_health"),
        ("ne iskam da jiveq veche", "bg", "mental_health"),
        ("мъжът ми ме бие", "bg", "domestic_violence"),
        ("sotul ma bate", "ro", "domestic_violence"),
        ("mijn collega is bewusteloos", "nl", "emergency"),
    ],
)
async def test_the_core_answers_at_once_without_waiting_for_the_engine(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    message: str,
    language: str,
    answer: str,
) -> None:
    hung = ScriptedEngine(hang=True)  # an engine that never answers
    core = Conversation(contract, content, hung, language_id, sqlite_states)
    # No language chosen yet, no Telegram hint: still answered at once, in that language.
    async with asyncio.timeout(1):
        [reply] = await core.handle(UserEvent.message("test:crisis", message))
    expected = content.get(language, answer)
    assert expected is not None
    assert reply.language == language
    assert reply.text.startswith(filled(content, expected))
    assert "understand" not in reply.text


async def test_a_crisis_in_another_language_than_the_chosen_one_is_answered_in_the_chosen_one(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    unsure_engine: ScriptedEngine,
) -> None:
    core = Conversation(contract, content, unsure_engine, language_id, sqlite_states)
    await core.handle(UserEvent.button("test:crisis", "lang:nl"))
    [reply] = await core.handle(UserEvent.message("test:crisis", "chce sie zabic"))
    expected = content.get("nl", "mental_health")
    assert expected is not None and reply.text.startswith(filled(content, expected))


def test_crisis_file_reloads_like_answers(tmp_path: Path, contract: Contract) -> None:
    import shutil

    from bot.language.codes import SUPPORTED
    from tests.conftest import CONTENT

    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    store = ContentStore(root, SUPPORTED, contract, check_interval=0)
    store.load()
    assert find_crisis("ik zie een bosbrand", store.data.crisis) == []
    crisis = root / "crisis.yml"
    crisis.write_text(
        crisis.read_text(encoding="utf-8").replace("    - er is brand\n", "    - bosbrand\n"),
        encoding="utf-8",
    )
    assert store.refresh()
    assert [m.answer for m in find_crisis("ik zie een bosbrand", store.data.crisis)] == [
        "emergency"
    ]
