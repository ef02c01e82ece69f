"""A per-user brake on floods: a friendly slow-down instead of one reply per message.

A user who sends more than `limit` messages (or button presses) within `period` seconds gets
one notice; what follows is dropped until they slow down, so neither the engine nor the
handoff queue is flooded. Transports apply it; the terminal chat does not need it.

Key persons have their own, higher limit (answers are often pasted in several parts, and
they never reach the engine), and nothing they send is dropped silently: every message over
their limit is answered with "this one was not passed on, send it again".
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum

from bot.core.conversation import Conversation, Once
from bot.core.events import Reply, UserEvent
from bot.core.handoff.model import KeyPerson
from bot.language.codes import DEFAULT, normalise
from bot.language.i18n import Texts

# Beyond this many tracked users, the quiet ones are forgotten at the next check.
PRUNE_ABOVE = 10_000
USER_LIMIT = 8  # messages per PERIOD
KEY_PERSON_LIMIT = 30  # a pasted answer in parts, a few times over
PERIOD = 10.0


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # the first event over the limit: say "slow down" once
    DROP = "drop"


class Throttle:
    """Sliding window over each user's recent events (accepted or not)."""

    def __init__(
        self,
        limit: int = USER_LIMIT,
        period: float = PERIOD,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._recent: dict[str, deque[float]] = {}
        self._notified: set[str] = set()

    def check(self, key: str) -> Verdict:
        now = self.clock()
        if len(self._recent) > PRUNE_ABOVE:
            self._prune(now)
        recent = self._recent.setdefault(key, deque(maxlen=self.limit))
        # Full window: the limit-th latest event is still within the period.
        over = len(recent) == self.limit and now - recent[0] < self.period
        recent.append(now)
        if not over:
            self._notified.discard(key)
            return Verdict.ALLOW
        if key in self._notified:
            return Verdict.DROP
        self._notified.add(key)
        return Verdict.NOTIFY

    def _prune(self, now: float) -> None:
        quiet = [k for k, times in self._recent.items() if now - times[-1] >= self.period]
        for key in quiet:
            del self._recent[key]
            self._notified.discard(key)


class ThrottledConversation:
    """The conversation behind a throttle: same `handle`, fewer replies to a flood."""

    def __init__(
        self,
        conversation: Conversation,
        throttle: Throttle,
        key_persons: Throttle | None = None,
    ) -> None:
        self.conversation = conversation
        self.throttle = throttle
        self.key_persons = key_persons or Throttle(
            KEY_PERSON_LIMIT, throttle.period, throttle.clock
        )

    async def handle(self, event: UserEvent, *, once: Once | None = None) -> list[Reply]:
        handoff = self.conversation.handoff
        kp = await handoff.key_persons.key_person(event.user_key) if handoff else None
        if kp is not None:
            return await self._key_person(event, kp, once)
        verdict = self.throttle.check(event.user_key)
        if verdict is Verdict.ALLOW:
            return await self.conversation.handle(event, once=once)
        if verdict is Verdict.DROP or (once is not None and not await once()):
            return []
        state = await self.conversation.states.load(event.user_key)
        language = state.language or normalise(event.locale_hint) or DEFAULT
        notice = Texts(language).gettext(
            "You are sending messages faster than I can answer them. Please wait a few seconds, then send your question again."
        )
        return [Reply(notice, language=language)]

    async def _key_person(self, event: UserEvent, kp: KeyPerson, once: Once | None) -> list[Reply]:
        if self.key_persons.check(event.user_key) is Verdict.ALLOW:
            return await self.conversation.handle(event, once=once)
        if once is not None and not await once():
            return []
        # Every message over the limit is answered: a key person's words are never lost unseen.
        t = Texts(kp.ui_language)
        notice = t.gettext(
            "You are sending faster than I can pass messages on: this message was not passed on. Please send it again in a few seconds."
        )
        return [Reply(notice, language=kp.ui_language)]
