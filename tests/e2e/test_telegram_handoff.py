"""Handoff end to end on Telegram: the places for the scenarios that need the handoff queue
(bot/handoff/, the outbox table), written when it is merged.

Each scenario runs on the `bot` fixture of tests/e2e/conftest.py, with `start_bot(...,
outbox=<outbox repository>)` so the OutboxDispatcher relays between chats as in production;
`bot.chat(language_code)` plays each participant (a user, one or two key persons), and
`Chat.command("/start <invite payload>")` follows an invite link.
"""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skip(reason="needs the handoff queue (bot/handoff, outbox table) from main"),
]


async def test_handoff_dutch_question_ticket_claim_relay_both_ways_close_feedback() -> None:
    """A Dutch user asks what the bot cannot answer -> a ticket opens; a key person registered
    through an invite link (/start <payload>) presses Claim, writes an answer; the user gets it,
    replies; the key person gets that, closes; the user gets the feedback question."""


async def test_handoff_two_key_persons_claim_at_once_and_exactly_one_wins() -> None:
    """Two key persons press Claim on the same ticket concurrently (asyncio.gather of two
    press_data calls): one gets the conversation, the other a polite "already taken"."""


async def test_handoff_a_flood_does_not_flood_the_queue() -> None:
    """50 messages in 10 s from a user with an open ticket: the throttle lets a few through,
    so the key person receives at most that many relays."""
