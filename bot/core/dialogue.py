"""The migrant's dialogue: free text, commands and buttons turned into replies.

It decides the reply language, looks for danger first, asks the engine what the user wants
and picks the answer from content; buttons are dispatched through a table over
`callbacks.Action`. Menus and keyboards come from menus.py; the handoff from handoff/migrant.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from bot.content.store import ContentStore
from bot.contract import FALLBACK, Contract, Kind
from bot.core import callbacks
from bot.core.answers import Answers
from bot.core.callbacks import Action, Callback
from bot.core.early_parse import EarlyParse
from bot.core.evenings import Subscriptions
from bot.core.events import Button, EventKind, Reply, UserEvent
from bot.core.handoff.desk import KeyPersonDesk
from bot.core.handoff.migrant import MigrantHandoff, remember
from bot.core.handoff.model import Reason
from bot.core.handoff.ports import HandoffPort
from bot.core.insight import ConversationInsight, NoInsight
from bot.core.menus import Menus, footer, language_picker
from bot.core.profile import Tailoring
from bot.core.risk import Risk, RiskClassifier
from bot.core.state import (
    ConversationState,
    ConversationStates,
    answered,
    profile,
    reply_language,
)
from bot.core.understanding import EngineError, IntentParser, LanguageDetector
from bot.language.codes import SUPPORTED, native_name
from bot.language.i18n import Texts
from bot.language.identify import Detection

log = logging.getLogger(__name__)


ButtonHandler = Callable[[Callback, ConversationState, str], Awaitable[list[Reply]]]


class Dialogue:
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
        self.languages = languages
        self.states = states
        self.handoff = handoff
        self.tailoring = Tailoring(content, subscriptions, today)
        self.menus = Menus(contract, content, today)
        self.log_text = log_text
        self.insight: ConversationInsight = insight or NoInsight()
        self.answers = Answers(content, self.tailoring, risk, self.insight.crisis)
        # Without a queue (e.g. a bare terminal demo) "talk to a person" shows the desk.
        self.migrant = (
            MigrantHandoff(handoff.tickets, contract, self.answers.desk) if handoff else None
        )
        self.desk = KeyPersonDesk(handoff) if handoff else None
        self.buttons: dict[Action, ButtonHandler] = {
            Action.LANGUAGES: self._on_languages,
            Action.MENU: self._on_menu,
            Action.PERSON: self._on_person,
            Action.TOPIC: self._on_topic,
            Action.CANCEL: self._on_cancel,
            Action.FORGET: self._on_forget,
            Action.KEEP: self._on_keep,
            Action.FEEDBACK: self._on_feedback,
            Action.TICKET_FEEDBACK: self._on_ticket_feedback,
            Action.ANSWER: self._on_answer,
        }

    async def dispatch(
        self, event: UserEvent, state: ConversationState, early: EarlyParse | None = None
    ) -> list[Reply]:
        if event.kind is EventKind.TEXT:
            return await self._text(event, state, early)
        if event.kind is EventKind.BUTTON:
            if step := await self.tailoring.button(event.data, state):
                return self.answers.step(step, state)
            return await self._button(event.data, state)
        if event.kind is EventKind.COMMAND:
            if (replies := await self.tailoring.command(event.text, state)) is not None:
                return replies
            return await self._command(event.text, event.data, state)
        return self._media(state)

    # -- commands and media -----------------------------------------------------------------

    async def _command(self, name: str, args: str, state: ConversationState) -> list[Reply]:
        if name == "start" and args and self.handoff is not None and self.desk is not None:
            kp = await self.handoff.key_persons.redeem_invite(
                args, state.user_key, state.language or SUPPORTED[-1]
            )
            if kp is not None:
                log.info("key person %d registered through an invite", kp.id)
                await self.states.forget(state.user_key)
                state.erased = True  # key persons keep no migrant conversation
                return await self.desk.handle(UserEvent.command(state.user_key, "help"), kp)
        if name == "language":
            return [language_picker(state.language)]
        if state.language is None:
            return [language_picker(None)]
        t = Texts(state.language)
        if name == "forget":
            question = t.gettext(
                "Do you want me to erase everything I have stored about you: your language, your questions and any open question to a key person? This cannot be undone. Messages a key person has already received stay in their chat."
            )
            choice = (
                Button(t.gettext("🗑 Yes, erase"), callbacks.FORGET),
                Button(t.gettext("No"), callbacks.KEEP),
            )
            return [Reply(question, buttons=(choice,), language=state.language)]
        if name == "cancel" and self.migrant is not None:
            return [await self.migrant.cancel(state, state.language)]
        if name == "start":
            return [self.menus.text_with_menu(state.language, "greet")]
        # /help, /menu and unknown commands: what the bot can do, and the topics.
        return [self.menus.text_with_menu(state.language, "bot_help")]

    def _media(self, state: ConversationState) -> list[Reply]:
        language = state.language or SUPPORTED[-1]
        return [
            self.menus.menu(
                language,
                Texts(language).gettext(
                    "I can only read text. Please write your question in a few words, or choose a topic."
                ),
            )
        ]

    # -- buttons ----------------------------------------------------------------------------

    async def _button(self, data: str, state: ConversationState) -> list[Reply]:
        pressed = callbacks.parse(data, self.contract)
        if pressed is not None and pressed.action is Action.LANGUAGE:
            return await self._choose_language(pressed.value, state)
        if state.language is None:
            return [language_picker(None)]
        handler = self.buttons.get(pressed.action) if pressed is not None else None
        if pressed is None or handler is None:  # forged, outdated, or a key person's button
            return [self.menus.expired(state.language)]
        return await handler(pressed, state, state.language)

    async def _on_languages(
        self, _p: Callback, _s: ConversationState, language: str
    ) -> list[Reply]:
        return [language_picker(language)]

    async def _on_menu(self, _p: Callback, _s: ConversationState, language: str) -> list[Reply]:
        return [self.menus.menu(language)]

    async def _on_person(
        self, pressed: Callback, state: ConversationState, language: str
    ) -> list[Reply]:
        return [await self._person(language, state, Reason.ASKED, leave=pressed.value == "leave")]

    async def _on_topic(
        self, pressed: Callback, _s: ConversationState, language: str
    ) -> list[Reply]:
        return [self.menus.topic(language, pressed.value)]

    async def _on_cancel(
        self, _p: Callback, state: ConversationState, language: str
    ) -> list[Reply]:
        if self.migrant is None:
            return [self.menus.expired(language)]
        return [await self.migrant.cancel(state, language)]

    async def _on_forget(
        self, _p: Callback, state: ConversationState, language: str
    ) -> list[Reply]:
        # The conversation's pending write and the pending report records first, so that
        # nothing about the user is written after the erasure (and its scrub of the files).
        await self.states.forget(state.user_key)
        await self.insight.flush()
        if self.handoff is not None:
            await self.handoff.privacy.forget(state.user_key)
        state.erased = True
        t = Texts(language)
        return [
            Reply(
                t.gettext(
                    "Done: everything I stored about you is erased, also messages to a key person that were still waiting to be sent. Messages a key person has already received in their Telegram chat cannot be taken back by me, and this chat stays in your Telegram until you delete it. If you write again, I start from the beginning."
                ),
                language=language,
            )
        ]

    async def _on_keep(self, _p: Callback, _s: ConversationState, language: str) -> list[Reply]:
        return [self.menus.menu(language, Texts(language).gettext("Nothing was erased."))]

    async def _on_feedback(
        self, pressed: Callback, state: ConversationState, language: str
    ) -> list[Reply]:
        await self.insight.feedback(language, pressed.value, pressed.helped)
        if pressed.helped:
            t = Texts(language)
            return [Reply(t.gettext("Thank you! I am glad it helped."), language=language)]
        return [await self._person(language, state, Reason.NOT_HELPED, topic=pressed.value)]

    async def _on_ticket_feedback(
        self, pressed: Callback, state: ConversationState, language: str
    ) -> list[Reply]:
        if self.migrant is None:
            return [self.menus.expired(language)]
        return [
            await self.migrant.feedback(state.user_key, pressed.value, pressed.helped, language)
        ]

    async def _on_answer(
        self, pressed: Callback, state: ConversationState, language: str
    ) -> list[Reply]:
        answered(state, pressed.value)
        await self.insight.answered(language, pressed.value, **profile(state))
        return [self.answers.answer(language, pressed.value, state)]

    async def _choose_language(self, language: str, state: ConversationState) -> list[Reply]:
        state.language = language
        state.language_explicit = True
        t = Texts(language)
        confirm = Reply(
            t.gettext("From now on I will answer in {language}.").format(
                language=native_name(language)
            ),
            language=language,
        )
        if state.pending_question:
            question, state.pending_question = state.pending_question, None
            return [confirm, *await self._understand(question, language, state)]
        return [confirm, self.menus.text_with_menu(language, "greet")]

    # -- free text --------------------------------------------------------------------------

    async def _text(
        self, event: UserEvent, state: ConversationState, early: EarlyParse | None = None
    ) -> list[Reply]:
        text, edited = event.text.strip(), event.edited
        if (
            self.migrant is not None
            and text
            and state.ticket_open
            and (ticket := await self.migrant.active(state.user_key))
        ):
            # A conversation with a person, in the ticket's language (a company name must not
            # switch it). Danger gets the emergency answer at once, and the person sees it too;
            # a clear question gets the bot's answer (handoff/followup.py), the rest goes in.
            in_ticket = state.language or ticket.language
            urgent = self.answers.crisis(text, in_ticket, state)
            if not urgent and (step := self.tailoring.typed(text, state)):
                return self.answers.step(step, state)
            if not urgent and (
                intent := await self.migrant.clear_question(ticket, text, early or self.engine)
            ):
                answered(state, intent)
                await self.insight.answered(in_ticket, intent, **profile(state))
                answer = self.answers.answer(in_ticket, intent, state)
                return [answer, self.migrant.still_open(ticket, in_ticket)]
            return [*urgent, *await self.migrant.write(ticket, text, in_ticket, correction=edited)]
        detection = self.languages.detect(text) if text else Detection(None)
        language = reply_language(detection, state, len(text.split()))
        risk = self.answers.assess(text)
        if urgent := self.answers.crisis(text, language, state, risk):
            return urgent
        if language is None:
            # Nothing to go by yet: keep the question, ask for the language, answer after.
            state.pending_question = text[:1000] or None
            return [language_picker(None)]
        state.language = language
        t = Texts(language)
        if not any(ch.isalnum() for ch in text):
            return [
                self.menus.menu(
                    language,
                    t.gettext("Please write your question in a few words, or choose a topic."),
                )
            ]
        if detection.unsupported:
            notice = Reply(
                t.gettext(
                    "I can answer in Polish, Bulgarian, Romanian and Dutch. I will continue in {language}; you can change the language below."
                ).format(language=native_name(language)),
                buttons=((Button(t.gettext("🌐 Change language"), callbacks.LANGUAGES),),),
                language=language,
            )
            return [notice, self.menus.menu(language)]
        if step := self.tailoring.typed(text, state):
            return self.answers.step(step, state)
        remember(state, text)
        return await self._understand(text, language, state, early, risk)

    async def _understand(
        self,
        text: str,
        language: str,
        state: ConversationState,
        early: EarlyParse | None = None,
        risk: Risk | None = None,
    ) -> list[Reply]:
        parsed: list[str] = []  # the engine's intent, once known
        replies = await self._understood(text, language, state, early, parsed)
        # The maybe tier: distress, or a safety topic with some concern: the safety line on top.
        if self.answers.tier(text, language, risk, next(iter(parsed), None)) == "maybe":
            log.info("crisis maybe tier (concern %.2f)", risk.concern if risk else 0.0)
            return self.answers.safety_line(replies, language)
        return replies

    async def _understood(
        self,
        text: str,
        language: str,
        state: ConversationState,
        early: EarlyParse | None,
        seen: list[str],
    ) -> list[Reply]:
        t = Texts(language)
        try:
            parsed = await (early.result(text) if early else self.engine.parse(text))
        except EngineError as e:
            log.warning("engine unavailable, offering the menu: %s", e)
            return [
                self.menus.menu(
                    language,
                    t.gettext(
                        "I cannot read questions right now. Choose a topic, or talk to a person."
                    ),
                )
            ]
        log.info(
            "parsed intent=%s confidence=%.2f language=%s%s",
            parsed.intent,
            parsed.confidence,
            language,
            f" text={text!r}" if self.log_text else "",
        )
        intent = parsed.intent
        seen.append(intent)
        if intent == FALLBACK or intent not in self.contract.intents:
            state.misunderstood += 1
            guess = next((s.name for s in parsed.ranking if self.contract.is_answer(s.name)), None)
            await self.insight.misunderstood(
                language, text, guess=guess, user_key=state.user_key, **profile(state)
            )
            if state.misunderstood >= 2 and self.migrant is not None:
                return [await self._person(language, state, Reason.NOT_UNDERSTOOD)]
            return [self.menus.did_you_mean(language, parsed, state.misunderstood)]
        state.misunderstood = 0
        kind = self.contract.intents[intent].kind
        if kind is Kind.ANSWER:
            answered(state, intent)
            await self.insight.answered(language, intent, **profile(state))
            return [self.answers.answer(language, intent, state)]
        if intent == "change_language":
            return [language_picker(language)]
        if intent == "human_handoff":
            return [await self._person(language, state, Reason.ASKED)]
        if intent in ("greet", "bot_help"):
            return [self.menus.text_with_menu(language, intent)]
        if intent == "out_of_scope":
            await self.insight.out_of_scope(
                language, text, user_key=state.user_key, **profile(state)
            )
            return [self.menus.content_reply(language, intent, self.menus.topic_rows(t))]
        return [self.menus.content_reply(language, intent, footer(t))]

    # -- building replies -------------------------------------------------------------------

    async def _person(
        self,
        language: str,
        state: ConversationState,
        reason: Reason,
        *,
        topic: str | None = None,
        leave: bool = False,
    ) -> Reply:
        if self.migrant is not None:
            return await self.migrant.open(state, language, reason, topic=topic, leave=leave)
        return self.answers.desk(language, state)
