"""Issue 12 through the conversation core, with the real phrase list and risk classifier:
every group's crisis answer comes first in every language, the maybe tier puts one safety
line above the normal answer, idioms, past events, negations and cost questions do not get
the emergency answer, a crisis inside a ticket reaches the key person, and a hung engine
does not delay a crisis answer.

The messages are written for these tests: none is in the training data (checked below) and
none comes from the development set tests/crisis_dev."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.content.loader import CRISIS_GROUPS, crisis_answer
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.clock import ManualClock
from bot.core.conversation import Conversation
from bot.core.crisis import find_crisis
from bot.core.events import UserEvent
from bot.core.handoff.hours import Schedule
from bot.core.risk import RiskClassifier, crisis_examples
from bot.handoff import Handoff, build_handoff
from bot.language.codes import SUPPORTED
from bot.language.i18n import Texts
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from bot.storage.outbox import SqlOutbox
from tests.conftest import INTENTS, filled
from tests.handoff_cases import MONDAY_MORNING, SCHEDULE
from tests.unit.test_conversation import ScriptedEngine

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAFETY_LINE = "In danger now? Call 112. Thoughts of suicide? Call 113, free."

# One message per group and language, typed as people type (some without diacritics).
DANGER = {
    ("suicide", "pl"): "nie dam rady dłużej, dzisiaj w nocy połknę wszystkie tabletki które mam",
    ("suicide", "bg"): "не виждам изход, тази нощ ще изпия всички хапчета които имам",
    ("suicide", "ro"): "nu mai rezist, la noapte iau toate pastilele pe care le am",
    ("suicide", "nl"): "ik trek het niet meer, vannacht neem ik alle pillen die ik heb",
    (
        "violence_at_home",
        "pl",
    ): "partner znowu mnie uderzył w twarz, zamknęłam się z dzieckiem w łazience",
    ("violence_at_home", "bg"): "партньорът пак ме удари в лицето, заключих се с детето в банята",
    ("violence_at_home", "ro"): "partenerul m-a lovit iar in fata, m-am incuiat cu copilul in baie",
    (
        "violence_at_home",
        "nl",
    ): "mijn partner heeft me weer in mijn gezicht geslagen, ik zit met mijn kind opgesloten in de badkamer",
    (
        "sexual_violence",
        "pl",
    ): "kierownik zaciągnął mnie wczoraj do magazynu i zmusił do seksu, nie wiem co robić",
    (
        "sexual_violence",
        "bg",
    ): "началникът ме завлече вчера в склада и ме принуди да правя секс, не знам какво да правя",
    (
        "sexual_violence",
        "ro",
    ): "seful m-a tras ieri in depozit si m-a obligat sa fac sex cu el, nu stiu ce sa fac",
    (
        "sexual_violence",
        "nl",
    ): "de chef trok me gisteren het magazijn in en dwong me tot seks, ik weet niet wat ik moet doen",
    (
        "trafficking",
        "pl",
    ): "pracodawca zabrał nam paszporty, nie płaci i nie pozwala wychodzić z farmy",
    (
        "trafficking",
        "bg",
    ): "работодателят ни взе паспортите, не плаща и не ни пуска да излизаме от фермата",
    (
        "trafficking",
        "ro",
    ): "patronul ne-a luat pasapoartele, nu ne plateste si nu ne lasa sa iesim de la ferma",
    (
        "trafficking",
        "nl",
    ): "de werkgever heeft onze paspoorten, betaalt niet en laat ons de boerderij niet af",
    ("medical", "pl"): "kolega upadł przy taśmie, jest siny i nie oddycha",
    ("medical", "bg"): "колегата падна до лентата, посинял е и не диша",
    ("medical", "ro"): "colegul a cazut langa banda, e vanat si nu respira",
    ("medical", "nl"): "mijn collega viel neer bij de band, hij is blauw en ademt niet",
    ("fire", "pl"): "w kontenerze obok nas wybuchł pożar, dym idzie do naszego pokoju",
    ("fire", "bg"): "в контейнера до нас избухна пожар, димът влиза в стаята ни",
    ("fire", "ro"): "a izbucnit un incendiu in containerul de langa noi, fumul intra in camera",
    ("fire", "nl"): "in de container naast ons is brand uitgebroken, de rook komt onze kamer in",
    ("assault", "pl"): "dwóch gości z kijami bije mojego kolegę na parkingu przed sklepem",
    ("assault", "bg"): "двама мъже с тояги бият колегата ми на паркинга пред магазина",
    ("assault", "ro"): "doi indivizi cu bate il bat pe colegul meu in parcarea magazinului",
    (
        "assault",
        "nl",
    ): "twee mannen met knuppels slaan mijn collega op de parkeerplaats bij de winkel",
}

# The idioms, past events, cost questions and negations of issue 12, in each language.
NOT_DANGER = {
    "pl": [
        "ta praca mnie wykończy, 12 godzin w szklarni",
        "szef mnie zabije jak się znowu spóźnię",
        "kilka lat temu były mąż mnie bił, teraz potrzebuję papieru do rozwodu",
        "czy karetka w holandii jest darmowa?",
        "to nic pilnego, nikt nie jest ranny, chcę tylko zgłosić kradzież roweru",
    ],
    "bg": [
        "тази работа ме убива, 12 часа в оранжерията",
        "шефът ще ме убие ако пак закъснея",
        "преди години бившият ми ме биеше, сега ми трябва документ за развода",
        "линейката безплатна ли е в холандия?",
        "не е спешно, никой не е ранен, искам само да съобщя за откраднато колело",
    ],
    "ro": [
        "munca asta mă omoară, 12 ore în seră",
        "șeful mă omoară dacă iar întârzii",
        "acum câțiva ani fostul soț mă bătea, acum am nevoie de o hârtie pentru divorț",
        "ambulanța e gratuită în olanda?",
        "nu e nicio urgență, nimeni nu e rănit, vreau doar să reclam furtul bicicletei",
    ],
    "nl": [
        "dit werk wordt nog eens mijn dood, 12 uur in de kas",
        "de baas vermoordt me als ik weer te laat kom",
        "jaren geleden sloeg mijn ex me, nu heb ik een papier nodig voor de scheiding",
        "is de ambulance gratis?",
        "het is geen noodgeval, niemand is gewond, ik wil alleen mijn gestolen fiets melden",
    ],
}

# Distress without acute danger: the maybe tier.
MAYBE = {
    "pl": "czuję się pusty i smutny od tygodni, z kim mogę porozmawiać",
    "bg": "чувствам се празен и тъжен от седмици, с кого мога да говоря",
    "ro": "ma simt gol si trist de saptamani, cu cine pot vorbi",
    "nl": "ik voel me al weken somber en leeg, met wie kan ik praten",
}


def crisis_answers(content: ContentStore, language: str) -> set[str]:
    answers = (content.get(language, crisis_answer(g)) for g in CRISIS_GROUPS)
    return {filled(content, a) for a in answers if a is not None}


def test_the_examples_are_not_training_messages() -> None:
    training = {text.strip().lower() for text, _ in crisis_examples(INTENTS / "crisis")}
    written = [*DANGER.values(), *MAYBE.values(), *(t for ts in NOT_DANGER.values() for t in ts)]
    assert [t for t in written if t.lower() in training] == []


@pytest.fixture
def hung() -> ScriptedEngine:
    return ScriptedEngine(hang=True)  # an engine that never answers


@pytest.fixture
def core(
    contract: Contract,
    content: ContentStore,
    hung: ScriptedEngine,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
) -> Conversation:
    return Conversation(contract, content, hung, language_id, sqlite_states, risk=risk)


@pytest.mark.parametrize(("group", "language"), sorted(DANGER))
async def test_every_group_gets_its_crisis_answer_first_in_every_language(
    core: Conversation, content: ContentStore, group: str, language: str
) -> None:
    # A new user, no language chosen, the engine hung: the crisis answer within a second.
    async with asyncio.timeout(1):
        replies = await core.handle(
            UserEvent.message(f"test:{group}-{language}", DANGER[(group, language)])
        )
    expected = content.get(language, crisis_answer(group))
    assert expected is not None
    assert replies[0].language == language
    assert replies[0].text.startswith(filled(content, expected))


@pytest.mark.parametrize("language", SUPPORTED)
async def test_the_maybe_tier_puts_the_safety_line_above_the_normal_answer(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
    language: str,
) -> None:
    engine = ScriptedEngine(intent="mental_health")
    core = Conversation(contract, content, engine, language_id, sqlite_states, risk=risk)
    [reply] = await core.handle(UserEvent.message(f"test:maybe-{language}", MAYBE[language]))
    line = Texts(language).gettext(SAFETY_LINE)
    assert line != SAFETY_LINE  # translated
    normal = content.get(language, "mental_health")
    assert normal is not None
    assert reply.text.startswith(f"_{line}_\n\n{filled(content, normal)}")


@pytest.mark.parametrize(
    ("language", "message"), [(lang, m) for lang, ms in NOT_DANGER.items() for m in ms]
)
async def test_idioms_past_events_costs_and_negations_get_the_normal_answer(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
    language: str,
    message: str,
) -> None:
    engine = ScriptedEngine(intent="police")
    core = Conversation(contract, content, engine, language_id, sqlite_states, risk=risk)
    [reply] = await core.handle(UserEvent.message(f"test:idiom-{language}", message))
    assert engine.asked == [message]  # the engine was asked: no crisis fast path
    assert not any(reply.text.startswith(a) for a in crisis_answers(content, language))
    normal = content.get(language, "police")
    assert normal is not None and filled(content, normal) in reply.text


@pytest.fixture
async def desk(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
) -> AsyncIterator[tuple[Conversation, Handoff, SqlOutbox]]:
    clock = ManualClock(MONDAY_MORNING)
    queue = build_handoff(sqlite_states.db, Schedule.load(SCHEDULE), content.title, clock=clock)
    engine = ScriptedEngine(intent="nlu_fallback", confidence=0.1)
    core = Conversation(
        contract, content, engine, language_id, sqlite_states, handoff=queue, risk=risk
    )
    token = await queue.key_persons.create_invite(["pl"], "Ala")
    await core.handle(UserEvent.command("tg:kp", f"/start {token}"))
    yield core, queue, SqlOutbox(sqlite_states.db, clock)


async def test_a_crisis_inside_a_ticket_gets_the_crisis_answer_and_reaches_the_key_person(
    desk: tuple[Conversation, Handoff, SqlOutbox], content: ContentStore
) -> None:
    core, queue, outbox = desk
    user = "tg:in-ticket"
    await core.handle(UserEvent.message(user, "czy moge zabrac psa do pracy w szklarni"))
    await core.handle(UserEvent.message(user, "a jesli szef sie nie zgodzi?"))  # a ticket
    await drain(outbox)
    ticket = await queue.tickets.active_ticket(user)
    assert ticket is not None
    await core.handle(UserEvent.button("tg:kp", callbacks.claim(ticket.code)))
    await drain(outbox)

    text = DANGER[("violence_at_home", "pl")]
    replies = await core.handle(UserEvent.message(user, text))
    expected = content.get("pl", crisis_answer("violence_at_home"))
    assert expected is not None and replies[0].text.startswith(filled(content, expected))
    to_kp = [m.reply.text for m in await outbox.due(limit=100) if m.recipient == "tg:kp"]
    assert len(to_kp) == 1 and text in to_kp[0]


async def drain(outbox: SqlOutbox) -> None:
    """Everything waiting counts as delivered (one message per recipient per look)."""
    while due := await outbox.due(limit=100):
        for message in due:
            await outbox.mark_sent(message)


async def test_a_group_the_trees_crisis_file_does_not_list_gets_the_emergency_answer(
    tmp_path: Path,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
) -> None:
    """A tree whose crisis.yml lists one general group (the valid fixture): the classifier's
    reading 'fire' has no answer of its own there, so the emergency answer (112) comes."""
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURES / "valid", root)
    contract = Contract.load(root / "contract.yml")
    content = ContentStore(root / "content", SUPPORTED, contract)
    assert content.load() == []
    core = Conversation(
        contract, content, ScriptedEngine(hang=True), language_id, sqlite_states, risk=risk
    )
    async with asyncio.timeout(1):
        [reply] = await core.handle(UserEvent.message("test:fixture", DANGER[("fire", "nl")]))
    emergency = content.get("nl", "emergency")
    assert emergency is not None and reply.text.startswith(filled(content, emergency))


async def test_a_phrase_in_a_story_told_as_the_past_gets_the_normal_answer_and_the_safety_line(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
) -> None:
    message = "w zeszłym roku mąż mnie uderzył, teraz się rozwodzimy, gdzie znajdę prawnika"
    assert find_crisis(message, content.data.crisis)  # a phrase is there
    engine = ScriptedEngine(intent="police")
    core = Conversation(contract, content, engine, language_id, sqlite_states, risk=risk)
    [reply] = await core.handle(UserEvent.message("test:past", message))
    assert engine.asked == [message]  # no crisis fast path
    assert not any(reply.text.startswith(a) for a in crisis_answers(content, "pl"))
    assert reply.text.startswith(f"_{Texts('pl').gettext(SAFETY_LINE)}_")
