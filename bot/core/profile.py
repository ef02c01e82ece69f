"""Tailored answers: the stay length and municipality a user gave, asked only when needed.

An answer with `stay` sections makes the bot ask the stay length first; one with
`municipality` sections or a placeholder asks the municipality. The answer waits in
`state.pending_intent` and comes right after the choice. /profile (or the button under a
tailored answer) changes both; information evenings (/events, /subscribe, /unsubscribe)
live here too because they depend on the municipality.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.content.compose import compose
from bot.content.evenings import render_events, upcoming
from bot.content.loader import Answer
from bot.content.store import ContentStore
from bot.content.variants import MUNICIPALITY, OTHER, STAY, STAY_VALUES
from bot.core import callbacks
from bot.core.evenings import UNSUBSCRIBE, Subscriptions
from bot.core.events import Button, Reply
from bot.core.state import ConversationState
from bot.language.codes import name_in
from bot.language.folding import fold
from bot.language.i18n import Texts

PROFILE = "profile"
CHANGE_STAY = "profile:stay"
CHANGE_MUNICIPALITY = "profile:muni"
SUBSCRIBE = "sub"
PROFILE_COMMANDS = ("profile", "settings")

Rows = tuple[tuple[Button, ...], ...]


def stay_choice(value: str) -> str:
    return f"stay:{value}"


def municipality_choice(municipality_id: str) -> str:
    return f"muni:{municipality_id}"


@dataclass
class Step:
    """What a profile button or message did: replies, then maybe the answer that waited."""

    replies: list[Reply] = field(default_factory=list)
    resume: str | None = None


def stay_label(t: Texts, value: str) -> str:
    return {
        "short": t.gettext("Under 4 months"),
        "mid": t.gettext("4 months to 3 years"),
        "long": t.gettext("Longer than 3 years"),
    }[value]


class Tailoring:
    def __init__(
        self,
        content: ContentStore,
        subscriptions: Subscriptions | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.content = content
        self.subscriptions = subscriptions
        self.today = today

    # -- answers --------------------------------------------------------------------------

    def missing(self, answer: Answer, state: ConversationState) -> str | None:
        for need in answer.variants.needs:
            if need == STAY and state.stay is None:
                return STAY
            if need == MUNICIPALITY and state.municipality is None:
                return MUNICIPALITY
        return None

    def question(self, answer: Answer, state: ConversationState) -> Reply | None:
        """The question to ask before this answer, remembering the answer for afterwards."""
        need = self.missing(answer, state)
        if need is None:
            return None
        state.pending_intent = answer.intent
        return self.ask(need, answer.language)

    def text(self, answer: Answer, state: ConversationState) -> str:
        return compose(
            answer,
            self.content.data,
            stay=state.stay,
            municipality=state.municipality,
            today=self.today(),
            title=lambda intent: self.title(answer.language, intent),
        )

    def rows(self, answer: Answer, t: Texts) -> Rows:
        """A button to change the situation under answers that depend on it."""
        if not answer.variants.needs:
            return ()
        return ((Button(t.gettext("⚙️ Change my situation"), PROFILE),),)

    def title(self, language: str, intent: str) -> str:
        return self.content.title(language, intent)

    # -- questions ------------------------------------------------------------------------

    def ask(self, need: str, language: str) -> Reply:
        t = Texts(language)
        if need == STAY:
            return Reply(
                t.gettext("How long will you stay in the Netherlands? The answer depends on it."),
                buttons=tuple((Button(stay_label(t, v), stay_choice(v)),) for v in STAY_VALUES),
                language=language,
            )
        places = [
            Button(m.name, municipality_choice(m.id))
            for m in self.content.data.municipalities.sorted_by_name()
        ]
        rows = [tuple(places[i : i + 2]) for i in range(0, len(places), 2)]
        rows.append((Button(t.gettext("Another municipality"), municipality_choice(OTHER)),))
        return Reply(
            t.gettext("In which municipality do you live? Then I can show you the desk there."),
            buttons=tuple(rows),
            language=language,
        )

    # -- buttons, commands, typed answers -------------------------------------------------

    async def button(self, data: str, state: ConversationState) -> Step | None:
        """Handles the buttons of this module; None for any other button."""
        language = state.language
        if language is None:
            return None
        action, _, value = data.partition(":")
        if action == "stay" and value in STAY_VALUES:
            state.stay = value
            return self._resume(state, language)
        if action == "muni" and (value == OTHER or value in self.content.data.municipalities.ids):
            state.municipality = value
            return self._resume(state, language)
        if data == PROFILE:
            return Step([self.summary(state, language)])
        if data in (CHANGE_STAY, CHANGE_MUNICIPALITY):
            need = STAY if data == CHANGE_STAY else MUNICIPALITY
            # After the change, show the last answer again if it depends on this.
            last = self.content.get(language, state.last_intent or "")
            state.pending_intent = (
                last.intent if last is not None and need in last.variants.needs else None
            )
            return Step([self.ask(need, language)])
        if data == SUBSCRIBE:
            return Step([await self._subscribe(state, language)])
        if data == UNSUBSCRIBE:
            return Step([await self._unsubscribe(state, language)])
        return None

    def _resume(self, state: ConversationState, language: str) -> Step:
        intent, state.pending_intent = state.pending_intent, None
        if intent is None:
            return Step([self.summary(state, language)])
        return Step(resume=intent)

    def typed(self, text: str, state: ConversationState) -> Step | None:
        """A municipality typed instead of pressed ("venlo"); any other text drops the wait."""
        if state.pending_intent is None:
            return None
        if state.municipality is None:
            folded = fold(text).strip(" .!?")
            for m in self.content.data.municipalities.by_id.values():
                if folded in (fold(m.name), m.id):
                    state.municipality = m.id
                    answer = self.content.get(state.language or "", state.pending_intent)
                    if answer is not None and self.missing(answer, state) is None:
                        intent, state.pending_intent = state.pending_intent, None
                        return Step(resume=intent)
                    return None
        state.pending_intent = None
        return None

    async def command(self, name: str, state: ConversationState) -> list[Reply] | None:
        language = state.language
        if language is None:
            return None
        if name in PROFILE_COMMANDS:
            return [self.summary(state, language)]
        if name == "events":
            return [await self.events(state, language)]
        if name == "subscribe":
            return [await self._subscribe(state, language)]
        if name == "unsubscribe":
            return [await self._unsubscribe(state, language)]
        return None

    def summary(self, state: ConversationState, language: str) -> Reply:
        t = Texts(language)
        unknown = t.gettext("not given yet")
        stay = stay_label(t, state.stay) if state.stay else unknown
        place = self.content.data.municipalities.get(state.municipality)
        if state.municipality == OTHER:
            municipality = t.gettext("another municipality")
        else:
            municipality = place.name if place else unknown
        text = "\n".join(
            (
                t.gettext("Your situation (answers that depend on it are tailored to it):"),
                t.gettext("Stay in the Netherlands: {stay}").format(stay=stay),
                t.gettext("Municipality: {municipality}").format(municipality=municipality),
            )
        )
        return Reply(
            text,
            buttons=(
                (Button(t.gettext("Change stay length"), CHANGE_STAY),),
                (Button(t.gettext("Change municipality"), CHANGE_MUNICIPALITY),),
                (Button(t.gettext("📋 Menu"), callbacks.MENU),),
            ),
            language=language,
        )

    async def events(self, state: ConversationState, language: str) -> Reply:
        t = Texts(language)
        found = upcoming(self.content.data.events, language, self.today(), state.municipality)
        listed = render_events(
            found,
            language,
            self.content.data.municipalities,
            lambda intent: self.title(language, intent),
        )
        subscribed = (
            self.subscriptions is not None
            and await self.subscriptions.get(state.user_key) is not None
        )
        toggle = (
            Button(t.gettext("🔕 Stop announcements"), UNSUBSCRIBE)
            if subscribed
            else Button(t.gettext("🔔 Tell me about new evenings"), SUBSCRIBE)
        )
        text = listed or t.gettext(
            "No information evenings are planned in your language right now."
        )
        return Reply(
            text,
            markdown=bool(listed),
            buttons=((toggle,), (Button(t.gettext("📋 Menu"), callbacks.MENU),)),
            language=language,
        )

    async def _subscribe(self, state: ConversationState, language: str) -> Reply:
        t = Texts(language)
        if self.subscriptions is None:
            return Reply(t.gettext("Announcements are not available here."), language=language)
        place = self.content.data.municipalities.get(state.municipality)
        await self.subscriptions.subscribe(state.user_key, language, place.id if place else None)
        if place:
            text = t.gettext(
                "Done. I will tell you about new information evenings in {language} in {municipality}. /unsubscribe stops it."
            ).format(language=name_in(language, language), municipality=place.name)
        else:
            text = t.gettext(
                "Done. I will tell you about new information evenings in {language}. /unsubscribe stops it."
            ).format(language=name_in(language, language))
        return Reply(text, language=language)

    async def _unsubscribe(self, state: ConversationState, language: str) -> Reply:
        t = Texts(language)
        removed = self.subscriptions is not None and await self.subscriptions.unsubscribe(
            state.user_key
        )
        text = (
            t.gettext("Done. You will get no more announcements.")
            if removed
            else t.gettext("You were not subscribed to announcements.")
        )
        return Reply(text, language=language)
