"""Every message reaches the key person: lengths in UTF-16 units, long tickets in several
messages, newest kept, nothing cut; `/ticket CODE` shows the whole history (issue 15)."""

from __future__ import annotations

import datetime as dt

from bot.core import callbacks
from bot.core.events import Reply, UserEvent
from bot.core.handoff import history, notices
from bot.core.handoff.model import KeyPerson, Reason, Status, Ticket, TicketMessage
from bot.core.textsize import cut_utf16, split_utf16, utf16_len
from bot.language.i18n import Texts
from bot.telegram.mapping import MAX_TEXT, parts_for
from bot.telegram.signing import CallbackSigner
from tests.unit.conftest import Desk

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def long_message(i: int, length: int = 1500) -> str:
    """Message i: a recognisable start and end around `length` characters (emoji included)."""
    body = ("słowo 👷 " * length)[: length - 20]
    return f"<start {i}> {body} <end {i}>"


def test_lengths_are_counted_in_utf16_units_and_splits_lose_nothing() -> None:
    assert utf16_len("abc") == 3 and utf16_len("👷") == 2 and utf16_len("ż") == 1
    assert cut_utf16("ab👷", 3) == "ab"  # an emoji is never split in two
    text = "\n\n".join(long_message(i) for i in range(6))
    pieces = split_utf16(text, 4000)
    assert "".join(pieces) == text and all(utf16_len(p) <= 4000 for p in pieces)
    assert pieces[0].endswith("\n\n")  # broken between paragraphs


def test_a_telegram_message_is_split_by_utf16_units_and_nothing_is_cut() -> None:
    emoji = "👷" * 3000  # 3000 characters for Python, 6000 units for Telegram
    sent = parts_for(Reply(emoji), 1, CallbackSigner("k"))
    assert len(sent) == 2 and all(utf16_len(p.html) <= MAX_TEXT for p in sent)
    assert "".join(p.html for p in sent) == emoji
    ampersands = "&" * 4000  # escaped it is longer, but Telegram counts what the user sees
    [one] = parts_for(Reply(ampersands), 1, CallbackSigner("k"))
    assert one.html == "&amp;" * 4000


def ticket_with(messages: list[str]) -> Ticket:
    return Ticket(
        id=1, code="K7Q2", user_key="tg:1", language="pl", status=Status.OPEN,
        reason=Reason.ASKED, topic="agency_work", answered=(), stay=None, municipality=None,
        claimed_by=None, created_at=NOW, queued_at=NOW, promised_by=NOW, widened=False,
        messages=tuple(TicketMessage("user", m, NOW) for m in messages),
    )  # fmt: skip


def test_the_whole_history_comes_in_parts_and_an_announcement_quotes_none_of_it() -> None:
    t, texts = Texts("nl"), [long_message(i) for i in range(6)]
    ticket = ticket_with(texts)
    parts = history.parts(t, ticket, lambda _l, i: i, "intro")
    assert len(parts) >= 3 and all(utf16_len(p) <= MAX_TEXT for p in parts)
    assert parts[1].startswith("#K7Q2 (2/")
    joined = "\n".join(parts)
    assert all(text in joined for text in texts)  # every message, whole
    assert [joined.index(text) for text in texts] == sorted(joined.index(text) for text in texts)
    # An announcement goes to every key person before anyone claims: code and topic only.
    kp = KeyPerson(1, "tg:kp", "Ala", ("pl",), "nl", available=True, active_ticket_id=None)
    one = notices.announcement(kp, ticket, lambda _l, i: i).text
    assert "#K7Q2" in one and not any(text[:40] in one for text in texts)
    # One message longer than a message: split, still whole when joined.
    huge = ticket_with(["x" * 9000])
    pieces = history.parts(t, huge, lambda _l, i: i)
    assert len(pieces) == 3 and sum(p.count("x") for p in pieces) == 9000


async def test_claiming_and_ticket_code_show_all_six_long_messages(desk: Desk) -> None:
    await desk.key_person("tg:kp", ["pl"], name="Ala")
    user, texts = "tg:6", [long_message(i) for i in range(6)]
    await desk.core.handle(UserEvent.button(user, callbacks.language("pl")))
    await desk.core.handle(UserEvent.button(user, callbacks.PERSON))
    for text in texts:
        [added] = await desk.core.handle(UserEvent.message(user, text))
        assert "#" in added.text
    ticket = await desk.queue.tickets.active_ticket(user)
    assert ticket is not None and [m.text for m in ticket.messages] == texts  # stored whole
    claimed = await desk.core.handle(UserEvent.button("tg:kp", callbacks.claim(ticket.code)))
    assert len(claimed) >= 3 and all(utf16_len(r.text) <= MAX_TEXT for r in claimed)
    shown = "\n".join(r.text for r in claimed)
    assert all(text in shown for text in texts)
    again = await desk.core.handle(UserEvent.command("tg:kp", f"/ticket {ticket.code}"))
    assert [r.text for r in again] == [r.text for r in claimed]


async def test_an_edit_is_relayed_once_marked_as_a_correction_both_ways(desk: Desk) -> None:
    await desk.key_person("tg:kp", ["pl"], name="Ala")
    await desk.core.handle(UserEvent.button("tg:7", callbacks.language("pl")))
    await desk.core.handle(UserEvent.button("tg:7", callbacks.PERSON))
    ticket = await desk.queue.tickets.active_ticket("tg:7")
    assert ticket is not None
    # Before the claim: stored as a correction, the user told so.
    [added] = await desk.core.handle(UserEvent.message("tg:7", "pracuje w Venlo", edited=True))
    assert added.text == Texts("pl").gettext(
        "I added your correction to your question {code}. A key person will answer here."
    ).format(code=ticket.label)
    await desk.core.handle(UserEvent.button("tg:kp", callbacks.claim(ticket.code)))
    await desk.delivered()
    mark = "✏️ " + Texts("pl").gettext("correction of an earlier message")
    await desk.core.handle(UserEvent.message("tg:7", "pracuje w Venray", edited=True))
    [to_kp] = (await desk.delivered())["tg:kp"]
    assert mark in to_kp.text.split("\n")[0] and to_kp.text.endswith("pracuje w Venray")
    await desk.core.handle(UserEvent.message("tg:kp", "Dzień dobry, co się stało?", edited=True))
    [to_user] = (await desk.delivered())["tg:7"]
    assert mark in to_user.text.split("\n")[0] and to_user.text.endswith("co się stało?")
    history_ = (await desk.queue.tickets.active_ticket("tg:7")).messages  # type: ignore[union-attr]
    assert [m.correction for m in history_][-3:] == [True, True, True]
    [view, *_] = await desk.core.handle(UserEvent.command("tg:kp", f"/ticket {ticket.code}"))
    assert "🙋 ✏️ pracuje w Venray" in view.text
