"""The handoff queue: tickets, claims, relays and timers, all in the database.

Every operation is one transaction that changes the tickets and writes what must be said to
other people into the outbox, so a crash leaves either both or neither. Claiming is a single
conditional UPDATE (`... WHERE status = 'open'`): on SQLite and PostgreSQL alike exactly one
of several simultaneous claims changes the row, and the others are told it is taken.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock, SystemClock
from bot.core.events import Reply
from bot.core.handoff import notices
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import (
    ACTIVE,
    ClaimOutcome,
    KeyPerson,
    Opening,
    Reason,
    Status,
    Ticket,
    TicketMessage,
)
from bot.core.handoff.notices import Titles
from bot.reporting.recorder import Analytics
from bot.reporting.review import QuestionCollector
from bot.storage.db import Database
from bot.storage.outbox import enqueue
from bot.storage.tables import (
    ConversationRow,
    InviteRow,
    KeyPersonRow,
    OutboxRow,
    SubscriptionRow,
    TicketMessageRow,
    TicketRow,
)

log = logging.getLogger(__name__)

# Ticket codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so they can be read aloud and typed back.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 4
KEY_PERSONS_FRESH = 5.0  # seconds
MESSAGE_MAX = 3500  # characters kept per relayed message (Telegram's limit is 4096)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SweepResult:
    reminded: int = 0
    widened: int = 0
    late_notices: int = 0


@dataclass(frozen=True)
class PurgeResult:
    tickets: int = 0
    conversations: int = 0
    invites: int = 0


class HandoffQueue:
    def __init__(
        self,
        db: Database,
        schedule: Schedule,
        titles: Titles,
        *,
        clock: Clock | None = None,
        analytics: Analytics | None = None,
        questions: QuestionCollector | None = None,
    ) -> None:
        self.db = db
        self.schedule = schedule
        self.titles = titles
        self.clock = clock or SystemClock()
        # Anonymous counts for the report and, when collection is on, masked questions;
        # recorded in the same transaction as the ticket change.
        self.analytics = analytics
        self.questions = questions
        self._key_person_keys: frozenset[str] | None = None
        self._key_persons_read = 0.0

    # -- key persons ----------------------------------------------------------------------

    async def create_invite(
        self, languages: Sequence[str], name: str = "", valid_for: dt.timedelta | None = None
    ) -> str:
        """A one-time token for `t.me/<bot>?start=<token>`; only its hash is stored."""
        token = secrets.token_urlsafe(18)
        expires = self.clock.now() + (valid_for or dt.timedelta(days=7))
        async with self.db.session() as session, session.begin():
            session.add(
                InviteRow(
                    token_hash=token_hash(token),
                    name=name[:80],
                    languages=",".join(languages),
                    expires_at=expires,
                )
            )
        return token

    async def redeem_invite(self, token: str, user_key: str, ui_language: str) -> KeyPerson | None:
        """Register the holder of a valid, unused invite; None for anything else."""
        if not token or len(token) > 64:
            return None
        now = self.clock.now()
        async with self.db.session() as session, session.begin():
            # Single use: the conditional update succeeds for exactly one redeemer.
            used = await session.execute(
                update(InviteRow)
                .where(
                    InviteRow.token_hash == token_hash(token),
                    InviteRow.used_at.is_(None),
                    InviteRow.expires_at > now,
                )
                .values(used_at=now)
            )
            if used.rowcount != 1:  # type: ignore[attr-defined]
                return None
            invite = await session.get(InviteRow, token_hash(token))
            assert invite is not None
            languages = invite.languages.split(",")
            row = await session.scalar(
                select(KeyPersonRow).where(KeyPersonRow.user_key == user_key)
            )
            if row is None:
                row = KeyPersonRow(
                    user_key=user_key,
                    name=invite.name,
                    languages=invite.languages,
                    ui_language=ui_language if ui_language in languages else languages[0],
                    available=True,
                    created_at=now,
                )
                session.add(row)
            else:  # an existing key person learns more languages
                known = row.languages.split(",")
                row.languages = ",".join(dict.fromkeys([*known, *languages]))
                row.name = invite.name or row.name
            await session.flush()
            self._key_person_keys = None
            return _key_person(row)

    async def key_person(self, user_key: str) -> KeyPerson | None:
        # Asked for every incoming message; almost everyone is not a key person, and the
        # few key persons are remembered for a few seconds (changes made by `mip keyperson`
        # in another process are seen within KEY_PERSONS_FRESH).
        now = time.monotonic()
        if self._key_person_keys is None or now - self._key_persons_read > KEY_PERSONS_FRESH:
            async with self.db.session() as session:
                self._key_person_keys = frozenset(
                    (await session.scalars(select(KeyPersonRow.user_key))).all()
                )
            self._key_persons_read = now
        if user_key not in self._key_person_keys:
            return None
        async with self.db.session() as session:
            row = await session.scalar(
                select(KeyPersonRow).where(KeyPersonRow.user_key == user_key)
            )
            return _key_person(row) if row else None

    async def key_persons(self) -> list[KeyPerson]:
        async with self.db.session() as session:
            rows = await session.scalars(select(KeyPersonRow).order_by(KeyPersonRow.id))
            return [_key_person(r) for r in rows]

    async def remove_key_person(self, kp_id: int) -> bool:
        """Remove a key person; tickets they held go back to the queue."""
        async with self.db.session() as session, session.begin():
            row = await session.get(KeyPersonRow, kp_id)
            if row is None:
                return False
            held = await session.scalars(
                select(TicketRow).where(
                    TicketRow.claimed_by == kp_id, TicketRow.status == Status.CLAIMED
                )
            )
            for ticket in held:
                await self._requeue(session, ticket)
            await session.delete(row)
            self._key_person_keys = None
            return True

    async def set_available(self, kp: KeyPerson, available: bool) -> None:
        async with self.db.session() as session, session.begin():
            await session.execute(
                update(KeyPersonRow).where(KeyPersonRow.id == kp.id).values(available=available)
            )

    async def set_ui_language(self, kp: KeyPerson, language: str) -> None:
        async with self.db.session() as session, session.begin():
            await session.execute(
                update(KeyPersonRow).where(KeyPersonRow.id == kp.id).values(ui_language=language)
            )

    # -- the user's side ------------------------------------------------------------------

    async def active_ticket(self, user_key: str, *, with_messages: bool = True) -> Ticket | None:
        async with self.db.session() as session:
            row = await self._active_row(session, user_key)
            return await self._ticket(session, row, with_messages=with_messages) if row else None

    async def open_ticket(self, opening: Opening) -> tuple[Ticket, bool]:
        """Open a ticket, or return the user's open one (one per user). True when new."""
        now = self.clock.now()
        for _ in range(5):
            try:
                async with self.db.session() as session, session.begin():
                    existing = await self._active_row(session, opening.user_key)
                    if existing is not None:
                        for question in opening.questions:
                            self._add_message(session, existing.id, "user", question, now)
                        return await self._ticket(session, existing), False
                    row = TicketRow(
                        code=new_code(),
                        user_key=opening.user_key,
                        language=opening.language,
                        status=Status.OPEN,
                        reason=opening.reason,
                        topic=opening.topic,
                        answered=",".join(opening.answered[-5:]),
                        stay=opening.stay,
                        municipality=opening.municipality,
                        created_at=now,
                        queued_at=now,
                        promised_by=self.schedule.promise(now),
                    )
                    session.add(row)
                    await session.flush()  # the ticket's id, for its messages
                    for question in opening.questions:
                        self._add_message(session, row.id, "user", question, now)
                    # The messages are the opening's questions: no need to read them back.
                    written = tuple(
                        TicketMessage("user", q[:MESSAGE_MAX], now) for q in opening.questions
                    )
                    ticket = await self._ticket(session, row, messages=written)
                    await self._announce(session, ticket, widened=False)
                    if self.analytics:
                        await self.analytics.handoff_opened(
                            ticket.language,
                            ticket.topic,
                            ticket.municipality,
                            ticket.stay,
                            session=session,
                        )
                    if self.questions:
                        for question in opening.questions:
                            await self.questions.handoff_question(
                                ticket.language, ticket.topic, question, session=session
                            )
                    log.info(
                        "ticket %s opened (%s, %s)", ticket.label, ticket.language, ticket.reason
                    )
                    return ticket, True
            except IntegrityError:
                # A code collision, or a second ticket racing the first for the same user:
                # try again; the next round finds the open ticket or draws a new code.
                continue
        raise RuntimeError("could not open a ticket after 5 attempts")

    async def add_user_message(self, ticket: Ticket, text: str) -> bool:
        """Store a user's message in their ticket; relayed at once when claimed (True)."""
        now = self.clock.now()
        async with self.db.session() as session, session.begin():
            row = await session.get(TicketRow, ticket.id)
            if row is None or row.status not in ACTIVE:
                return False
            self._add_message(session, row.id, "user", text, now)
            if row.status != Status.CLAIMED or row.claimed_by is None:
                return False
            kp_row = await session.get(KeyPersonRow, row.claimed_by)
            if kp_row is None:
                return False
            view = await self._ticket(session, row, with_messages=False)
            kp = _key_person(kp_row)
            enqueue(session, kp.user_key, notices.relay_to_keyperson(kp, view, text), now)
            return True

    async def cancel(self, user_key: str) -> Ticket | None:
        now = self.clock.now()
        async with self.db.session() as session, session.begin():
            row = await self._active_row(session, user_key)
            if row is None:
                return None
            await self._tell_claimant(session, row)
            row.status, row.closed_at = Status.CANCELLED, now
            log.info("ticket #%s cancelled by the user", row.code)
            return await self._ticket(session, row, with_messages=False)

    async def record_feedback(self, user_key: str, code: str, helped: bool) -> Ticket | None:
        """The user's verdict on a closed ticket; only the ticket's own user can give it."""
        async with self.db.session() as session, session.begin():
            row = await session.scalar(
                select(TicketRow).where(
                    TicketRow.code == code,
                    TicketRow.user_key == user_key,
                    TicketRow.status == Status.CLOSED,
                    TicketRow.helped.is_(None),
                )
            )
            if row is None:
                return None
            row.helped = helped
            if self.analytics:
                await self.analytics.feedback(
                    row.language, row.topic or "info_point", helped, session=session
                )
            return await self._ticket(session, row, with_messages=False)

    # -- the key person's side ------------------------------------------------------------

    async def queue_for(self, kp: KeyPerson) -> list[Ticket]:
        """Open tickets in the key person's languages (and widened ones), oldest first."""
        async with self.db.session() as session:
            rows = await session.scalars(
                select(TicketRow)
                .where(
                    TicketRow.status == Status.OPEN,
                    or_(TicketRow.language.in_(kp.languages), TicketRow.widened),
                )
                .order_by(TicketRow.queued_at, TicketRow.id)
            )
            return [await self._ticket(session, r) for r in rows.all()]

    async def held_by(self, kp: KeyPerson) -> list[Ticket]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(TicketRow)
                .where(TicketRow.claimed_by == kp.id, TicketRow.status == Status.CLAIMED)
                .order_by(TicketRow.claimed_at)
            )
            return [await self._ticket(session, r, with_messages=False) for r in rows]

    async def claim(self, kp: KeyPerson, code: str) -> tuple[ClaimOutcome, Ticket | None]:
        now = self.clock.now()
        async with self.db.session() as session, session.begin():
            row = await session.scalar(select(TicketRow).where(TicketRow.code == code))
            if row is None:
                return ClaimOutcome.NOT_FOUND, None
            if row.language not in kp.languages and not row.widened:
                return ClaimOutcome.NOT_YOUR_LANGUAGE, None
            won = await session.execute(
                update(TicketRow)
                .where(TicketRow.id == row.id, TicketRow.status == Status.OPEN)
                .values(status=Status.CLAIMED, claimed_by=kp.id, claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            if won.rowcount != 1:  # type: ignore[attr-defined]
                return ClaimOutcome.TAKEN, None
            await session.execute(
                update(KeyPersonRow).where(KeyPersonRow.id == kp.id).values(active_ticket_id=row.id)
            )
            await session.refresh(row)
            ticket = await self._ticket(session, row)
            enqueue(session, ticket.user_key, notices.user_claimed(ticket), now)
            log.info("ticket %s claimed by key person %d", ticket.label, kp.id)
            return ClaimOutcome.WON, ticket

    async def active_for(self, kp: KeyPerson) -> Ticket | None:
        """The claimed ticket the key person's messages go to."""
        async with self.db.session() as session:
            row = await self._active_for(session, kp)
            return await self._ticket(session, row, with_messages=False) if row else None

    async def switch(self, kp: KeyPerson, code: str) -> Ticket | None:
        async with self.db.session() as session, session.begin():
            row = await session.scalar(
                select(TicketRow).where(
                    TicketRow.code == code,
                    TicketRow.claimed_by == kp.id,
                    TicketRow.status == Status.CLAIMED,
                )
            )
            if row is None:
                return None
            await session.execute(
                update(KeyPersonRow).where(KeyPersonRow.id == kp.id).values(active_ticket_id=row.id)
            )
            return await self._ticket(session, row)

    async def answer(self, kp: KeyPerson, text: str) -> Ticket | None:
        """Relay the key person's message to the user of their active ticket."""
        now = self.clock.now()
        async with self.db.session() as session, session.begin():
            row = await self._active_for(session, kp)
            if row is None:
                return None
            self._add_message(session, row.id, "keyperson", text, now)
            if row.first_answer_at is None:
                row.first_answer_at = now
                if self.analytics:
                    waited = (now - row.created_at).total_seconds() / 60
                    await self.analytics.first_answer(
                        row.language, row.topic, waited, session=session
                    )
            ticket = await self._ticket(session, row, with_messages=False)
            enqueue(session, row.user_key, notices.relay_to_user(ticket, kp, text), now)
            return ticket

    async def suggest(self, kp: KeyPerson) -> Ticket | None:
        """Offer the key person's last answer on their active ticket as content."""
        async with self.db.session() as session, session.begin():
            row = await self._active_for(session, kp)
            if row is None:
                return None
            last = await session.scalar(
                select(TicketMessageRow.text)
                .where(TicketMessageRow.ticket_id == row.id, TicketMessageRow.author == "keyperson")
                .order_by(TicketMessageRow.id.desc())
                .limit(1)
            )
            if last is None or self.questions is None:
                return None
            await self.questions.suggested_answer(row.language, row.topic, last, session=session)
            return await self._ticket(session, row, with_messages=False)

    async def release(self, kp: KeyPerson) -> Ticket | None:
        async with self.db.session() as session, session.begin():
            row = await self._active_for(session, kp)
            if row is None:
                return None
            await self._requeue(session, row)
            return await self._ticket(session, row, with_messages=False)

    async def done(self, kp: KeyPerson) -> Ticket | None:
        now = self.clock.now()
        async with self.db.session() as session, session.begin():
            row = await self._active_for(session, kp)
            if row is None:
                return None
            row.status, row.closed_at = Status.CLOSED, now
            await self._next_active(session, kp)
            if self.analytics:
                await self.analytics.handoff_closed(row.language, row.topic, session=session)
            ticket = await self._ticket(session, row, with_messages=False)
            enqueue(session, row.user_key, notices.user_closed(ticket), now)
            log.info("ticket %s closed", ticket.label)
            return ticket

    # -- timers ---------------------------------------------------------------------------

    async def sweep(self) -> SweepResult:
        """Reminders, widening and late notices that are due; safe to run at any time,
        any number of times (each mark is set in the same transaction as its messages)."""
        now = self.clock.now()
        reminded = widened = late = 0
        async with self.db.session() as session, session.begin():
            rows = (
                await session.scalars(
                    select(TicketRow).where(TicketRow.status == Status.OPEN).order_by(TicketRow.id)
                )
            ).all()
            for row in rows:
                waited = now - row.queued_at
                if not row.widened and waited >= self.schedule.widen_after:
                    row.widened = row.reminded = True
                    await self._announce(session, await self._ticket(session, row), widened=True)
                    widened += 1
                elif not row.reminded and waited >= self.schedule.remind_after:
                    row.reminded = True
                    ticket = await self._ticket(session, row)
                    await self._announce(session, ticket, widened=False, note="reminder")
                    reminded += 1
                if not row.late_notice_sent and now > row.promised_by:
                    row.late_notice_sent = True
                    ticket = await self._ticket(session, row, with_messages=False)
                    enqueue(
                        session, row.user_key, notices.user_late(ticket, self.schedule, now), now
                    )
                    late += 1
        return SweepResult(reminded, widened, late)

    # -- privacy --------------------------------------------------------------------------

    async def purge(self, retention: dt.timedelta) -> PurgeResult:
        """Delete closed tickets, idle conversations and used or expired invites older
        than the retention period."""
        cutoff = self.clock.now() - retention
        async with self.db.session() as session, session.begin():
            old = select(TicketRow.id).where(
                TicketRow.status.in_([Status.CLOSED, Status.CANCELLED]),
                TicketRow.closed_at < cutoff,
            )
            ids = (await session.scalars(old)).all()
            if ids:
                await session.execute(
                    delete(TicketMessageRow).where(TicketMessageRow.ticket_id.in_(ids))
                )
                await session.execute(delete(TicketRow).where(TicketRow.id.in_(ids)))
            active_users = select(TicketRow.user_key).where(TicketRow.status.in_(ACTIVE))
            conversations = await session.execute(
                delete(ConversationRow).where(
                    ConversationRow.updated_at < cutoff,
                    ConversationRow.user_key.not_in(active_users),
                )
            )
            invites = await session.execute(delete(InviteRow).where(InviteRow.expires_at < cutoff))
        return PurgeResult(
            len(ids),
            conversations.rowcount,  # type: ignore[attr-defined]
            invites.rowcount,  # type: ignore[attr-defined]
        )

    async def forget(self, user_key: str) -> int:
        """Erase everything stored about a user; returns the number of tickets removed.
        A key person who held one of them is told it was withdrawn."""
        async with self.db.session() as session, session.begin():
            rows = (
                await session.scalars(select(TicketRow).where(TicketRow.user_key == user_key))
            ).all()
            for row in rows:
                if row.status == Status.CLAIMED:
                    await self._tell_claimant(session, row)
            ids = [r.id for r in rows]
            if ids:
                await session.execute(
                    delete(TicketMessageRow).where(TicketMessageRow.ticket_id.in_(ids))
                )
                await session.execute(delete(TicketRow).where(TicketRow.id.in_(ids)))
            await session.execute(delete(OutboxRow).where(OutboxRow.recipient == user_key))
            await session.execute(
                delete(SubscriptionRow).where(SubscriptionRow.user_key == user_key)
            )
            await session.execute(
                delete(ConversationRow).where(ConversationRow.user_key == user_key)
            )
            return len(ids)

    # -- internals ------------------------------------------------------------------------

    async def _announce(
        self, session: AsyncSession, ticket: Ticket, *, widened: bool, note: str = ""
    ) -> None:
        """Tell available key persons about a ticket: those who speak its language, or,
        once widened, everyone else too."""
        now = self.clock.now()
        rows = await session.scalars(select(KeyPersonRow).where(KeyPersonRow.available))
        for row in rows:
            kp = _key_person(row)
            speaks = ticket.language in kp.languages
            if widened and not speaks:
                reply: Reply = notices.announcement(kp, ticket, self.titles, note="widened")
            elif speaks:
                reply = notices.announcement(kp, ticket, self.titles, note=note)
            else:
                continue
            enqueue(session, kp.user_key, reply, now)

    async def _requeue(self, session: AsyncSession, row: TicketRow) -> None:
        holder = row.claimed_by
        row.status, row.claimed_by, row.claimed_at = Status.OPEN, None, None
        row.queued_at, row.reminded, row.widened = self.clock.now(), False, False
        if holder is not None:
            kp_row = await session.get(KeyPersonRow, holder)
            if kp_row is not None:
                await self._next_active(session, _key_person(kp_row))
        await session.flush()
        await self._announce(session, await self._ticket(session, row), widened=False)

    async def _next_active(self, session: AsyncSession, kp: KeyPerson) -> None:
        """After release or done: the key person's other claimed ticket, if any, is active."""
        await session.flush()
        other = await session.scalar(
            select(TicketRow.id)
            .where(TicketRow.claimed_by == kp.id, TicketRow.status == Status.CLAIMED)
            .order_by(TicketRow.claimed_at.desc())
            .limit(1)
        )
        await session.execute(
            update(KeyPersonRow).where(KeyPersonRow.id == kp.id).values(active_ticket_id=other)
        )

    async def _tell_claimant(self, session: AsyncSession, row: TicketRow) -> None:
        if row.status != Status.CLAIMED or row.claimed_by is None:
            return
        kp_row = await session.get(KeyPersonRow, row.claimed_by)
        if kp_row is None:
            return
        kp = _key_person(kp_row)
        ticket = await self._ticket(session, row, with_messages=False)
        enqueue(session, kp.user_key, notices.keyperson_user_left(kp, ticket), self.clock.now())
        row.claimed_by = None
        await self._next_active(session, kp)

    async def _active_for(self, session: AsyncSession, kp: KeyPerson) -> TicketRow | None:
        current = await session.get(KeyPersonRow, kp.id)
        if current is None or current.active_ticket_id is None:
            return None
        row = await session.get(TicketRow, current.active_ticket_id)
        if row is None or row.status != Status.CLAIMED or row.claimed_by != kp.id:
            return None
        return row

    @staticmethod
    async def _active_row(session: AsyncSession, user_key: str) -> TicketRow | None:
        return await session.scalar(
            select(TicketRow).where(TicketRow.user_key == user_key, TicketRow.status.in_(ACTIVE))
        )

    @staticmethod
    def _add_message(
        session: AsyncSession, ticket_id: int, author: str, text: str, now: dt.datetime
    ) -> None:
        session.add(
            TicketMessageRow(
                ticket_id=ticket_id, author=author, text=text[:MESSAGE_MAX], created_at=now
            )
        )

    @staticmethod
    async def _ticket(
        session: AsyncSession,
        row: TicketRow,
        *,
        with_messages: bool = True,
        messages: tuple[TicketMessage, ...] = (),
    ) -> Ticket:
        """The ticket as the core sees it; its messages are read unless given or not wanted."""
        if with_messages and not messages:
            found = await session.scalars(
                select(TicketMessageRow)
                .where(TicketMessageRow.ticket_id == row.id)
                .order_by(TicketMessageRow.id)
            )
            messages = tuple(TicketMessage(m.author, m.text, m.created_at) for m in found)
        return Ticket(
            id=row.id,
            code=row.code,
            user_key=row.user_key,
            language=row.language,
            status=Status(row.status),
            reason=Reason(row.reason),
            topic=row.topic,
            answered=tuple(a for a in row.answered.split(",") if a),
            stay=row.stay,
            municipality=row.municipality,
            claimed_by=row.claimed_by,
            created_at=row.created_at,
            queued_at=row.queued_at,
            promised_by=row.promised_by,
            widened=row.widened,
            messages=messages,
        )


def _key_person(row: KeyPersonRow) -> KeyPerson:
    return KeyPerson(
        id=row.id,
        user_key=row.user_key,
        name=row.name,
        languages=tuple(row.languages.split(",")),
        ui_language=row.ui_language,
        available=row.available,
        active_ticket_id=row.active_ticket_id,
    )
