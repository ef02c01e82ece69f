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

CRISIS = (
    "emergency",
    "mental_health",
    "domestic_violence",
    "sexual_violence",
    "report_exploitation",
)

# (message, language, answer): with diacritics, without, with typos, Bulgarian in both scripts.
URGENT = [
    ("Chcę się zabić", "pl", "crisis_suicide"),
    ("chce sie zabic", "pl", "crisis_suicide"),
    ("juz nie chce mi sie zyc", "pl", "crisis_suicide"),
    ("myśle o samobójstwie", "pl", "crisis_suicide"),
    ("mysle o samobujstwie", "pl", "crisis_suicide"),  # typo
    ("mąż mnie bije", "pl", "crisis_violence_at_home"),
    ("maz mnie bije co robic", "pl", "crisis_violence_at_home"),
    ("kolega nie oddycha!!", "pl", "crisis_medical"),
    ("pożar w domu agencji", "pl", "crisis_fire"),
    ("искам да умра", "bg", "crisis_suicide"),
    ("iskam da umra", "bg", "crisis_suicide"),
    ("ne iskam da jiveq veche", "bg", "crisis_suicide"),
    ("6te se ubiq", "bg", "crisis_suicide"),
    ("мисля за самоубийство", "bg", "crisis_suicide"),
    ("mislq za samoubiistvo", "bg", "crisis_suicide"),
    ("мъжът ми ме бие", "bg", "crisis_violence_at_home"),
    ("majat mi me bie vseki den", "bg", "crisis_violence_at_home"),
    ("колегата не диша", "bg", "crisis_medical"),
    ("kolegata ne disha", "bg", "crisis_medical"),
    ("vreau să mă sinucid", "ro", "crisis_suicide"),
    ("vreau sa ma sinucid", "ro", "crisis_suicide"),
    ("nu mai vreau sa traiesc", "ro", "crisis_suicide"),
    ("soțul mă bate", "ro", "crisis_violence_at_home"),
    ("sotul ma bate in fiecare seara", "ro", "crisis_violence_at_home"),
    ("colegul nu respiră", "ro", "crisis_medical"),
    ("colegul nu respira, chemati ambulanta", "ro", "crisis_medical"),
    ("nie chcę żyć", "pl", "crisis_suicide"),
    ("mąż mnie uderzył", "pl", "crisis_violence_at_home"),
    ("nu vreau să mai trăiesc", "ro", "crisis_suicide"),
    ("mă bate bărbatul meu", "ro", "crisis_violence_at_home"),
    # An everyday expression ("mă bate gândul": I am thinking of) does not hide the phrase.
    ("ma bate gandul sa plec acasa, sotul iar ma bate", "ro", "crisis_violence_at_home"),
    ("nie chce zyc, nie mam juz sily", "pl", "crisis_suicide"),
    ("ik wil er niet meer zijn", "nl", "crisis_suicide"),
    ("ik wil mezelf iets aandoen", "nl", "crisis_suicide"),
    ("ще се обеся", "bg", "crisis_suicide"),
    ("ik wil dood", "nl", "crisis_suicide"),
    ("ik denk aan zelfmoord", "nl", "crisis_suicide"),
    ("ik denk aan zelfmoort", "nl", "crisis_suicide"),  # typo
    ("mijn man slaat me", "nl", "crisis_violence_at_home"),
    ("mijn collega is bewusteloos", "nl", "crisis_medical"),
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
    # A topic word alone is a school paper, the news or the past as often as a call for help:
    # the classifier reads those (test_crisis_tiers.py), the phrases do not.
    "huiselijk geweld",
    "ik moet een werkstuk maken over zelfmoord",
    "szef mnie zabije jak się spóźnię",
    "het brandt als ik plas",
    "de verhuurder reageert niet op mijn mail",
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
        ("chce sie zabic", "pl", "crisis_suicide"),
        ("ne iskam da jiveq veche", "bg", "crisis_suicide"),
        ("мъжът ми ме бие", "bg", "crisis_violence_at_home"),
        ("sotul ma bate", "ro", "crisis_violence_at_home"),
        ("mijn collega is bewusteloos", "nl", "crisis_medical"),
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
    expected = content.get("nl", "crisis_suicide")
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
        "crisis_fire"
    ]


def test_a_past_expression_in_an_unknown_language_is_named_with_its_line(tmp_path: Path) -> None:
    from bot.content.crisis_phrases import load_crisis

    path = tmp_path / "crisis.yml"
    path.write_text(
        "fire:\n  answer: emergency\n  pl: [pali się]\n  bg: [пожар]\n  ro: [foc mare]\n"
        "  nl: [er is brand]\npast:\n  pl: [rok temu]\n  de: [letztes jahr]\n",
        encoding="utf-8",
    )
    groups, problems = load_crisis(path, ("emergency",))
    assert [p.words for p in groups[0].past] == [("rok", "temu")]
    assert [(p.line, p.message) for p in problems] == [(9, "unknown language 'de' in 'past'")]
