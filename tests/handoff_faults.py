"""Fault injection on the Telegram side of the handoff, shared by the unit test
(tests/unit/test_handoff_faults.py) and the benchmark (bench/handoff_faults.py).

Conversations between users and key persons run through the real queue (SQLite), the SQL
outbox, the production dispatcher and python-telegram-bot's Bot with the rate limiter and
retrying request of `mip run`, against the in-process Bot API. Its sendMessage fails at
random (seeded): 400 "message is too long", 400 "chat not found", 403 "bot was blocked",
429 with retry_after, 502, a read timeout after the server got the message, a refused
connection. Every relay must end delivered (every part, once), or as a dead letter whose
sender was told (or whose notice to the sender was refused too, and kept as a dead letter
itself). Anything else is a silent loss.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.config import Secret, Settings
from bot.core.clock import ManualClock
from bot.core.conversation import Once
from bot.core.events import Reply, UserEvent
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import KeyPerson, Opening, Reason
from bot.handoff import Handoff, build_handoff
from bot.storage.db import Database
from bot.storage.outbox import SqlOutbox
from bot.storage.tables import DeadLetterRow
from bot.telegram.adapter import build_application
from bot.telegram.delivery import BotSender, OutboxDispatcher
from bot.telegram.signing import CallbackSigner
from tests.handoff_cases import MONDAY_MORNING, SCHEDULE, titles
from tests.unit.fake_botapi import FakeBotApi, telegram_error

# (weight, what a sendMessage call meets): about half of the calls fail.
FAULTS: list[tuple[int, str]] = [
    (50, "ok"),
    (6, "400 message is too long"),
    (6, "400 chat not found"),
    (6, "403 blocked"),
    (3, "429 retry_after 1"),
    (10, "502"),
    (8, "timeout after sending"),
    (11, "connection refused"),
]
LONG_ROUND = 4  # in this round the users send messages of two parts


def fault(kind: str) -> httpx.Response | Exception | None:
    return {
        "ok": None,
        "400 message is too long": telegram_error(400, "Bad Request: message is too long"),
        "400 chat not found": telegram_error(400, "Bad Request: chat not found"),
        "403 blocked": telegram_error(403, "Forbidden: bot was blocked by the user"),
        "429 retry_after 1": telegram_error(429, "Too Many Requests: retry after 1", 1),
        "502": telegram_error(502, "Bad Gateway"),
        "timeout after sending": httpx.ReadTimeout("no answer"),
        "connection refused": httpx.ConnectError("connection refused"),
    }[kind]


@dataclass
class FaultReport:
    relays: int = 0
    delivered: int = 0  # every part reached the recipient
    uncertain: int = 0  # of those, a part's answer was lost (recorded, not resent)
    dead_sender_told: int = 0
    dead_notice_kept: int = 0  # the sender's chat refused the notice too: both kept
    duplicates: int = 0  # a part that reached its recipient twice
    silent: int = 0
    calls: int = 0
    injected: Counter[str] = field(default_factory=Counter)


@dataclass
class Relay:
    head: str  # the marker at its start
    tail: str  # the marker at its end (the same for a short one)
    chat: int  # its recipient
    sender: str  # who is told if it fails


class NoUpdates:
    """The bot here only delivers the outbox."""

    async def handle(self, event: UserEvent, *, once: Once | None = None) -> list[Reply]:
        raise AssertionError("no updates here")


class Tick:
    """The dispatcher's per-chat clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def run_faults(
    folder: Path, conversations: int = 6, rounds: int = 10, seed: int = 15
) -> FaultReport:
    db = Database(f"sqlite+aiosqlite:///{folder / 'faults.db'}")
    await db.migrate()
    clock, tick = ManualClock(MONDAY_MORNING), Tick()
    queue = build_handoff(db, Schedule.load(SCHEDULE), titles, clock=clock)
    outbox = SqlOutbox(db, clock, prefix="tg:")
    api, report = FakeBotApi(), FaultReport()
    chance = random.Random(seed)
    faulty = False

    def inject(request: httpx.Request) -> httpx.Response | Exception | None:
        if not faulty or not request.url.path.endswith("/sendMessage"):
            return None
        kind = chance.choices([k for _, k in FAULTS], [w for w, _ in FAULTS])[0]
        report.injected[kind] += 1
        return fault(kind)  # a read timeout: the fake API records it as carried out

    api.intercept = inject
    settings = dataclasses.replace(Settings(), telegram_token=Secret("777:faults"))
    application, _ = build_application(
        settings, NoUpdates(), CallbackSigner("f"), request=api.request(backoff=0.0)
    )
    relays: list[Relay] = []
    try:
        async with application:
            sender = BotSender(application.bot, CallbackSigner("f"))
            dispatcher = OutboxDispatcher(outbox, sender, clock=tick)
            pairs = await _conversations(queue, conversations)
            await _drain(dispatcher, outbox, clock, tick)  # the claims' notices, no faults
            api.delivered.clear()
            faulty = True
            for r in range(rounds):
                for i, (user, kp) in enumerate(pairs):
                    relays.append(await _write(queue, user, kp, f"u{i}r{r}", r))
                await dispatcher.drain_once()
                tick.now += 0.5
            await _drain(dispatcher, outbox, clock, tick)
        async with db.session() as session:
            letters = (await session.scalars(select(DeadLetterRow))).all()
    finally:
        await db.dispose()
    report.relays, report.calls = len(relays), len(api.calls)
    for relay in relays:
        _account(report, relay, api, letters)
    return report


async def _conversations(queue: Handoff, count: int) -> list[tuple[str, KeyPerson]]:
    pairs = []
    for i in range(count):
        token = await queue.key_persons.create_invite(["pl"], f"kp{i}")
        kp = await queue.key_persons.redeem_invite(token, f"tg:{100 + i}", "pl")
        assert kp is not None
        user = f"tg:{1000 + i}"
        ticket, _ = await queue.tickets.open_ticket(Opening(user, "pl", Reason.ASKED, ("?",)))
        await queue.claims.claim(kp, ticket.code)
        current = await queue.key_persons.key_person(kp.user_key)
        assert current is not None
        pairs.append((user, current))
    return pairs


async def _write(queue: Handoff, user: str, kp: KeyPerson, mark: str, round_: int) -> Relay:
    """One relay: the user writes in even rounds (long ones in LONG_ROUND), the key person
    answers in odd ones."""
    head, tail = f"[{mark}]", f"[/{mark}]"
    if round_ % 2:
        await queue.claims.answer(kp, f"{head} odpowiedź {tail}")
        return Relay(head, tail, _chat(user), kp.user_key)
    filler = " słowo" * 900 if round_ == LONG_ROUND else " pytanie"
    ticket = await queue.tickets.active_ticket(user, with_messages=False)
    assert ticket is not None
    await queue.tickets.add_user_message(ticket, f"{head}{filler} {tail}")
    return Relay(head, tail, _chat(kp.user_key), user)


def _account(
    report: FaultReport, relay: Relay, api: FakeBotApi, letters: Sequence[DeadLetterRow]
) -> None:
    mine = [d for d in letters if relay.head in d.payload and d.kind == "relay"]
    final = [d for d in mine if d.outcome in ("refused", "gave_up")]
    heads = [t for c, t in api.delivered if c == relay.chat and relay.head in t]
    tails = [t for c, t in api.delivered if c == relay.chat and relay.tail in t]
    report.duplicates += max(len(heads) - 1, 0) + max(len(tails) - 1, 0)
    if final:
        told = _told(api, letters, relay.sender, final[0])
        if told == "delivered":
            report.dead_sender_told += 1
        elif told == "kept":
            report.dead_notice_kept += 1
        else:
            report.silent += 1
    elif heads and tails:
        report.delivered += 1
        report.uncertain += any(d.outcome == "uncertain" for d in mine)
    else:
        report.silent += 1


def _told(
    api: FakeBotApi, letters: Sequence[DeadLetterRow], sender: str, letter: DeadLetterRow
) -> str:
    """'delivered' when a failure notice reached the sender, 'kept' when it was refused too."""
    if not letter.sender_told or letter.sender != sender:
        return ""
    code = f"#{letter.ticket_code}"
    chat = _chat(sender)
    if any(c == chat and t.startswith("⚠️") and code in t for c, t in api.delivered):
        return "delivered"
    if any(d.kind == "failure" and d.recipient == sender for d in letters):
        return "kept"
    return ""


def _chat(user_key: str) -> int:
    return int(user_key.split(":")[1])


async def _drain(
    dispatcher: OutboxDispatcher, outbox: SqlOutbox, clock: ManualClock, tick: Tick
) -> None:
    """Deliver until the outbox is empty, moving both clocks past every wait and retry."""
    for _ in range(1000):
        if not await outbox.pending():
            return
        await dispatcher.drain_once()
        clock.advance(seconds=31)
        tick.now += 1.5
    raise AssertionError("the outbox did not drain")
