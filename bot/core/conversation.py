"""The front of the core, independent of any transport: one event in, replies out.

`Conversation.handle(event)` routes key persons to their desk and everyone else to the
migrant's dialogue (dialogue.py): it loads the conversation's state, starts the engine's
reading early, lets the dialogue decide, and saves the state. It never sends anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core.dialogue import Dialogue
from bot.core.early_parse import EarlyParse
from bot.core.evenings import Subscriptions
from bot.core.events import EventKind, Reply, UserEvent
from bot.core.handoff.ports import HandoffPort
from bot.core.insight import ConversationInsight, NoInsight
from bot.core.risk import RiskClassifier
from bot.core.state import ConversationStates
from bot.core.understanding import IntentParser, LanguageDetector
from bot.language.codes import normalise

Once = Callable[[], Awaitable[bool]]


def _worth_parsing(text: str) -> bool:
    """Whether a message will probably go to the engine (checked before anything is loaded)."""
    return any(ch.isalnum() for ch in text)


class Conversation:
    def __init__(
        self,
        contract: Contract,
        content: ContentStore,
        engine: IntentParser,
        languages: LanguageDetector,
        states: ConversationStates,
        *,
        handoff: HandoffPort | None = None,
        log_text: bool = False,
        insight: ConversationInsight | None = None,
        subscriptions: Subscriptions | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        risk: RiskClassifier | None = None,
    ) -> None:
        self.contract = contract
        self.content = content
        self.engine = engine
        self.states = states
        self.handoff = handoff
        self.insight: ConversationInsight = insight or NoInsight()
        self.dialogue = Dialogue(
            contract,
            content,
            engine,
            languages,
            states,
            handoff=handoff,
            log_text=log_text,
            insight=self.insight,
            subscriptions=subscriptions,
            today=today,
            risk=risk,
        )
        # One desk for key persons: the dialogue's (it also serves /start from an invite).
        self.desk = self.dialogue.desk

    async def handle(self, event: UserEvent, *, once: Once | None = None) -> list[Reply]:
        """The replies to one event. `once`, when given, is asked before anything changes
        (e.g. "was this Telegram update handled before?"); on False nothing happens."""
        if self.handoff is not None and self.desk is not None:
            kp = await self.handoff.key_persons.key_person(event.user_key)
            if kp is not None:
                if once is not None and not await once():
                    return []
                return await self.desk.handle(event, kp)
        early = None
        if event.kind is EventKind.TEXT and _worth_parsing(event.text):
            early = EarlyParse(self.engine, event.text.strip())
        if once is not None and not await once():
            return []
        state = await self.states.load(event.user_key)
        if state.language is None and (hint := normalise(event.locale_hint)):
            state.language = hint
        if early is not None:
            await early.sent()  # before language identification, which holds the CPU
        replies = await self.dialogue.dispatch(event, state, early)
        await self.states.save(state)
        return replies

    async def flush(self) -> None:
        """Wait until what was written behind (states, anonymous counts) is stored."""
        await self.states.flush()
        await self.insight.flush()
