"""The real intent engine, trained from intents/, behind the real core."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

import pytest

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.conversation import Conversation
from bot.core.events import UserEvent
from bot.core.understanding import EngineUnavailable
from bot.engine.client import EngineClient
from bot.engine.process import free_port
from bot.evaluation.heldout import load_examples
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier
from bot.storage.conversations import SqlConversationStates
from tests.conftest import INTENTS, filled

pytestmark = pytest.mark.integration
# Floors well under the accuracy measured on the held-out split (see README); a drop below
# them means the model or the routing broke, not that a number moved by a point.
ANSWER_FLOOR = 0.85
LANGUAGE_FLOOR = 0.97


@pytest.fixture
async def engine(engine_url: str) -> AsyncIterator[EngineClient]:
    client = EngineClient(engine_url, timeout=10.0)
    yield client
    await client.aclose()


async def test_parse_returns_a_typed_ranking(engine: EngineClient, contract: Contract) -> None:
    result = await engine.parse("jak sie zameldowac w gminie w venlo")
    assert result.intent == "register_brp"
    assert 0 < result.confidence <= 1
    assert {s.name for s in result.ranking} <= set(contract.intents) | {"nlu_fallback"}


async def test_a_10000_character_message_is_parsed(engine: EngineClient) -> None:
    result = await engine.parse("ubezpieczenie zdrowotne zorgverzekering " * 250)
    assert result.intent == "health_insurance"


async def test_an_engine_that_is_not_there_is_reported_as_unavailable() -> None:
    client = EngineClient(f"http://127.0.0.1:{free_port()}", timeout=1.0)
    with pytest.raises(EngineUnavailable):
        await client.parse("hallo")
    await client.aclose()


@pytest.mark.parametrize("language", SUPPORTED)
async def test_held_out_questions_reach_the_right_answer_in_the_right_language(
    language: str,
    engine: EngineClient,
    contract: Contract,
    content: ContentStore,
    language_id: LanguageIdentifier,
    sqlite_states: SqlConversationStates,
) -> None:
    core = Conversation(contract, content, engine, language_id, sqlite_states)
    examples = [
        e
        for e in load_examples(INTENTS / "tests")
        if e.language == language and contract.is_answer(e.intent)
    ]
    outcome: Counter[str] = Counter()
    for n, example in enumerate(examples):
        user = f"it:{language}:{n}"
        # A crisis message may get two answers (e.g. a knife at home: 112 and Veilig Thuis).
        reply, *_ = await core.handle(UserEvent.message(user, example.text, locale_hint=language))
        expected = content.get(language, example.intent)
        assert expected is not None
        outcome["language"] += reply.language == language
        if expected.variants.needs:
            # A tailored answer: right when the bot asks for the stay or municipality first
            # and keeps this answer waiting for it.
            state = await sqlite_states.load(user)
            outcome["answer"] += state.pending_intent == example.intent
        else:
            outcome["answer"] += reply.text.startswith(filled(content, expected))
    assert outcome["answer"] / len(examples) >= ANSWER_FLOOR, outcome
    assert outcome["language"] / len(examples) >= LANGUAGE_FLOOR, outcome
