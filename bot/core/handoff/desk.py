"""What a registered key person can do in their private chat with the bot.

Everything they write is relayed to the user of their active ticket; commands manage the
queue. Anyone who is not registered never reaches this module.
"""

from __future__ import annotations

from bot.core import callbacks
from bot.core.events import Button, EventKind, Reply, UserEvent
from bot.core.handoff import notices
from bot.core.handoff.model import ClaimOutcome, KeyPerson, Ticket
from bot.core.handoff.ports import HandoffPort
from bot.language.codes import SUPPORTED, name_in, native_name
from bot.language.i18n import Texts

QUEUE_SHOWN = 10


class KeyPersonDesk:
    def __init__(self, handoff: HandoffPort) -> None:
        self.handoff = handoff

    async def handle(self, event: UserEvent, kp: KeyPerson) -> list[Reply]:
        t = Texts(kp.ui_language)
        if event.kind is EventKind.COMMAND:
            return await self._command(event.text, event.data, kp, t)
        if event.kind is EventKind.BUTTON:
            return await self._button(event.data, kp, t)
        if event.kind is EventKind.TEXT and event.text.strip():
            ticket = await self.handoff.claims.answer(kp, event.text.strip())
            if ticket is None:
                return [
                    self._say(
                        t, t.gettext("You have no active question. /queue shows the open ones.")
                    )
                ]
            return []  # relayed; a normal chat does not echo
        return [self._say(t, t.gettext("Only text can be passed on to the user."))]

    async def _command(self, name: str, args: str, kp: KeyPerson, t: Texts) -> list[Reply]:
        if name == "start" and args:
            # A second invite adds its languages to an existing key person.
            updated = await self.handoff.key_persons.redeem_invite(
                args, kp.user_key, kp.ui_language
            )
            return [self._help(updated or kp, t)]
        if name == "queue":
            return await self._list(kp, t)
        if name == "release":
            ticket = await self.handoff.claims.release(kp)
            if ticket is None:
                return [self._say(t, t.gettext("You have no active question."))]
            return [
                self._say(t, t.gettext("{code} is back in the queue.").format(code=ticket.label))
            ]
        if name == "done":
            ticket = await self.handoff.claims.done(kp)
            if ticket is None:
                return [self._say(t, t.gettext("You have no active question."))]
            return [
                self._say(
                    t,
                    t.gettext("{code} is closed. The user is asked whether it helped.").format(
                        code=ticket.label
                    ),
                ),
                *await self._held_hint(kp, t),
            ]
        if name == "suggest":
            ticket = await self.handoff.claims.suggest(kp)
            if ticket is None:
                return [
                    self._say(
                        t,
                        t.gettext(
                            "Nothing to suggest: write your answer in an active question first (and staff must have switched on collecting questions)."
                        ),
                    )
                ]
            return [
                self._say(
                    t,
                    t.gettext(
                        "Thank you: your last answer in {code} is offered to staff as new content (personal details masked)."
                    ).format(code=ticket.label),
                )
            ]
        if name == "away":
            await self.handoff.key_persons.set_available(kp, False)
            return [
                self._say(
                    t,
                    t.gettext(
                        "You are away: no new questions are announced to you. /back when you are available again."
                    ),
                )
            ]
        if name == "back":
            await self.handoff.key_persons.set_available(kp, True)
            return [
                self._say(t, t.gettext("Welcome back: new questions are announced to you again.")),
                *await self._list(kp, t),
            ]
        if name == "ticket":
            code = args.strip().lstrip("#").upper()
            ticket = await self.handoff.claims.switch(kp, code) if code else None
            if ticket is None:
                return [self._say(t, t.gettext("You do not hold a question with that code."))]
            return [notices.claimed_by_you(kp, ticket, self.handoff.claims.titles)]
        if name == "language":
            return [
                Reply(
                    t.gettext("Choose your language:"),
                    buttons=tuple(
                        (Button(native_name(c), callbacks.language(c)),) for c in SUPPORTED
                    ),
                    language=kp.ui_language,
                )
            ]
        return [self._help(kp, t)]

    async def _button(self, data: str, kp: KeyPerson, t: Texts) -> list[Reply]:
        action, _, value = data.partition(":")
        if action == "claim" and value:
            outcome, ticket = await self.handoff.claims.claim(kp, value)
            if outcome is ClaimOutcome.WON and ticket is not None:
                return [notices.claimed_by_you(kp, ticket, self.handoff.claims.titles)]
            if outcome is ClaimOutcome.NOT_YOUR_LANGUAGE:
                return [self._say(t, t.gettext("This question is not in one of your languages."))]
            return [
                self._say(
                    t,
                    t.gettext("#{code} has already been taken or closed.").format(code=value),
                )
            ]
        if action == "lang" and value in SUPPORTED:
            await self.handoff.key_persons.set_ui_language(kp, value)
            return [self._help(kp, Texts(value))]
        return [self._say(t, t.gettext("This button has expired."))]

    async def _list(self, kp: KeyPerson, t: Texts) -> list[Reply]:
        waiting = await self.handoff.claims.queue_for(kp)
        if not waiting:
            return [self._say(t, t.gettext("No open questions in your languages. Thank you!"))]
        replies = [
            self._say(
                t,
                t.gettext("Open questions, oldest first: {count}").format(count=len(waiting)),
            )
        ]
        for ticket in waiting[:QUEUE_SHOWN]:
            replies.append(self._queued(ticket, t))
        return replies

    def _queued(self, ticket: Ticket, t: Texts) -> Reply:
        return Reply(
            notices.summary(t, ticket, self.handoff.claims.titles),
            buttons=(
                (
                    Button(
                        t.gettext("✋ Claim {code}").format(code=ticket.label),
                        callbacks.claim(ticket.code),
                    ),
                ),
            ),
            language=t.language,
        )

    async def _held_hint(self, kp: KeyPerson, t: Texts) -> list[Reply]:
        current = await self.handoff.key_persons.key_person(kp.user_key)
        active = await self.handoff.claims.active_for(current) if current else None
        if active is None:
            return []
        return [
            self._say(
                t,
                t.gettext("Your messages now go to {code}.").format(code=active.label),
            )
        ]

    def _help(self, kp: KeyPerson, t: Texts) -> Reply:
        languages = ", ".join(name_in(code, t.language) for code in kp.languages)
        return self._say(
            t,
            t.gettext(
                "You are a key person for: {languages}.\n/queue – open questions\n/ticket CODE – write to another question you hold\n/release – give the question back to the queue\n/done – close the question\n/suggest – offer your last answer as new content\n/away and /back – pause or resume announcements\n/language – the language of these messages"
            ).format(languages=languages),
        )

    @staticmethod
    def _say(t: Texts, text: str) -> Reply:
        return Reply(text, language=t.language)
