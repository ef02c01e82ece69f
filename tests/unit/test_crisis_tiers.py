"""Issue 12 through the core: each group's crisis answer in each language (danger tier), the
safety line on top of the normal answer (maybe tier), idioms and past events not in danger."""

from __future__ import annotations

import pytest

from bot.content.loader import CRISIS_GROUPS
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.conversation import Conversation
from bot.core.crisis import find_crisis
from bot.core.events import UserEvent
from bot.core.risk import RiskClassifier, tier_of
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from tests.conftest import INTENTS
from tests.unit.test_conversation import ScriptedEngine


@pytest.fixture(scope="session")
def risk() -> RiskClassifier:
    return RiskClassifier.from_training_data(INTENTS)


@pytest.mark.parametrize("language", SUPPORTED)
@pytest.mark.parametrize("group", CRISIS_GROUPS)
def test_every_group_has_its_answer_in_every_language(
    content: ContentStore, language: str, group: str
) -> None:
    assert content.get(language, f"crisis_{group}") is not None


IDIOMS = [
    "ta robota mnie zabije hahaha",
    "ik ging dood van het lachen",
    "kilka lat temu byly maz mnie bil, teraz potrzebuje papierow do rozwodu",
    "ile kosztuje karetka w holandii",
]


@pytest.mark.parametrize("message", IDIOMS)
def test_idioms_and_past_events_do_not_reach_danger(
    content: ContentStore, risk: RiskClassifier, message: str
) -> None:
    found = bool(find_crisis(message, content.data.crisis))
    assert tier_of(risk.assess(message), found) != "danger"


def test_a_negated_phrase_does_not_match(content: ContentStore) -> None:
    assert (
        find_crisis("ik moet de politie bellen maar het is geen noodgeval", content.data.crisis)
        == []
    )


async def test_the_classifier_answers_a_paraphrase_with_the_crisis_answer(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
) -> None:
    core = Conversation(
        contract, content, ScriptedEngine(hang=True), language_id, sqlite_states, risk=risk
    )
    text = "stoje na moscie i mysle zeby skoczyc, nie dam rady dalej"
    assert not find_crisis(text, content.data.crisis)
    [reply] = await core.handle(UserEvent.message("test:tier", text))
    expected = content.get("pl", "crisis_suicide")
    assert expected is not None and expected.title
    assert reply.language == "pl"
    assert "113" in reply.text or "suicide_line" in reply.text


async def test_the_maybe_tier_puts_the_safety_line_on_top(
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
    risk: RiskClassifier,
) -> None:
    engine = ScriptedEngine(intent="mental_health")
    core = Conversation(contract, content, engine, language_id, sqlite_states, risk=risk)
    text = "od jakiegoś czasu jest mi bardzo smutno i nie mam siły na nic"
    reading = risk.assess(text)
    assert tier_of(reading, False, "mental_health") == "maybe"
    [reply] = await core.handle(UserEvent.message("test:maybe", text))
    assert reply.text.startswith("_Jesteś w niebezpieczeństwie? Dzwoń 112.")
    assert engine.asked == [text]
