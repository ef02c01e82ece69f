"""The messages the queue sends to key persons and users, in the reader's language.

Key persons never see who the user is on Telegram. An announcement of a new ticket, which
goes to every available key person, shows its code, language and topic only; the user's
messages and what the bot knows of them (stay, municipality) are shown to the one key
person who claims it. A user's /forget can then take back what has not been delivered, and
fewer copies of it sit in key persons' chats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.core import callbacks
from bot.core.events import Button, Reply
from bot.core.handoff import history
from bot.core.handoff.history import Titles
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import KeyPerson, Ticket
from bot.language.codes import name_in
from bot.language.i18n import Texts


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


def relay_to_keyperson(
    kp: KeyPerson, ticket: Ticket, text: str, *, correction: bool = False
) -> Reply:
    mark = correction_mark(Texts(kp.ui_language)) if correction else ""
    return Reply(f"💬 {ticket.label}{mark}\n{text}", language=kp.ui_language)


def relay_to_user(ticket: Ticket, kp: KeyPerson, text: str, *, correction: bool = False) -> Reply:
    t = Texts(ticket.language)
    who = kp.name or t.gettext("Key person")
    mark = correction_mark(t) if correction else ""
    return Reply(f"👤 {who} ({ticket.label}){mark}:\n{text}", language=ticket.language)


def correction_mark(t: Texts) -> str:
    """An edited message is passed on once, marked so: it replaces an earlier one."""
    return " · ✏️ " + t.gettext("correction of an earlier message")


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


# -- fair delivery and failures (bot/storage/outbox.py, bot/storage/dead_letters.py) ------

DIGEST_BUTTONS = 8


def summary_line(kp: KeyPerson, ticket: Ticket, titles: Titles, note: str = "") -> str:
    """The ticket as one line of a digest: '⏰ #K7Q2 · Pools · Uitzendwerk'."""
    t = Texts(kp.ui_language)
    about = titles(t.language, ticket.topic) if ticket.topic else ""
    mark = {"": "🆕", "reminder": "⏰", "widened": "🌐"}[note]
    return " · ".join(
        p for p in (f"{mark} {ticket.label}", name_in(ticket.language, t.language), about) if p
    )


def digest(language: str, items: Sequence[tuple[str, str]], waiting: int) -> Reply:
    """Many announcements to one key person as one message: (code, summary line) each, of
    `waiting` announcements in all (the rest come in the next digest)."""
    t = Texts(language)
    lines = [
        t.gettext("New and waiting questions in your languages: {count}").format(count=waiting),
        "",
        *(line for _, line in items),
        "",
        t.gettext("/queue lists them, the oldest first; claiming one shows its messages."),
    ]
    claims = [
        Button(t.gettext("✋ Claim {code}").format(code=f"#{code}"), callbacks.claim(code))
        for code, _ in items[:DIGEST_BUTTONS]
        if code
    ]
    rows = tuple(tuple(claims[i : i + 2]) for i in range(0, len(claims), 2))
    return Reply("\n".join(lines), buttons=rows, language=language)


def undelivered_to_keyperson(ticket: Ticket) -> Reply:
    """Told to the user when their message to the key person is refused for good."""
    t = Texts(ticket.language)
    return Reply(
        t.gettext(
            "⚠️ Your message in question {code} could not be delivered to the key person. It is saved with your question. Please send it again in a few minutes (in shorter parts if it was long). If it keeps failing, cancel the question and ask for a person again, or contact the information point."
        ).format(code=ticket.label),
        buttons=(
            (
                Button(t.gettext("✖️ Cancel my question"), callbacks.CANCEL),
                Button(t.gettext("📋 Menu"), callbacks.MENU),
            ),
        ),
        language=ticket.language,
    )


def undelivered_to_user(kp: KeyPerson, ticket: Ticket) -> Reply:
    """Told to the key person when a message to the user of their ticket is refused."""
    t = Texts(kp.ui_language)
    return Reply(
        t.gettext(
            "⚠️ A message to the user of {code} could not be delivered: Telegram refused it (perhaps the user blocked the bot). It is saved in the question. Try again, in shorter parts if it was long; if it keeps failing, the user cannot be reached and /done closes the question."
        ).format(code=ticket.label),
        language=kp.ui_language,
    )
