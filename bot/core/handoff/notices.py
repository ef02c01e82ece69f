"""The messages the queue sends to key persons and users, in the reader's language.

Key persons never see who the user is on Telegram. An announcement of a new ticket, which
goes to every available key person, shows its code, language and topic only; the user's
messages and what the bot knows of them (stay, municipality) are shown to the one key
person who claims it. A user's /forget can then take back what has not been delivered, and
fewer copies of it sit in key persons' chats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.core import callbacks
from bot.core.events import Button, Reply
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import KeyPerson, Ticket
from bot.language.codes import name_in
from bot.language.i18n import Texts

# (language, intent) -> the answer's title in that language
Titles = Callable[[str, str], str]

QUOTE_MAX = 1500  # characters of the question shown in an announcement


def stay_label(t: Texts, stay: str) -> str:
    labels = {
        "short": t.gettext("Under 4 months"),
        "mid": t.gettext("4 months to 3 years"),
        "long": t.gettext("Longer than 3 years"),
    }
    return labels.get(stay, stay)


def describe_ticket(t: Texts, ticket: Ticket, titles: Titles) -> str:
    """The ticket as a key person sees it: code, language, topic, context, messages."""
    lines = [f"{ticket.label} · {name_in(ticket.language, t.language)}"]
    if ticket.topic:
        lines.append(t.gettext("Topic: {topic}").format(topic=titles(t.language, ticket.topic)))
    if ticket.stay:
        lines.append(t.gettext("Stay: {stay}").format(stay=stay_label(t, ticket.stay)))
    if ticket.municipality:
        lines.append(
            t.gettext("Municipality: {municipality}").format(municipality=ticket.municipality)
        )
    if ticket.answered:
        answered = ", ".join(titles(t.language, i) for i in ticket.answered)
        lines.append(t.gettext("The bot already answered: {answers}").format(answers=answered))
    reason = {
        "asked": t.gettext("The user asked for a person."),
        "not_understood": t.gettext("The bot did not understand the question."),
        "not_helped": t.gettext("The user said the bot's answer did not help."),
    }[ticket.reason]
    lines.append(reason)
    if ticket.messages:
        lines.append("")
        for message in ticket.messages:
            who = "🙋" if message.author == "user" else "👤"
            lines.append(f"{who} {message.text}")
    text = "\n".join(lines)
    return text if len(text) <= QUOTE_MAX + 500 else text[: QUOTE_MAX + 500] + "…"


def summary(t: Texts, ticket: Ticket, titles: Titles) -> str:
    """The ticket as every key person may see it before it is claimed: code, language, topic."""
    lines = [f"{ticket.label} · {name_in(ticket.language, t.language)}"]
    if ticket.topic:
        lines.append(t.gettext("Topic: {topic}").format(topic=titles(t.language, ticket.topic)))
    return "\n".join(lines)


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
        f"{head}\n{summary(t, ticket, titles)}",
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


def claimed_by_you(kp: KeyPerson, ticket: Ticket, titles: Titles) -> Reply:
    t = Texts(kp.ui_language)
    intro = t.gettext(
        "{code} is yours. What you write here now goes to the user. /release gives it back to the queue, /done closes it."
    ).format(code=ticket.label)
    return Reply(f"{intro}\n\n{describe_ticket(t, ticket, titles)}", language=kp.ui_language)


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


def user_stale(ticket: Ticket, days: int) -> Reply:
    t = Texts(ticket.language)
    return Reply(
        t.gettext(
            "Your question {code} was closed because nobody wrote in it for {days} days. If you still need help, ask again or talk to a person."
        ).format(code=ticket.label, days=days),
        buttons=(
            (
                Button(t.gettext("📋 Menu"), callbacks.MENU),
                Button(t.gettext("🙋 Talk to a person"), callbacks.PERSON),
            ),
        ),
        language=ticket.language,
    )


def keyperson_stale(kp: KeyPerson, ticket: Ticket, days: int) -> Reply:
    t = Texts(kp.ui_language)
    return Reply(
        t.gettext(
            "{code} was closed after {days} days without messages. Nothing more to do."
        ).format(code=ticket.label, days=days),
        language=kp.ui_language,
    )


def keyperson_user_left(kp: KeyPerson, ticket: Ticket) -> Reply:
    t = Texts(kp.ui_language)
    return Reply(
        t.gettext("{code} was withdrawn by the user. Nothing more to do.").format(
            code=ticket.label
        ),
        language=kp.ui_language,
    )
