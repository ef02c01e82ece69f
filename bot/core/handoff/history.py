"""A ticket as a key person reads it: nothing cut, the newest first to be kept.

Claiming a ticket and `/ticket CODE` show the whole history, in as many messages as it takes
(each within Telegram's limit, counted in UTF-16 units, numbered "2/3"). An announcement or
a /queue entry is one message: the ticket's facts and its newest messages that fit, with a
line saying how many earlier ones the claim will show.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.handoff.model import Ticket, TicketMessage
from bot.core.textsize import cut_utf16, split_utf16, utf16_len
from bot.language.codes import name_in
from bot.language.i18n import Texts

PART_MAX = 4000  # units per message of a full history (Telegram: 4096; room for "2/3")
ANNOUNCE_MAX = 3500  # units of an announcement, which also carries its Claim button

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


def latest(t: Texts, ticket: Ticket, titles: Titles, head: str = "") -> str:
    """One message: `head`, the ticket's facts and its newest messages that fit."""
    top = "\n".join(part for part in (head, describe_ticket(t, ticket, titles)) if part)
    lines = [line(m) for m in ticket.messages]
    if not lines:
        return top
    earlier_note = t.gettext("… {count} earlier messages: the claim shows all of them.")
    budget = ANNOUNCE_MAX - utf16_len(top) - utf16_len(earlier_note) - 8
    kept: list[str] = []
    for text in reversed(lines):
        if utf16_len(text) + 1 > budget:
            break
        kept.insert(0, text)
        budget -= utf16_len(text) + 1
    if not kept:  # the newest alone is longer than a message: as much of it as fits
        kept = [cut_utf16(lines[-1], budget - 1) + "…"]
    earlier = len(lines) - len(kept)
    note = [earlier_note.format(count=earlier)] if earlier else []
    return "\n".join([top, "", *note, *kept])


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
