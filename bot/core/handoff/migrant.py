"""The migrant's side of the handoff: opening a ticket, writing into it, cancelling it."""

from __future__ import annotations

from collections.abc import Callable

from bot.contract import Contract
from bot.core import callbacks
from bot.core.early_parse import EarlyParse
from bot.core.events import Button, Reply
from bot.core.handoff import followup, opening
from bot.core.handoff.cover import Cover, promise_for
from bot.core.handoff.model import Opening, Reason, Ticket
from bot.core.handoff.ports import MigrantTickets
from bot.core.state import ConversationState
from bot.core.understanding import EngineError, IntentParser, ParseResult
from bot.language.i18n import Texts

RECENT_KEPT = 3
# Telegram's limit: a message is kept whole (it may become the ticket's question).
RECENT_CHARS = 4096

Desk = Callable[[str, ConversationState], Reply]


def remember(state: ConversationState, text: str) -> None:
    """Keep the user's last few messages, so a ticket can carry the question."""
    state.recent = [*state.recent, text[:RECENT_CHARS]][-RECENT_KEPT:]


class MigrantHandoff:
    def __init__(
        self, tickets: MigrantTickets, contract: Contract, desk: Desk | None = None
    ) -> None:
        self.tickets = tickets
        self.contract = contract
        # The information point's desk (the info_point answer), shown when nobody can answer.
        self.desk = desk

    async def active(self, user_key: str) -> Ticket | None:
        # Without its messages: a ticket that a user keeps writing into grows long.
        return await self.tickets.active_ticket(user_key, with_messages=False)

    async def open(
        self,
        state: ConversationState,
        language: str,
        reason: Reason,
        *,
        topic: str | None = None,
        leave: bool = False,
    ) -> Reply:
        """Open a ticket with a promise someone keeps. When nobody speaks the language, say
        so and offer the other routes; `leave` (the user chose to leave the question
        anyway) opens it without a time."""
        now = self.tickets.clock.now()
        plan = promise_for(self.tickets.schedule, now, await self.tickets.speakers(language))
        t = Texts(language)
        if plan.cover is Cover.NOBODY and not leave and await self.active(state.user_key) is None:
            return self._nobody(state, language, reason, t)
        ticket, new = await self.tickets.open_ticket(
            Opening(
                user_key=state.user_key,
                language=language,
                reason=reason,
                questions=tuple(state.recent),
                topic=topic or state.last_intent,
                answered=tuple(state.answered),
                stay=state.stay,
                municipality=state.municipality,
                promise=plan,
            )
        )
        state.recent, state.misunderstood = [], 0
        if not new:
            return Reply(
                t.gettext(
                    "You already have an open question {code}. Write here and I will pass it on."
                ).format(code=ticket.label),
                buttons=self._ticket_buttons(t),
                language=language,
            )
        text = opening.opened(t, reason, ticket, plan, self.tickets.schedule, now)
        return Reply(text, buttons=self._ticket_buttons(t), language=language)

    def _nobody(self, state: ConversationState, language: str, reason: Reason, t: Texts) -> Reply:
        honest = opening.nobody_speaks(t, reason)
        buttons = (
            (
                Button(t.gettext("📝 Leave my question"), callbacks.LEAVE),
                Button(t.gettext("📋 Menu"), callbacks.MENU),
            ),
        )
        if self.desk is None:
            return Reply(honest, buttons=buttons, language=language)
        desk = self.desk(language, state)
        # The desk is Markdown from content; the honest words are plain sentences.
        return Reply(
            f"{honest}\n\n{desk.text}", markdown=desk.markdown, buttons=buttons, language=language
        )

    async def clear_question(
        self, ticket: Ticket, text: str, reader: EarlyParse | IntentParser
    ) -> str | None:
        """The answer intent the bot gives itself while the ticket is open (followup.py)."""
        try:
            if isinstance(reader, EarlyParse):
                parsed: ParseResult | None = await reader.result(text)
            else:
                parsed = await reader.parse(text)
        except EngineError:
            parsed = None  # the engine is down: the message goes to the person
        now = self.tickets.clock.now()
        return followup.clear_question(parsed, text, ticket, self.contract, now)

    @staticmethod
    def still_open(ticket: Ticket, language: str) -> Reply:
        """The one line under an answer given while a question waits for a person."""
        t = Texts(language)
        return Reply(
            t.gettext("ℹ️ Your question {code} is still open for a key person.").format(
                code=ticket.label
            ),
            buttons=MigrantHandoff._ticket_buttons(t),
            language=language,
        )

    async def write(
        self, ticket: Ticket, text: str, language: str, *, correction: bool = False
    ) -> list[Reply]:
        """A message from a user who has an open ticket goes into it (an edited message as a
        correction, passed on once)."""
        relayed = await self.tickets.add_user_message(ticket, text, correction=correction)
        if relayed:
            return []  # the key person has it; a normal chat does not echo
        t = Texts(language)
        added = (
            t.gettext(
                "I added your correction to your question {code}. A key person will answer here."
            )
            if correction
            else t.gettext("I added this to your question {code}. A key person will answer here.")
        )
        return [
            Reply(
                added.format(code=ticket.label),
                buttons=self._ticket_buttons(t),
                language=language,
            )
        ]

    async def cancel(self, state: ConversationState, language: str) -> Reply:
        t = Texts(language)
        ticket = await self.tickets.cancel(state.user_key)
        if ticket is None:
            text = t.gettext("You have no open question.")
        else:
            text = t.gettext("Your question {code} is withdrawn.").format(code=ticket.label)
        return Reply(
            text, buttons=((Button(t.gettext("📋 Menu"), callbacks.MENU),),), language=language
        )

    async def feedback(self, user_key: str, code: str, helped: bool, language: str) -> Reply:
        t = Texts(language)
        ticket = await self.tickets.record_feedback(user_key, code, helped)
        if ticket is None:
            return Reply(t.gettext("This button has expired. Here is the menu."), language=language)
        if helped:
            return Reply(t.gettext("Thank you! I am glad it helped."), language=language)
        return Reply(
            t.gettext(
                "Thank you for telling us. You can ask again, or talk to a person once more."
            ),
            buttons=(
                (
                    Button(t.gettext("📋 Menu"), callbacks.MENU),
                    Button(t.gettext("🙋 Talk to a person"), callbacks.PERSON),
                ),
            ),
            language=language,
        )

    @staticmethod
    def _ticket_buttons(t: Texts) -> tuple[tuple[Button, ...], ...]:
        return (
            (
                Button(t.gettext("✖️ Cancel my question"), callbacks.CANCEL),
                Button(t.gettext("📋 Menu"), callbacks.MENU),
            ),
        )
