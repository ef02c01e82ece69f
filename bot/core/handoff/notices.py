"""The messages the queue sends to key persons and users, in the reader's language.

Key persons see a ticket code, the language, the topic and the messages: never who the
user is on Telegram.
"""

from __future__ import annotations

import datetime as dt

from bot.core import callbacks
from bot.core.events import Button, Reply
from bot.core.handoff import history
from bot.core.handoff.history import Titles
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import KeyPerson, Ticket
from bot.language.i18n import Texts


def announcement(kp: KeyPerson, ticket: Ticket, titles: Titles, *, note: str = "") -> Reply:
    t = Texts(kp.ui_language)
    head = {
        "": t.gettext("🆕 New question"),
        "reminder": t.gettext("⏰ Still waiting for a key person"),
        "widened": t.gettext(
            "⏰ Nobody who speaks this language has taken it yet. Can you help (e.g. with a translation tool)?"
        ),
    }[note]
    return Reply(
        history.latest(t, ticket, titles, head),
        buttons=(
            (
                Button(
                    t.gettext("✋ Claim {code}").format(code=ticket.label),
                    callbacks.claim(ticket.code),
                ),
            ),
        ),
        language=kp.ui_language,
    )


def claimed_by_you(kp: KeyPerson, ticket: Ticket, titles: Titles) -> list[Reply]:
    """The whole ticket, in as many messages as it takes (history.py)."""
    t = Texts(kp.ui_language)
    intro = t.gettext(
        "{code} is yours. What you write here now goes to the user. /release gives it back to the queue, /done closes it."
    ).format(code=ticket.label)
    return [
        Reply(part, language=kp.ui_language)
        for part in history.parts(t, ticket, titles, f"{intro}\n")
    ]


def relay_to_keyperson(kp: KeyPerson, ticket: Ticket, text: str) -> Reply:
    return Reply(f"💬 {ticket.label}\n{text}", language=kp.ui_language)


def relay_to_user(ticket: Ticket, kp: KeyPerson, text: str) -> Reply:
    t = Texts(ticket.language)
    who = kp.name or t.gettext("Key person")
    return Reply(f"👤 {who} ({ticket.label}):\n{text}", language=ticket.language)


def user_claimed(ticket: Ticket) -> Reply:
    t = Texts(ticket.language)
    return Reply(
        t.gettext("A key person has taken your question {code} and will answer here.").format(
            code=ticket.label
        ),
        language=ticket.language,
    )


def user_closed(ticket: Ticket) -> Reply:
    t = Texts(ticket.language)
    return Reply(
        t.gettext("The key person has closed your question {code}. Did this help you?").format(
            code=ticket.label
        ),
        buttons=(
            (
                Button(t.gettext("👍 Yes"), callbacks.ticket_feedback(ticket.code, True)),
                Button(t.gettext("👎 No"), callbacks.ticket_feedback(ticket.code, False)),
            ),
        ),
        language=ticket.language,
    )


def promise_text(t: Texts, schedule: Schedule, promised: dt.datetime, now: dt.datetime) -> str:
    day, time = schedule.local_day_and_time(promised, now, t.language)
    if day is None:
        return t.gettext("today before {time}").format(time=time)
    if day == "tomorrow":
        return t.gettext("tomorrow before {time}").format(time=time)
    return t.gettext("{day}, before {time}").format(day=day, time=time)


def user_late(ticket: Ticket, schedule: Schedule, now: dt.datetime) -> Reply:
    t = Texts(ticket.language)
    return Reply(
        t.gettext(
            "Sorry, it is taking longer than promised. Your question {code} is still in the queue and a key person will answer as soon as possible. Key persons work {hours}."
        ).format(code=ticket.label, hours=schedule.describe(ticket.language)),
        buttons=((Button(t.gettext("✖️ Cancel my question"), callbacks.CANCEL),),),
        language=ticket.language,
    )


def keyperson_user_left(kp: KeyPerson, ticket: Ticket) -> Reply:
    t = Texts(kp.ui_language)
    return Reply(
        t.gettext("{code} was withdrawn by the user. Nothing more to do.").format(
            code=ticket.label
        ),
        language=kp.ui_language,
    )
