"""Answers tailored to the stay length, seen from the user's side.

An answer with `::: stay` sections first gets "how long will you stay?" with three buttons;
the answer comes after the choice, with the text for everyone and the sections for that
stay only. These helpers press the button and say which lines the user must and must not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.content.render import render_telegram_html
from bot.content.store import ContentStore
from bot.content.variants import STAY, Section
from bot.language.i18n import Texts
from tests.e2e.botapi_client import Chat, Sent, html_to_plain

STAY_QUESTION = "How long will you stay in the Netherlands? The answer depends on it."
STAY_LABELS = {
    "short": "Under 4 months",
    "mid": "4 months to 3 years",
    "long": "Longer than 3 years",
}


def on_telegram(markdown: str) -> str:
    """Content Markdown as a Telegram user reads it (the same undoing as `Sent.plain`)."""
    return html_to_plain(render_telegram_html(markdown))


async def answer_stay(chat: Chat, question: Sent, language: str, stay: str) -> Sent:
    """`question` must be the stay question in `language`; press `stay`, return the answer."""
    t = Texts(language)
    assert question.plain == t.gettext(STAY_QUESTION)
    assert question.labels == [t.gettext(label) for label in STAY_LABELS.values()]
    await chat.press(question, t.gettext(STAY_LABELS[stay]))
    return await chat.reply()


@dataclass(frozen=True)
class Tailored:
    """First lines of an answer's parts, as the user reads them."""

    shown: list[str]  # the text for everyone and the sections for this stay
    hidden: list[str]  # the sections for other stays

    def check(self, text: str) -> None:
        for line in self.shown:
            assert line in text, f"missing {line!r} in {text!r}"
        for line in self.hidden:
            assert line not in text, f"{line!r} is for another stay, in {text!r}"


def tailored(
    content: ContentStore,
    language: str,
    intent: str,
    stay: str,
    render: Callable[[str], str] = on_telegram,
) -> Tailored:
    answer = content.get(language, intent)
    assert answer is not None
    assert answer.variants.uses(STAY), f"{language}/{intent} has no stay sections"
    shown, hidden = [], []
    for part in answer.variants.parts:
        markdown = part.text if isinstance(part, Section) else part
        lines = [line for line in render(markdown).splitlines() if line.strip()]
        if not lines:
            continue
        if not isinstance(part, Section) or stay in part.values:
            shown.append(lines[0])
        elif part.dimension == STAY:
            hidden.append(lines[0])
    assert hidden, f"{language}/{intent}: every section is for {stay}"
    return Tailored(shown, hidden)
