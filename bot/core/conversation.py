"""The dialogue of the information point, independent of any transport.

`Conversation.handle(event)` loads the conversation's state, decides the reply language,
asks the engine what the user wants, picks the answer from content, saves the state and
returns replies. It never sends anything itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.content.store import ContentStore
from bot.contract import FALLBACK, Contract, Kind
from bot.core import callbacks
from bot.core.crisis import find_crisis
from bot.core.early_parse import EarlyParse, IntentParser
from bot.core.evenings import Subscriptions
from bot.core.events import Button, EventKind, Reply, UserEvent
from bot.core.handoff.desk import KeyPersonDesk
from bot.core.handoff.migrant import MigrantHandoff, remember
from bot.core.handoff.model import Reason
from bot.core.insight import ConversationInsight, NoInsight
from bot.core.profile import Step, Tailoring
from bot.core.state import ConversationState, ConversationStates
from bot.engine.client import EngineError, ParseResult
from bot.handoff.queue import HandoffQueue
from bot.language.codes import SUPPORTED, native_name, normalise
from bot.language.i18n import Texts
from bot.language.identify import Detection

log = logging.getLogger(__name__)

# When the engine is unsure it says nlu_fallback (threshold in intents/config.yml); then
# "did you mean" offers up to this many of its best candidates.
SUGGESTIONS = 3
SUGGESTION_FLOOR = 0.02
SHORT_MESSAGE_WORDS = 2


class LanguageDetector(Protocol):
    def detect(self, text: str) -> Detection: ...


Once = Callable[[], Awaitable[bool]]


def _worth_parsing(text: str) -> bool:
    """Whether a message will probably go to the engine (checked before anything is loaded)."""
    return any(ch.isalnum() for ch in text)


def topic_label(texts: Texts, topic: str) -> str:
    labels = {
        "registration": texts.gettext("📋 Registration, BSN, DigiD"),
        "health": texts.gettext("🩺 Health and insurance"),
        "children": texts.gettext("🧒 Children and school"),
        "work": texts.gettext("👷 Work and wages"),
        "housing": texts.gettext("🏠 Housing"),
        "money": texts.gettext("💶 Money, tax, allowances"),
        "living": texts.gettext("🤝 Living here and safety"),
    }
    return labels.get(topic, topic)


class Conversation:
    def __init__(
        self,
        contract: Contract,
        content: ContentStore,
        engine: IntentParser,
        languages: LanguageDetector,
        states: ConversationStates,
        *,
        handoff: HandoffQueue | None = None,
        log_text: bool = False,
        insight: ConversationInsight | None = None,
        subscriptions: Subscriptions | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.contract = contract
        self.content = content
        self.engine = engine
        self.languages = languages
        self.states = states
        self.queue = handoff
        # Without a queue (e.g. a bare terminal demo) "talk to a person" shows the desk.
        self.handoff = MigrantHandoff(handoff) if handoff else None
        self.desk = KeyPersonDesk(handoff) if handoff else None
        self.log_text = log_text
        self.insight: ConversationInsight = insight or NoInsight()
        self.tailoring = Tailoring(content, subscriptions, today)

    async def handle(self, event: UserEvent, *, once: Once | None = None) -> list[Reply]:
        """The replies to one event. `once`, when given, is asked before anything changes
        (e.g. "was this Telegram update handled before?"); on False nothing happens."""
        if self.queue is not None and self.desk is not None:
            kp = await self.queue.key_person(event.user_key)
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
        replies = await self._dispatch(event, state, early)
        await self.states.save(state)
        return replies

    async def flush(self) -> None:
        """Wait until what was written behind (states, anonymous counts) is stored."""
        await self.states.flush()
        await self.insight.flush()

    # -- dispatch -------------------------------------------------------------------------

    async def _dispatch(
        self, event: UserEvent, state: ConversationState, early: EarlyParse | None = None
    ) -> list[Reply]:
        if event.kind is EventKind.TEXT:
            return await self._text(event.text, state, early)
        if event.kind is EventKind.BUTTON:
            if step := await self.tailoring.button(event.data, state):
                return self._step(step, state)
            return await self._button(event.data, state)
        if event.kind is EventKind.COMMAND:
            if (replies := await self.tailoring.command(event.text, state)) is not None:
                return replies
            return await self._command(event.text, event.data, state)
        return self._media(state)

    async def _command(self, name: str, args: str, state: ConversationState) -> list[Reply]:
        if name == "start" and args and self.queue is not None:
            kp = await self.queue.redeem_invite(
                args, state.user_key, state.language or SUPPORTED[-1]
            )
            if kp is not None and self.desk is not None:
                log.info("key person %d registered through an invite", kp.id)
                await self.states.forget(state.user_key)
                state.erased = True  # key persons keep no migrant conversation
                return await self.desk.handle(UserEvent.command(state.user_key, "help"), kp)
        if name == "language":
            return [self._language_picker(state.language)]
        if state.language is None:
            return [self._language_picker(None)]
        t = Texts(state.language)
        if name == "forget":
            return [
                Reply(
                    t.gettext(
                        "Do you want me to erase everything I have stored about you: your language, your questions and any open question to a key person? This cannot be undone."
                    ),
                    buttons=(
                        (
                            Button(t.gettext("🗑 Yes, erase"), callbacks.FORGET),
                            Button(t.gettext("No"), callbacks.KEEP),
                        ),
                    ),
                    language=state.language,
                )
            ]
        if name == "cancel" and self.handoff is not None:
            return [await self.handoff.cancel(state, state.language)]
        if name == "start":
            return [self._text_with_menu(state.language, "greet")]
        # /help, /menu and unknown commands: what the bot can do, and the topics.
        return [self._text_with_menu(state.language, "bot_help")]

    def _media(self, state: ConversationState) -> list[Reply]:
        language = state.language or SUPPORTED[-1]
        t = Texts(language)
        return [
            Reply(
                t.gettext(
                    "I can only read text. Please write your question in a few words, or choose a topic."
                ),
                buttons=self._topic_rows(t),
                language=language,
            )
        ]

    async def _button(self, data: str, state: ConversationState) -> list[Reply]:
        pressed = callbacks.parse(data, self.contract)
        if pressed is None or (state.language is None and pressed.action != "lang"):
            if state.language is None:
                return [self._language_picker(None)]
            t = Texts(state.language)
            return [
                Reply(
                    t.gettext("This button has expired. Here is the menu."),
                    buttons=self._topic_rows(t),
                    language=state.language,
                )
            ]
        if pressed.action == "lang":
            return await self._choose_language(pressed.value, state)
        language = state.language
        assert language is not None
        t = Texts(language)
        if pressed.action == "languages":
            return [self._language_picker(language)]
        if pressed.action == "menu":
            return [
                Reply(t.gettext("Choose a topic:"), buttons=self._topic_rows(t), language=language)
            ]
        if pressed.action == "person":
            return [await self._person(language, state, Reason.ASKED)]
        if pressed.action == "topic":
            return [self._topic(language, pressed.value)]
        if pressed.action == "cancel" and self.handoff is not None:
            return [await self.handoff.cancel(state, language)]
        if pressed.action == "forget:yes":
            if self.queue is not None:
                await self.queue.forget(state.user_key)
            await self.states.forget(state.user_key)
            state.erased = True
            return [
                Reply(
                    t.gettext(
                        "Done: everything I stored about you is erased. If you write again, I start from the beginning."
                    ),
                    language=language,
                )
            ]
        if pressed.action == "forget:no":
            return [
                Reply(
                    t.gettext("Nothing was erased."), buttons=self._topic_rows(t), language=language
                )
            ]
        if pressed.action == "fb":
            await self.insight.feedback(language, pressed.value, pressed.helped)
            if pressed.helped:
                return [Reply(t.gettext("Thank you! I am glad it helped."), language=language)]
            return [await self._person(language, state, Reason.NOT_HELPED, topic=pressed.value)]
        if pressed.action == "tfb" and self.handoff is not None:
            return [
                await self.handoff.feedback(state.user_key, pressed.value, pressed.helped, language)
            ]
        if pressed.action != "answer":  # e.g. a key person's button pressed by someone else
            return [
                Reply(
                    t.gettext("This button has expired. Here is the menu."),
                    buttons=self._topic_rows(t),
                    language=language,
                )
            ]
        self._answered(state, pressed.value)
        await self.insight.answered(language, pressed.value, **_profile(state))
        return [self._answer(language, pressed.value, state)]

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
        return [confirm, self._text_with_menu(language, "greet")]

    # -- free text ------------------------------------------------------------------------

    async def _text(
        self, text: str, state: ConversationState, early: EarlyParse | None = None
    ) -> list[Reply]:
        text = text.strip()
        if (
            self.handoff is not None
            and text
            and state.ticket_open
            and (ticket := await self.handoff.active(state.user_key))
        ):
            # A conversation with a person: everything goes to them, in the ticket's language
            # (a company name or a Dutch address must not switch it). Danger still gets the
            # emergency answer at once, and the key person sees the message too.
            in_ticket = state.language or ticket.language
            urgent = self._crisis(text, in_ticket, state)
            return [*urgent, *await self.handoff.write(ticket, text, in_ticket)]
        detection = self.languages.detect(text) if text else Detection(None)
        language = self._reply_language(detection, state, len(text.split()))
        if urgent := self._crisis(text, language, state):
            return urgent
        if language is None:
            # Nothing to go by yet: keep the question, ask for the language, answer after.
            state.pending_question = text[:1000] or None
            return [self._language_picker(None)]
        state.language = language
        if not any(ch.isalnum() for ch in text):
            t = Texts(language)
            return [
                Reply(
                    t.gettext("Please write your question in a few words, or choose a topic."),
                    buttons=self._topic_rows(t),
                    language=language,
                )
            ]
        replies: list[Reply] = []
        if detection.unsupported:
            t = Texts(language)
            replies.append(
                Reply(
                    t.gettext(
                        "I can answer in Polish, Bulgarian, Romanian and Dutch. I will continue in {language}; you can change the language below."
                    ).format(language=native_name(language)),
                    buttons=((Button(t.gettext("🌐 Change language"), callbacks.LANGUAGES),),),
                    language=language,
                )
            )
            replies.append(
                Reply(t.gettext("Choose a topic:"), buttons=self._topic_rows(t), language=language)
            )
            return replies
        if step := self.tailoring.typed(text, state):
            return self._step(step, state)
        remember(state, text)
        return await self._understand(text, language, state, early)

    def _reply_language(
        self, detection: Detection, state: ConversationState, words: int
    ) -> str | None:
        if state.language_explicit and state.language:
            return state.language
        # One or two words ("tandarts?", "bsn") are too little to switch a conversation's language.
        if detection.language is not None and (
            state.language is None or words > SHORT_MESSAGE_WORDS
        ):
            return detection.language
        return state.language

    async def _understand(
        self, text: str, language: str, state: ConversationState, early: EarlyParse | None = None
    ) -> list[Reply]:
        t = Texts(language)
        try:
            parsed = await (early.result(text) if early else self.engine.parse(text))
        except EngineError as e:
            log.warning("engine unavailable, offering the menu: %s", e)
            return [
                Reply(
                    t.gettext(
                        "I cannot read questions right now. Choose a topic, or talk to a person."
                    ),
                    buttons=self._topic_rows(t),
                    language=language,
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
        if intent == FALLBACK or intent not in self.contract.intents:
            state.misunderstood += 1
            guess = next((s.name for s in parsed.ranking if self.contract.is_answer(s.name)), None)
            await self.insight.misunderstood(language, text, guess=guess, **_profile(state))
            if state.misunderstood >= 2 and self.handoff is not None:
                return [await self._person(language, state, Reason.NOT_UNDERSTOOD)]
            return [self._did_you_mean(language, parsed, state)]
        state.misunderstood = 0
        kind = self.contract.intents[intent].kind
        if kind is Kind.ANSWER:
            self._answered(state, intent)
            await self.insight.answered(language, intent, **_profile(state))
            return [self._answer(language, intent, state)]
        if intent == "change_language":
            return [self._language_picker(language)]
        if intent == "human_handoff":
            return [await self._person(language, state, Reason.ASKED)]
        if intent in ("greet", "bot_help"):
            return [self._text_with_menu(language, intent)]
        if intent == "out_of_scope":
            await self.insight.out_of_scope(language, text, **_profile(state))
            return [self._content_reply(language, intent, self._topic_rows(t))]
        return [self._content_reply(language, intent, self._footer(t))]

    def _did_you_mean(self, language: str, parsed: ParseResult, state: ConversationState) -> Reply:
        t = Texts(language)
        candidates = [
            s.name
            for s in parsed.ranking
            if self.contract.is_answer(s.name) and s.confidence >= SUGGESTION_FLOOR
        ][:SUGGESTIONS]
        rows: list[tuple[Button, ...]] = [
            (Button(self._title(language, name), callbacks.answer(name)),) for name in candidates
        ]
        rows.append(
            (
                Button(t.gettext("📋 Menu"), callbacks.MENU),
                Button(t.gettext("🙋 Talk to a person"), callbacks.PERSON),
            )
        )
        if candidates and state.misunderstood < 2:
            text = t.gettext("I am not sure I understood. Did you mean one of these?")
        else:
            text = t.gettext(
                "Sorry, I did not understand. Choose a topic, or talk to a person who speaks your language."
            )
        return Reply(text, buttons=tuple(rows), language=language)

    # -- building replies -----------------------------------------------------------------

    def _crisis(self, text: str, language: str | None, state: ConversationState) -> list[Reply]:
        """Danger, suicide, violence at home: the emergency answers at once, before the engine."""
        matches = find_crisis(text, self.content.data.crisis, language)
        if not matches:
            return []
        log.warning("crisis fast path: %s", ", ".join(m.group for m in matches))
        state.language = language or matches[0].language
        state.pending_intent = None
        state.last_intent = matches[0].answer
        t = Texts(state.language)
        replies = []
        for match in matches:
            answer = self.content.get(state.language, match.answer)
            if answer is not None:
                text = self.tailoring.text(answer, state)
                replies.append(
                    Reply(text, markdown=True, buttons=self._footer(t), language=state.language)
                )
        return replies or [self._answer(state.language, matches[0].answer, state)]

    def _step(self, step: Step, state: ConversationState) -> list[Reply]:
        """After a profile choice: its replies, then the answer that waited for it."""
        replies = list(step.replies)
        if step.resume and state.language:
            state.last_intent = step.resume
            replies.append(self._answer(state.language, step.resume, state))
        return replies

    def _answer(self, language: str, intent: str, state: ConversationState) -> Reply:
        t = Texts(language)
        answer = self.content.get(language, intent)
        if answer is None:
            log.error("no content for %s/%s", language, intent)
            return Reply(
                t.gettext(
                    "Sorry, this answer is not available right now. Talk to a person, or choose another topic."
                ),
                buttons=self._footer(t),
                language=language,
            )
        if question := self.tailoring.question(answer, state):
            return question
        feedback = (
            Button(t.gettext("👍 This helped"), callbacks.answer_feedback(intent, True)),
            Button(t.gettext("👎 Did not help"), callbacks.answer_feedback(intent, False)),
        )
        return Reply(
            self.tailoring.text(answer, state),
            markdown=True,
            buttons=(feedback, *self._footer(t), *self.tailoring.rows(answer, t)),
            language=language,
        )

    @staticmethod
    def _answered(state: ConversationState, intent: str) -> None:
        state.last_intent = intent
        state.answered = [*(a for a in state.answered if a != intent), intent][-5:]

    async def _person(
        self,
        language: str,
        state: ConversationState,
        reason: Reason,
        *,
        topic: str | None = None,
    ) -> Reply:
        if self.handoff is not None:
            return await self.handoff.open(state, language, reason, topic=topic)
        t = Texts(language)
        answer = self.content.get(language, "info_point")
        intro = t.gettext("You can talk to a person at the Migration Information Point:")
        body = f"{intro}\n\n{self.tailoring.text(answer, state)}" if answer else intro
        return Reply(
            body,
            markdown=True,
            buttons=((Button(t.gettext("📋 Menu"), callbacks.MENU),),),
            language=language,
        )

    def _content_reply(
        self, language: str, intent: str, buttons: tuple[tuple[Button, ...], ...]
    ) -> Reply:
        answer = self.content.get(language, intent)
        if answer is None:
            log.error("no content for %s/%s", language, intent)
            return Reply(
                Texts(language).gettext("Choose a topic:"), buttons=buttons, language=language
            )
        return Reply(answer.body, markdown=True, buttons=buttons, language=language)

    def _text_with_menu(self, language: str, intent: str) -> Reply:
        return self._content_reply(language, intent, self._topic_rows(Texts(language)))

    def _topic(self, language: str, topic: str) -> Reply:
        t = Texts(language)
        rows = [
            (Button(self._title(language, name), callbacks.answer(name)),)
            for name in self.contract.topics[topic]
            if self.contract.is_answer(name)
        ]
        rows.append((Button(t.gettext("⬅️ All topics"), callbacks.MENU),))
        return Reply(topic_label(t, topic), buttons=tuple(rows), language=language)

    def _topic_rows(self, t: Texts) -> tuple[tuple[Button, ...], ...]:
        topics = [
            Button(topic_label(t, name), callbacks.topic(name))
            for name in self.contract.menu_topics
        ]
        rows = [tuple(topics[i : i + 2]) for i in range(0, len(topics), 2)]
        rows.append(
            (
                Button(t.gettext("🙋 Talk to a person"), callbacks.PERSON),
                Button(t.gettext("🌐 Change language"), callbacks.LANGUAGES),
            )
        )
        return tuple(rows)

    def _footer(self, t: Texts) -> tuple[tuple[Button, ...], ...]:
        return (
            (
                Button(t.gettext("📋 Menu"), callbacks.MENU),
                Button(t.gettext("🙋 Talk to a person"), callbacks.PERSON),
            ),
        )

    def _language_picker(self, current: str | None) -> Reply:
        # Shown before the language is known too, so the prompt is in every language.
        if current:
            prompt = Texts(current).gettext("Choose your language:")
        else:
            prompt = "\n".join(Texts(code).gettext("Choose your language:") for code in SUPPORTED)
        buttons = tuple(
            (Button(native_name(code), callbacks.language(code)),) for code in SUPPORTED
        )
        return Reply(prompt, buttons=buttons, language=current)

    def _title(self, language: str, intent: str) -> str:
        return self.content.title(language, intent)


def _profile(state: ConversationState) -> dict[str, str | None]:
    """Municipality and stay length for the report, once the state knows them (issue 3)."""
    return {
        "municipality": state.municipality,
        "stay": state.stay,
    }
