"""Menus and keyboards: the topic menu, the language picker, a topic's answers, "did you
mean", and the footer under answers. Built from the contract and the content's titles."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from bot.content.facts import fill_text
from bot.content.store import ContentStore
from bot.contract import Contract
from bot.core import callbacks
from bot.core.events import Button, Reply
from bot.core.understanding import ParseResult
from bot.language.codes import SUPPORTED, native_name
from bot.language.i18n import Texts

log = logging.getLogger(__name__)

Rows = tuple[tuple[Button, ...], ...]

# When the engine is unsure it says nlu_fallback (threshold in intents/config.yml); then
# "did you mean" offers up to this many of its best candidates.
SUGGESTIONS = 3
SUGGESTION_FLOOR = 0.02


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


def footer(t: Texts) -> Rows:
    return (
        (
            Button(t.gettext("📋 Menu"), callbacks.MENU),
            Button(t.gettext("🙋 Talk to a person"), callbacks.PERSON),
        ),
    )


def language_picker(current: str | None) -> Reply:
    # Shown before the language is known too, so the prompt is in every language.
    if current:
        prompt = Texts(current).gettext("Choose your language:")
    else:
        prompt = "\n".join(Texts(code).gettext("Choose your language:") for code in SUPPORTED)
    buttons = tuple((Button(native_name(code), callbacks.language(code)),) for code in SUPPORTED)
    return Reply(prompt, buttons=buttons, language=current)


class Menus:
    def __init__(
        self,
        contract: Contract,
        content: ContentStore,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.contract = contract
        self.content = content
        self.today = today

    def title(self, language: str, intent: str) -> str:
        return self.content.title(language, intent)

    def topic_rows(self, t: Texts) -> Rows:
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

    def menu(self, language: str, text: str | None = None) -> Reply:
        t = Texts(language)
        return Reply(
            text or t.gettext("Choose a topic:"), buttons=self.topic_rows(t), language=language
        )

    def expired(self, language: str) -> Reply:
        return self.menu(
            language, Texts(language).gettext("This button has expired. Here is the menu.")
        )

    def topic(self, language: str, topic: str) -> Reply:
        t = Texts(language)
        rows = [
            (Button(self.title(language, name), callbacks.answer(name)),)
            for name in self.contract.topics[topic]
            if self.contract.is_answer(name)
        ]
        rows.append((Button(t.gettext("⬅️ All topics"), callbacks.MENU),))
        return Reply(topic_label(t, topic), buttons=tuple(rows), language=language)

    def content_reply(self, language: str, intent: str, buttons: Rows) -> Reply:
        answer = self.content.get(language, intent)
        if answer is None:
            log.error("no content for %s/%s", language, intent)
            return Reply(
                Texts(language).gettext("Choose a topic:"), buttons=buttons, language=language
            )
        text = fill_text(answer.body, self.content.data.facts, language, self.today())
        return Reply(text, markdown=True, buttons=buttons, language=language)

    def text_with_menu(self, language: str, intent: str) -> Reply:
        return self.content_reply(language, intent, self.topic_rows(Texts(language)))

    def did_you_mean(self, language: str, parsed: ParseResult, misunderstood: int) -> Reply:
        t = Texts(language)
        candidates = [
            s.name
            for s in parsed.ranking
            if self.contract.is_answer(s.name) and s.confidence >= SUGGESTION_FLOOR
        ][:SUGGESTIONS]
        rows: list[tuple[Button, ...]] = [
            (Button(self.title(language, name), callbacks.answer(name)),) for name in candidates
        ]
        rows.append(
            (
                Button(t.gettext("📋 Menu"), callbacks.MENU),
                Button(t.gettext("🙋 Talk to a person"), callbacks.PERSON),
            )
        )
        if candidates and misunderstood < 2:
            text = t.gettext("I am not sure I understood. Did you mean one of these?")
        else:
            text = t.gettext(
                "Sorry, I did not understand. Choose a topic, or talk to a person who speaks your language."
            )
        return Reply(text, buttons=tuple(rows), language=language)
