"""A ticket as a key person reads it: nothing cut, the newest first to be kept.

Claiming a ticket and `/ticket CODE` show the whole history, in as many messages as it takes
(each within Telegram's limit, counted in UTF-16 units, numbered "2/3"). An announcement, a
digest line or a /queue entry quotes none of it: code, language and topic only
(notices.summary), so the user's words go to the one key person who claims the ticket.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.handoff.model import Ticket, TicketMessage
from bot.core.textsize import split_utf16, utf16_len
from bot.language.codes import name_in
from bot.language.i18n import Texts

PART_MAX = 4000  # units per message of a full history (Telegram: 4096; room for "2/3")

# (language, intent) -> the answer's title in that language
Titles = Callable[[str, str], str]


def stay_label(t: Texts, stay: str) -> str:
    labels = {
        "short": t.gettext("Under 4 months"),
        "mid": t.gettext("4 months to 3 years"),
        "long": t.gettext("Longer than 3 years"),
    }
    return labels.get(stay, stay)


def describe_ticket(t: Texts, ticket: Ticket, titles: Titles) -> str:
    """What a key person knows of a ticket besides its messages: code, language, topic..."""
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
    return "\n".join(lines)


def line(message: TicketMessage) -> str:
    who = "🙋" if message.author == "user" else "👤"
    return f"{who}{' ✏️' if message.correction else ''} {message.text}"


def parts(t: Texts, ticket: Ticket, titles: Titles, head: str = "") -> list[str]:
    """The whole ticket in messages of at most PART_MAX units: every message, whole."""
    top = "\n".join(part for part in (head, describe_ticket(t, ticket, titles)) if part)
    pieces: list[str] = []
    current = f"{top}\n" if ticket.messages else top
    for text in (line(m) for m in ticket.messages):
        candidate = f"{current}\n{text}"
        if utf16_len(candidate) <= PART_MAX:
            current = candidate
            continue
        if utf16_len(text) <= PART_MAX:
            pieces.append(current)
            current = text
            continue
        # Longer than a message on its own: it fills this one and goes on in the next.
        *whole, current = split_utf16(candidate, PART_MAX)
        pieces.extend(whole)
    pieces.append(current)
    if len(pieces) == 1:
        return pieces
    count = len(pieces)
    return [pieces[0], *(f"{ticket.label} ({i}/{count})\n{p}" for i, p in enumerate(pieces[1:], 2))]
