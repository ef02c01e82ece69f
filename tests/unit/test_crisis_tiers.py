"""Issue 12, the parts: each group has its answer in every language, the tiers from the three
signals, the fast scorer gives scikit-learn's numbers, idioms stay out of danger."""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest

from bot.content.loader import CRISIS_GROUPS
from bot.content.store import ContentStore
from bot.core.crisis import find_crisis
from bot.core.risk import DANGER, MAYBE_AT, SAFETY_FLOOR, Risk, RiskClassifier, tier_of
from bot.language.codes import SUPPORTED
from bot.language.folding import fold


@pytest.mark.parametrize("language", SUPPORTED)
@pytest.mark.parametrize("group", CRISIS_GROUPS)
def test_every_group_has_its_answer_in_every_language(
    content: ContentStore, language: str, group: str
) -> None:
    assert content.get(language, f"crisis_{group}") is not None


def reading(danger: float, maybe: float = 0.0) -> Risk:
    return Risk("suicide", danger, danger, danger + maybe)


@pytest.mark.parametrize(
    ("risk", "phrase", "intent", "tier"),
    [
        (None, True, None, "danger"),  # a phrase is enough, with or without the classifier
        (reading(0.0), True, None, "danger"),
        (reading(DANGER), False, None, "danger"),
        (reading(DANGER - 0.01, 0.0), False, None, "maybe"),  # concern is danger + maybe
        (reading(0.0, MAYBE_AT), False, None, "maybe"),
        (reading(0.0, MAYBE_AT - 0.01), False, None, None),
        (reading(0.0, SAFETY_FLOOR), False, "mental_health", "maybe"),  # the third signal
        (reading(0.0, SAFETY_FLOOR), False, "find_doctor", None),
        (reading(0.0, SAFETY_FLOOR - 0.01), False, "emergency", None),
        (reading(0.9), False, "emergency", "danger"),
        (None, False, "emergency", None),  # no classifier: the engine alone adds nothing
    ],
)
def test_tiers_from_the_three_signals(
    risk: Risk | None, phrase: bool, intent: str | None, tier: str | None
) -> None:
    assert tier_of(risk, phrase, intent) == tier


IDIOMS = [
    "ta robota mnie zabije hahaha",
    "ik ging dood van het lachen",
    "kilka lat temu byly maz mnie bil, teraz potrzebuje papierow do rozwodu",
    "ile kosztuje karetka w holandii",
    "am murit de rás cu colegii azi la pauză",
    "умирам от смях с тия колеги",
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


MESSAGES = [
    "nie chce juz zyc",
    "mąż mnie bije, pomocy",
    "hoe schrijf ik me in bij de gemeente",
    "колко струва линейката",
    "am primit o scrisoare de la belastingdienst, ce inseamna aanslag?",
    "🔥🔥 brand!!",
    "",
]


@pytest.mark.parametrize("message", MESSAGES)
def test_the_fast_scorer_gives_scikit_learns_probabilities(
    risk: RiskClassifier, message: str
) -> None:
    for view in risk.views:
        folded = fold(message)
        assert view.probabilities(folded) == pytest.approx(view.reference(folded), abs=1e-6)
    expected = np.mean([v.reference(fold(message)) for v in risk.views], axis=0)
    assert risk.probabilities(message) == pytest.approx(expected, abs=1e-6)


def test_the_classifier_is_cheap_enough_for_every_message(risk: RiskClassifier) -> None:
    """It runs on every message before anything else: well under a millisecond each
    (a loose bound here, for a shared test machine; bench/latency.py measures the whole)."""
    text = "dzien dobry, mam pytanie o zorgtoeslag i huurtoeslag, czy moge dostac oba naraz?"
    times = []
    for _ in range(200):
        started = time.perf_counter()
        risk.assess(text)
        times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.002


@pytest.mark.parametrize(
    ("risk", "tier"),
    [
        (reading(DANGER - 0.01, 0.0), "maybe"),  # the classifier does not read danger now
        (reading(DANGER), "danger"),
        (None, "danger"),  # no classifier to ask: the phrase decides, as before
    ],
)
def test_a_phrase_told_as_the_past_is_danger_only_when_the_classifier_agrees(
    risk: Risk | None, tier: str
) -> None:
    assert tier_of(risk, True, told_as_past=True) == tier
    assert tier_of(risk, True) == "danger"


@pytest.mark.parametrize(
    ("message", "past"),
    [
        ("w zeszłym roku mąż mnie uderzył, teraz się rozwodzimy", True),
        ("dwa lata temu mąż mnie uderzył i dalej się boję", True),
        ("mąż mnie uderzył, przyjedźcie", False),
        ("od roku mąż mnie uderzył już kilka razy", False),  # still going on
        ("ik ben drie jaar geleden verkracht, kan ik nog aangifte doen", True),
        ("anul trecut am fost violată de un coleg, pot face plângere?", True),
    ],
)
def test_a_past_expression_marks_the_phrase_match(
    content: ContentStore, message: str, past: bool
) -> None:
    [match] = find_crisis(message, content.data.crisis)
    assert match.past is past
