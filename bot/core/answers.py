"""Answers as the user sees them: a content answer with its feedback buttons (or the
question its variant needs first), the crisis answers, and the desk when no queue runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from bot.content.loader import crisis_answer
from bot.content.store import ContentStore
from bot.core import callbacks
from bot.core.crisis import CrisisMatch, find_crisis
from bot.core.events import Button, Reply
from bot.core.menus import footer
from bot.core.profile import Step, Tailoring
from bot.core.risk import Risk, RiskClassifier, tier_of, tier_of_matches
from bot.core.state import ConversationState
from bot.language.i18n import Texts

log = logging.getLogger(__name__)


class Answers:
    def __init__(
        self,
        content: ContentStore,
        tailoring: Tailoring,
        risk: RiskClassifier | None = None,
        on_crisis: Callable[[str, str], None] | None = None,
    ) -> None:
        self.content = content
        self.tailoring = tailoring
        self.risk = risk
        self.on_crisis = on_crisis  # (language, group), e.g. ConversationInsight.crisis

    def assess(self, text: str) -> Risk | None:
        return self.risk.assess(text) if self.risk is not None and text else None

    def crisis(
        self,
        text: str,
        language: str | None,
        state: ConversationState,
        risk: Risk | None = None,
    ) -> list[Reply]:
        """The danger tier: a crisis phrase, or the classifier sure enough; its answers at
        once, before the engine (`risk`: the classifier's reading, when already made)."""
        matches = find_crisis(text, self.content.data.crisis, language)
        risk = risk or self.assess(text)
        if matches and tier_of_matches(risk, matches) != "danger":
            matches = []  # a story told as the past: the safety line instead (`tier`)
        if not matches and risk is not None and tier_of(risk, False) == "danger":
            # Without a language yet, the crisis answer comes in Dutch (the country's).
            chosen = language or "nl"
            matches = [CrisisMatch(self._group_answer(risk.group, chosen), chosen, risk.group)]
        if not matches:
            return []
        log.warning("crisis fast path: %s", ", ".join(m.group for m in matches))
        state.language = language or matches[0].language
        if self.on_crisis is not None:
            for match in matches:
                self.on_crisis(state.language, match.group)
        state.pending_intent = None
        state.last_intent = matches[0].answer
        t = Texts(state.language)
        replies = []
        for match in matches:
            answer = self.content.get(state.language, match.answer)
            if answer is not None:
                text = self.tailoring.text(answer, state)
                replies.append(
                    Reply(text, markdown=True, buttons=footer(t), language=state.language)
                )
        return replies or [self.answer(state.language, matches[0].answer, state)]

    def tier(
        self, text: str, language: str | None, risk: Risk | None, intent: str | None
    ) -> str | None:
        """The message's tier from all three signals (`intent`: the engine's)."""
        return tier_of_matches(risk, find_crisis(text, self.content.data.crisis, language), intent)

    def _group_answer(self, group: str, language: str) -> str:
        """The answer for a group the classifier names: crisis.yml's for that group, else the
        group's own file, else the general emergency answer (112) that every tree has."""
        listed = next((g.answer for g in self.content.data.crisis if g.name == group), None)
        if listed is not None:
            return listed
        own = crisis_answer(group)
        return own if self.content.get(language, own) is not None else "emergency"

    def safety_line(self, replies: list[Reply], language: str) -> list[Reply]:
        """The maybe tier: one line on top of the normal answer."""
        line = Texts(language).gettext(
            "In danger now? Call 112. Thoughts of suicide? Call 113, free."
        )
        if not replies:
            return [Reply(line, language=language)]
        first = replies[0]
        top = f"{line}\n\n{first.text}" if not first.markdown else f"_{line}_\n\n{first.text}"
        return [replace(first, text=top), *replies[1:]]

    def step(self, step: Step, state: ConversationState) -> list[Reply]:
        """After a profile choice: its replies, then the answer that waited for it."""
        replies = list(step.replies)
        if step.resume and state.language:
            state.last_intent = step.resume
            replies.append(self.answer(state.language, step.resume, state))
        return replies

    def answer(self, language: str, intent: str, state: ConversationState) -> Reply:
        t = Texts(language)
        answer = self.content.get(language, intent)
        if answer is None:
            log.error("no content for %s/%s", language, intent)
            return Reply(
                t.gettext(
                    "Sorry, this answer is not available right now. Talk to a person, or choose another topic."
                ),
                buttons=footer(t),
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
            buttons=(feedback, *footer(t), *self.tailoring.rows(answer, t)),
            language=language,
        )

    def desk(self, language: str, state: ConversationState) -> Reply:
        """Without a handoff queue: where to talk to a person at the information point."""
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
