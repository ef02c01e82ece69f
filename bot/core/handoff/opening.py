"""What the user is told when they ask for a person: only what someone will keep.

The promise (cover.py) decides the words: a time within duty hours, the next duty period,
or, when nobody speaks the language, no time at all and the routes that do exist.
"""

from __future__ import annotations

import datetime as dt

from bot.core.handoff import notices
from bot.core.handoff.cover import Cover, Promise
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import Reason, Ticket
from bot.language.i18n import Texts


def sorry(t: Texts, reason: Reason) -> str:
    """The first words when the bot could not help (none when the user simply asked)."""
    return {
        Reason.ASKED: "",
        Reason.NOT_UNDERSTOOD: t.gettext("Sorry, I did not understand."),
        Reason.NOT_HELPED: t.gettext("Sorry that this did not help."),
    }[reason]


def nobody_speaks(t: Texts, reason: Reason) -> str:
    """Nobody in the team speaks the language: the honest answer, before the desk."""
    body = t.gettext(
        "At the moment nobody in our team speaks your language, so I cannot pass your question to a person who does, and I cannot say when someone could answer.\n\nWhat you can do:\n• talk to a person at the information point (below);\n• ask me in other words, or choose a topic in the menu;\n• leave your question here: our team sees it, and if someone can answer (perhaps with a translation tool), the answer comes in this chat. I cannot promise when."
    )
    return " ".join(part for part in (sorry(t, reason), body) if part)


def opened(
    t: Texts, reason: Reason, ticket: Ticket, plan: Promise, schedule: Schedule, now: dt.datetime
) -> str:
    """The text that confirms a new ticket, with the promise it can keep."""
    hours = schedule.describe(t.language)
    if plan.cover is Cover.NOBODY:
        body = t.gettext(
            "I have kept your question {code}. Nobody in our team speaks your language yet, so I cannot say when a person will answer. Our team sees the question, and if someone can help, the answer comes here.\n\nMeanwhile you can keep asking me: I answer what I can, and your question stays open. The key person does not see your name or phone number."
        ).format(code=ticket.label)
        return body
    intro = " ".join(
        part
        for part in (sorry(t, reason), t.gettext("I have passed your question to our key persons."))
        if part
    )
    if plan.cover is Cover.OFF_DUTY and plan.period is not None:
        body = t.gettext(
            "Nobody who speaks your language is on duty right now. A person who speaks your language will answer you here in the next duty period: {period}. Key persons work {hours}. Your question number is {code}.\n\nIf you have not written your question yet, write it now; you can add more messages. Meanwhile I keep answering what I can. The key person does not see your name or phone number."
        ).format(period=period_text(t, schedule, plan.period, now), hours=hours, code=ticket.label)
    elif plan.due is None:
        body = t.gettext(
            "Nobody who speaks your language is available right now, so I cannot say when a person will answer; you will be told here when someone takes your question. Your question number is {code}.\n\nIf you have not written your question yet, write it now; you can add more messages. The key person does not see your name or phone number."
        ).format(code=ticket.label)
    else:
        body = t.gettext(
            "A person who speaks your language will answer you here, expected {when}. Key persons work {hours}. Your question number is {code}.\n\nIf you have not written your question yet, write it now; you can add more messages. Meanwhile I keep answering what I can. The key person does not see your name or phone number."
        ).format(
            when=notices.promise_text(t, schedule, plan.due, now), hours=hours, code=ticket.label
        )
    return f"{intro}\n{body}"


def period_text(
    t: Texts, schedule: Schedule, period: tuple[dt.datetime, dt.datetime], now: dt.datetime
) -> str:
    day, hours = schedule.local_period(period, now, t.language)
    if day is None:
        return t.gettext("today, {hours}").format(hours=hours)
    if day == "tomorrow":
        return t.gettext("tomorrow, {hours}").format(hours=hours)
    return t.gettext("{day}, {hours}").format(day=day, hours=hours)
