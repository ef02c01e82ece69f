"""Handoff queue behaviour shared by the SQLite (unit) and PostgreSQL (integration) tests.

Each check takes a `Queues` factory: a fresh, migrated database and a queue on it with a
manual clock, so timers can be moved without waiting.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update

from bot.core import callbacks
from bot.core.clock import ManualClock
from bot.core.events import Reply
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import ClaimOutcome, KeyPerson, Opening, Reason, Status
from bot.core.outgoing import Kind
from bot.core.state import ConversationState
from bot.handoff import Handoff, build_handoff
from bot.storage.conversations import SqlConversationStates
from bot.storage.db import Database
from bot.storage.outbox import LEASE, MAX_ATTEMPTS, OutboxAnnouncer, SqlOutbox, enqueue
from bot.storage.tables import (
    ConversationRow,
    DeadLetterRow,
    OutboxRow,
    TicketMessageRow,
    TicketRow,
)

SCHEDULE = Path(__file__).resolve().parent.parent / "content" / "handoff.yml"
# Monday 23 November 2026, 10:00 in Amsterdam: inside duty hours.
MONDAY_MORNING = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def titles(language: str, intent: str) -> str:
    return f"{intent}@{language}"


@dataclass
class Setup:
    db: Database
    queue: Handoff
    outbox: SqlOutbox
    clock: ManualClock

    async def sent(self) -> list[tuple[str, Reply]]:
        """Deliver the outbox as a transport would: (recipient, reply), oldest first."""
        sent: list[tuple[str, Reply]] = []
        while due := await self.outbox.claim(limit=1000):  # one per recipient and round
            for message in due:
                await self.outbox.mark_sent(message)
                sent.append((message.recipient, message.reply))
        return sent

    async def key_person(self, user_key: str, languages: list[str], name: str = "") -> KeyPerson:
        token = await self.queue.key_persons.create_invite(languages, name)
        kp = await self.queue.key_persons.redeem_invite(token, user_key, languages[0])
        assert kp is not None
        return kp


Databases = Callable[[], Awaitable[Database]]


async def make_setup(new_db: Databases) -> Setup:
    db = await new_db()
    clock = ManualClock(MONDAY_MORNING)
    queue = build_handoff(db, Schedule.load(SCHEDULE), titles, clock=clock)
    return Setup(db, queue, SqlOutbox(db, clock), clock)


def opening(user: str, language: str = "pl", text: str = "mam problem z pracodawca") -> Opening:
    return Opening(user, language, Reason.ASKED, questions=(text,), topic="agency_work")


async def check_concurrent_claims_have_one_winner(s: Setup, rounds: int = 5) -> None:
    people = [await s.key_person(f"kp:{i}", ["pl", "nl"]) for i in range(20)]
    for round_ in range(rounds):
        ticket, _ = await s.queue.tickets.open_ticket(opening(f"user:{round_}"))
        outcomes = await asyncio.gather(*(s.queue.claims.claim(kp, ticket.code) for kp in people))
        winners = [t for outcome, t in outcomes if outcome is ClaimOutcome.WON]
        assert len(winners) == 1, outcomes
        assert sum(o is ClaimOutcome.TAKEN for o, _ in outcomes) == len(people) - 1
        held = await s.queue.tickets.active_ticket(f"user:{round_}")
        assert held is not None and held.status is Status.CLAIMED
        winner = winners[0]
        assert winner is not None and held.claimed_by == winner.claimed_by


async def check_relay_both_ways(s: Setup) -> None:
    anna = await s.key_person("kp:anna", ["pl"], name="Anna")
    ticket, new = await s.queue.tickets.open_ticket(opening("tg:100"))
    assert new and ticket.code and ticket.messages[0].text == "mam problem z pracodawca"
    announced = await s.sent()
    assert [r for r, _ in announced] == ["kp:anna"]
    text = announced[0][1].text
    assert ticket.label in text and "agency_work@pl" in text  # code, language, topic
    assert "mam problem z pracodawca" not in text  # the question goes to whoever claims it
    assert "tg:100" not in text  # never the user's identity
    assert announced[0][1].button_list[0].data == f"claim:{ticket.code}"

    outcome, claimed = await s.queue.claims.claim(anna, ticket.code)
    assert outcome is ClaimOutcome.WON and claimed is not None
    assert [m.text for m in claimed.messages] == ["mam problem z pracodawca"]
    [(to_user, told)] = await s.sent()
    assert to_user == "tg:100" and ticket.label in told.text

    assert await s.queue.claims.answer(anna, "Dzień dobry, proszę napisać więcej.") is not None
    [(to_user, relayed)] = await s.sent()
    assert to_user == "tg:100"
    assert "Anna" in relayed.text and "proszę napisać więcej" in relayed.text
    assert ticket.label in relayed.text

    active = await s.queue.tickets.active_ticket("tg:100")
    assert active is not None
    assert await s.queue.tickets.add_user_message(active, "Agencja zabrała mi paszport") is True
    [(to_kp, back)] = await s.sent()
    assert to_kp == "kp:anna" and "paszport" in back.text and ticket.label in back.text
    assert "tg:100" not in back.text

    # One open ticket per user: asking again adds to the same ticket.
    again, new = await s.queue.tickets.open_ticket(opening("tg:100", text="jeszcze jedno"))
    assert not new and again.code == ticket.code


async def check_release_and_done(s: Setup) -> None:
    anna = await s.key_person("kp:anna", ["ro"])
    bogdan = await s.key_person("kp:bogdan", ["ro"])
    ticket, _ = await s.queue.tickets.open_ticket(
        opening("tg:7", "ro", "vreau sa vorbesc cu cineva")
    )
    assert (await s.queue.claims.claim(anna, ticket.code))[0] is ClaimOutcome.WON
    released = await s.queue.claims.release(anna)
    assert released is not None and released.status is Status.OPEN
    assert await s.queue.claims.answer(anna, "hello?") is None  # no longer hers
    assert [t.code for t in await s.queue.claims.queue_for(bogdan)] == [ticket.code]
    await s.sent()
    assert (await s.queue.claims.claim(bogdan, ticket.code))[0] is ClaimOutcome.WON
    closed = await s.queue.claims.done(bogdan)
    assert closed is not None and closed.status is Status.CLOSED
    messages = await s.sent()
    to_user = [r for who, r in messages if who == "tg:7"]
    assert to_user[-1].button_list[0].data == f"tfb:y:{ticket.code}"
    assert await s.queue.tickets.active_ticket("tg:7") is None
    rated = await s.queue.tickets.record_feedback("tg:7", ticket.code, helped=True)
    assert rated is not None
    assert await s.queue.tickets.record_feedback("tg:7", ticket.code, helped=False) is None  # once
    assert (
        await s.queue.tickets.record_feedback("tg:8", ticket.code, helped=False) is None
    )  # not yours


async def check_reminders_widening_and_late_notice(s: Setup) -> None:
    polish = await s.key_person("kp:pl", ["pl"])
    dutch = await s.key_person("kp:nl", ["nl"])
    away = await s.key_person("kp:away", ["pl"])
    await s.queue.key_persons.set_available(away, False)
    ticket, _ = await s.queue.tickets.open_ticket(opening("tg:1"))
    assert [r for r, _ in await s.sent()] == ["kp:pl"]

    s.clock.advance(minutes=29)
    assert await s.queue.timers.sweep() == type(await s.queue.timers.sweep())()  # nothing due yet
    s.clock.advance(minutes=2)
    result = await s.queue.timers.sweep()
    assert result.reminded == 1 and result.widened == 0
    assert [r for r, _ in await s.sent()] == ["kp:pl"]
    assert (await s.queue.timers.sweep()).reminded == 0  # once

    assert (await s.queue.claims.claim(dutch, ticket.code))[0] is ClaimOutcome.NOT_YOUR_LANGUAGE
    s.clock.advance(minutes=90)
    assert (await s.queue.timers.sweep()).widened == 1
    widened = await s.sent()
    assert sorted(r for r, _ in widened) == ["kp:nl", "kp:pl"]
    assert [t.code for t in await s.queue.claims.queue_for(dutch)] == [ticket.code]

    # Promised: 4 duty hours from Monday 10:00 (Amsterdam) -> 14:00; then the user is told.
    assert ticket.promised_by is not None
    s.clock.current = ticket.promised_by + dt.timedelta(minutes=1)
    assert (await s.queue.timers.sweep()).late_notices == 1
    assert [r for r, _ in await s.sent()] == ["tg:1"]
    assert (await s.queue.timers.sweep()).late_notices == 0
    assert (await s.queue.claims.claim(dutch, ticket.code))[0] is ClaimOutcome.WON
    del polish


async def check_timers_survive_a_restart(
    new_db: Databases, path_db: Callable[[], Database]
) -> None:
    """Pending outbox messages and timers live in the database: a new process resumes."""
    s = await make_setup(new_db)
    await s.key_person("kp:pl", ["pl"])
    ticket, _ = await s.queue.tickets.open_ticket(opening("tg:1"))
    await s.db.dispose()  # the process dies; nothing was delivered

    db = path_db()
    clock = ManualClock(s.clock.now() + dt.timedelta(minutes=31))
    queue = build_handoff(db, Schedule.load(SCHEDULE), titles, clock=clock)
    outbox = SqlOutbox(db, clock)
    try:
        pending = await outbox.due()
        assert [m.recipient for m in pending] == ["kp:pl"]  # the announcement, still due
        for m in pending:
            await outbox.mark_sent(m)
        assert await outbox.due() == []  # sent once
        assert (await queue.timers.sweep()).reminded == 1  # the reminder timer resumed
        kept = await queue.tickets.active_ticket("tg:1")
        assert kept is not None and kept.code == ticket.code and kept.messages
    finally:
        await db.dispose()


async def check_failed_delivery_is_retried_then_given_up(s: Setup) -> None:
    await s.key_person("kp:pl", ["pl"])
    await s.queue.tickets.open_ticket(opening("tg:1"))
    [message] = await s.outbox.claim()
    await s.outbox.mark_failed(message, "network down", dt.timedelta(seconds=30))
    assert await s.outbox.claim() == []
    s.clock.advance(seconds=31)
    assert [m.id for m in await s.outbox.claim()] == [message.id]
    for _ in range(MAX_ATTEMPTS - 1):  # it keeps failing: given up, kept as a dead letter
        await s.outbox.mark_failed(message, "network down", dt.timedelta(0))
    assert await s.outbox.due() == [] and await s.outbox.pending() == 0
    async with s.db.session() as session:
        [letter] = (await session.scalars(select(DeadLetterRow))).all()
    assert letter.outcome == "gave_up" and letter.kind == "announce" and letter.ticket_code


async def check_outbox_claims_one_message_per_recipient_spaced_and_leased(s: Setup) -> None:
    outbox = SqlOutbox(s.db, s.clock, spacing=dt.timedelta(seconds=1))
    announcer = OutboxAnnouncer(s.db, s.clock)
    for i in range(3):
        await announcer.enqueue("tg:1", Reply(f"one {i}"))
    await announcer.enqueue("tg:2", Reply("two"))
    first = await outbox.claim()
    assert [(m.recipient, m.reply.text) for m in first] == [("tg:1", "one 0"), ("tg:2", "two")]
    assert await outbox.claim() == []  # taken: not again, and tg:1's next waits its turn
    await outbox.mark_sent(first[0])
    assert await outbox.claim() == []  # tg:1's next message waits a second
    s.clock.advance(seconds=1)
    [second] = await outbox.claim()
    assert second.reply.text == "one 1"
    # Never marked (the process holding the claims died): due again once the lease ran out.
    s.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert sorted(m.reply.text for m in await outbox.claim()) == ["one 1", "two"]
    # A relay overtakes the evenings waiting for the same recipient, and is claimed alone.
    async with s.db.session() as session, session.begin():
        enqueue(session, "tg:1", Reply("relay"), s.clock.now(), kind=Kind.RELAY)
    s.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert [m.reply.text for m in await outbox.claim()] == ["relay", "two"]


async def check_invites_work_once_and_expire(s: Setup) -> None:
    token = await s.queue.key_persons.create_invite(["bg"], "Petya", dt.timedelta(hours=1))
    assert await s.queue.key_persons.redeem_invite("wrong-token", "tg:9", "bg") is None
    kp = await s.queue.key_persons.redeem_invite(token, "tg:9", "nl")
    assert kp is not None and kp.languages == ("bg",) and kp.name == "Petya"
    assert kp.ui_language == "bg"  # the invite's language, as nl is not one of theirs
    assert await s.queue.key_persons.redeem_invite(token, "tg:10", "bg") is None  # used
    late = await s.queue.key_persons.create_invite(["pl"], valid_for=dt.timedelta(hours=1))
    s.clock.advance(hours=2)
    assert await s.queue.key_persons.redeem_invite(late, "tg:11", "pl") is None  # expired
    assert [k.user_key for k in await s.queue.key_persons.all()] == ["tg:9"]
    assert await s.queue.key_persons.remove(kp.id)
    assert await s.queue.key_persons.key_person("tg:9") is None


async def check_purge_and_forget(s: Setup) -> None:
    anna = await s.key_person("kp:anna", ["nl"])
    old, _ = await s.queue.tickets.open_ticket(opening("tg:old", "nl", "oude vraag"))
    await s.queue.claims.claim(anna, old.code)
    await s.queue.claims.done(anna)
    s.clock.advance(days=91)
    kept, _ = await s.queue.tickets.open_ticket(opening("tg:kept", "nl", "open vraag"))
    result = await s.queue.privacy.purge(dt.timedelta(days=90))
    assert result["tickets"] == 1
    assert await s.queue.tickets.record_feedback("tg:old", old.code, True) is None  # gone
    assert await s.queue.tickets.active_ticket("tg:kept") is not None  # open tickets stay

    await s.queue.claims.claim(anna, kept.code)
    await s.sent()
    assert (await s.queue.privacy.forget("tg:kept"))["tickets"] == 1
    assert await s.queue.tickets.active_ticket("tg:kept") is None
    told = await s.sent()
    assert [r for r, _ in told] == ["kp:anna"] and kept.label in told[0][1].text
    assert await s.queue.claims.answer(anna, "hello?") is None


async def check_concurrent_openings_make_one_ticket(s: Setup) -> None:
    results = await asyncio.gather(
        *(s.queue.tickets.open_ticket(opening("tg:1")) for _ in range(8))
    )
    assert len({t.code for t, _ in results}) == 1
    assert sum(new for _, new in results) == 1


async def check_stale_tickets_close_with_a_notice_to_both_sides(s: Setup) -> None:
    anna = await s.key_person("kp:anna", ["pl"], name="Anna")
    held, _ = await s.queue.tickets.open_ticket(opening("tg:held"))
    waiting, _ = await s.queue.tickets.open_ticket(opening("tg:waiting", text="czekam"))
    await s.queue.claims.claim(anna, held.code)
    await s.sent()
    s.clock.advance(days=13)
    assert await s.queue.claims.answer(anna, "Jeszcze sprawdzam.") is not None  # activity
    await s.sent()
    s.clock.advance(days=1, minutes=1)  # 14 days since the waiting ticket's last message
    result = await s.queue.timers.sweep()
    assert result.stale_closed == 1
    assert await s.queue.tickets.active_ticket("tg:waiting") is None
    told = await s.sent()
    assert [r for r, _ in told] == ["tg:waiting"] and waiting.label in told[0][1].text
    assert "14" in told[0][1].text
    s.clock.advance(days=13)  # 14 days since Anna's answer
    assert (await s.queue.timers.sweep()).stale_closed == 1
    assert await s.queue.tickets.active_ticket("tg:held") is None
    told = await s.sent()
    assert sorted(r for r, _ in told) == ["kp:anna", "tg:held"]
    assert all(held.label in reply.text for _, reply in told)
    assert await s.queue.claims.active_for(anna) is None  # her messages go nowhere now
    assert (await s.queue.timers.sweep()).stale_closed == 0  # once
    # Closed now, they follow the retention period like any closed ticket.
    s.clock.advance(days=91)
    assert (await s.queue.privacy.purge(dt.timedelta(days=90)))["tickets"] == 2


async def check_forget_takes_back_what_waits_for_key_persons(s: Setup) -> None:
    """Announcements of the user's ticket and copies of their messages that a key person has
    not received yet are erased with the user; the notice that the user left is not."""
    anna = await s.key_person("kp:anna", ["pl"])
    await s.queue.tickets.open_ticket(opening("tg:1", text="pierwsza osoba"))
    other, _ = await s.queue.tickets.open_ticket(opening("tg:2", text="druga osoba"))
    # Fair delivery hands out one message per recipient per pass: ask for all of Anna's.
    assert len(await s.outbox.due(recipient="kp:anna")) == 2
    await s.queue.privacy.forget("tg:1")
    [left] = await s.outbox.due(recipient="kp:anna")
    assert other.label in left.reply.text  # the other user's announcement stays
    await s.sent()

    await s.queue.claims.claim(anna, other.code)
    active = await s.queue.tickets.active_ticket("tg:2")
    assert active is not None
    assert await s.queue.tickets.add_user_message(active, "mój BSN 123456782") is True
    waiting = await s.outbox.due(recipient="kp:anna")
    assert any("123456782" in m.reply.text for m in waiting)
    erased = await s.queue.privacy.forget("tg:2")
    assert erased["outbox"] >= 2 and erased["tickets"] == 1
    told = await s.sent()
    assert [r for r, _ in told] == ["kp:anna"]  # "withdrawn by the user", nothing of theirs
    assert other.label in told[0][1].text and "123456782" not in told[0][1].text
    async with s.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxRow)) == 0


async def check_stale_tickets_are_closed_then_purged(s: Setup) -> None:
    """Open or claimed tickets nobody wrote in for 14 days are closed, both sides told; after
    the retention period they go with their messages and the user's conversation row."""
    anna = await s.key_person("kp:anna", ["pl"])
    states = SqlConversationStates(s.db)
    waiting, _ = await s.queue.tickets.open_ticket(opening("tg:waiting"))
    held, _ = await s.queue.tickets.open_ticket(opening("tg:held"))
    alive, _ = await s.queue.tickets.open_ticket(opening("tg:alive"))
    await s.queue.claims.claim(anna, held.code)
    for user in ("tg:waiting", "tg:held", "tg:alive"):
        await states.save(ConversationState(user, "pl", recent=["mam problem z pracodawca"]))
    await states.flush()
    async with s.db.session() as session, session.begin():
        await session.execute(update(ConversationRow).values(updated_at=s.clock.now()))
    await s.sent()

    s.clock.advance(days=10)
    active = await s.queue.tickets.active_ticket("tg:alive")
    assert active is not None
    await s.queue.tickets.add_user_message(active, "nadal czekam")
    s.clock.advance(days=3, hours=23)
    assert await s.queue.stale.close() == []  # 13 days and 23 hours: not yet
    s.clock.advance(hours=2)
    assert sorted(await s.queue.stale.close()) == sorted([waiting.code, held.code])
    assert await s.queue.stale.close() == []  # once
    told = {recipient: reply for recipient, reply in await s.sent()}
    assert set(told) == {"tg:waiting", "tg:held", "kp:anna"}
    assert waiting.label in told["tg:waiting"].text and "14" in told["tg:waiting"].text
    assert callbacks.PERSON in [b.data for b in told["tg:waiting"].button_list]
    assert held.label in told["kp:anna"].text
    assert await s.queue.claims.active_for(anna) is None  # nothing held any more
    assert await s.queue.tickets.active_ticket("tg:waiting") is None
    assert await s.queue.tickets.active_ticket("tg:alive") is not None
    again, new = await s.queue.tickets.open_ticket(opening("tg:waiting", text="jeszcze raz"))
    assert new and again.code != waiting.code  # asking again opens a new ticket
    await s.queue.tickets.cancel("tg:waiting")

    s.clock.advance(days=89)
    first = await s.queue.privacy.purge(dt.timedelta(days=90))
    # Closed 89 days ago: the tickets stay; the two users' conversations, idle for 104 days
    # and no longer held by an open ticket, go (tg:alive's stays while its ticket is open).
    assert first["tickets"] == 0 and first["conversations"] == 1 + 1
    s.clock.advance(days=2)
    purged = await s.queue.privacy.purge(dt.timedelta(days=90))
    assert purged["tickets"] == 3  # the two closed as stale, and the cancelled one
    async with s.db.session() as session:
        codes = set((await session.scalars(select(TicketRow.code))).all())
        messages = await session.scalar(select(func.count()).select_from(TicketMessageRow))
    assert codes == {alive.code} and messages == 2
    assert (await states.load("tg:held")).recent == []
    assert (await states.load("tg:alive")).recent == ["mam problem z pracodawca"]


async def check_forget_leaves_no_failure_notice_or_dead_letter_about_the_user(s: Setup) -> None:
    """A refused copy of the user's message is a dead letter about them, and its failure
    notice waits for them: /forget erases both. A key person's /forget keeps their waiting
    answer for the user, without the notice that would tell the forgotten key person."""
    anna = await s.key_person("kp:anna", ["pl"])
    ticket, _ = await s.queue.tickets.open_ticket(opening("tg:1", text="mój adres"))
    await s.queue.claims.claim(anna, ticket.code)
    await s.sent()
    active = await s.queue.tickets.active_ticket("tg:1")
    assert active is not None
    assert await s.queue.tickets.add_user_message(active, "ul. Długa 5") is True
    [copy] = await s.outbox.due(recipient="kp:anna")
    await s.outbox.mark_dead(copy, "Forbidden: bot was blocked by the user")
    [notice] = await s.outbox.due(recipient="tg:1")  # "could not be delivered"
    assert notice.kind == Kind.FAILURE
    await s.queue.privacy.forget("tg:1")
    async with s.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(DeadLetterRow)) == 0
        assert await session.scalar(select(func.count()).select_from(OutboxRow)) == 1
    assert [r for r, _ in await s.sent()] == ["kp:anna"]  # "withdrawn", nothing of theirs

    bob = await s.key_person("kp:bob", ["pl"])
    other, _ = await s.queue.tickets.open_ticket(opening("tg:2", text="pytanie"))
    await s.queue.claims.claim(bob, other.code)
    await s.sent()
    assert await s.queue.claims.answer(bob, "Odpowiedź") is not None
    await s.queue.privacy.forget("kp:bob")
    [answer] = await s.outbox.due(recipient="tg:2")
    await s.outbox.mark_dead(answer, "Forbidden: bot was blocked by the user")
    assert await s.outbox.due(recipient="kp:bob") == []  # nobody is told about Bob
    async with s.db.session() as session:
        [letter] = (await session.scalars(select(DeadLetterRow))).all()
    assert letter.sender is None and letter.recipient == "tg:2"
