"""The handoff's queries and the mapping from rows to the core's views (no transactions here:
a unit of work owns the session; see unit_of_work.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.handoff.model import (
    ACTIVE,
    KeyPerson,
    Reason,
    Status,
    Ticket,
    TicketMessage,
)
from bot.storage.tables import InviteRow, KeyPersonRow, TicketMessageRow, TicketRow

MESSAGE_MAX = 3500  # characters kept per relayed message (Telegram's limit is 4096)


class TicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, user_key: str) -> TicketRow | None:
        return await self.session.scalar(
            select(TicketRow).where(TicketRow.user_key == user_key, TicketRow.status.in_(ACTIVE))
        )

    async def get(self, ticket_id: int) -> TicketRow | None:
        return await self.session.get(TicketRow, ticket_id)

    async def by_code(self, code: str) -> TicketRow | None:
        return await self.session.scalar(select(TicketRow).where(TicketRow.code == code))

    async def add(self, row: TicketRow) -> TicketRow:
        self.session.add(row)
        await self.session.flush()  # the ticket's id, for its messages
        return row

    def add_message(self, ticket_id: int, author: str, text: str, now: dt.datetime) -> None:
        self.session.add(
            TicketMessageRow(
                ticket_id=ticket_id, author=author, text=text[:MESSAGE_MAX], created_at=now
            )
        )

    async def closed_awaiting_feedback(self, user_key: str, code: str) -> TicketRow | None:
        return await self.session.scalar(
            select(TicketRow).where(
                TicketRow.code == code,
                TicketRow.user_key == user_key,
                TicketRow.status == Status.CLOSED,
                TicketRow.helped.is_(None),
            )
        )

    async def waiting(self, languages: Sequence[str] | None = None) -> Sequence[TicketRow]:
        """Open tickets, oldest first; with `languages`, those in them or widened."""
        query = select(TicketRow).where(TicketRow.status == Status.OPEN)
        if languages is not None:
            query = query.where(or_(TicketRow.language.in_(languages), TicketRow.widened))
        rows = await self.session.scalars(query.order_by(TicketRow.queued_at, TicketRow.id))
        return rows.all()

    async def held_by(self, kp_id: int, code: str | None = None) -> Sequence[TicketRow]:
        query = select(TicketRow).where(
            TicketRow.claimed_by == kp_id, TicketRow.status == Status.CLAIMED
        )
        if code is not None:
            query = query.where(TicketRow.code == code)
        return (await self.session.scalars(query.order_by(TicketRow.claimed_at))).all()

    async def latest_held(self, kp_id: int) -> int | None:
        await self.session.flush()
        return await self.session.scalar(
            select(TicketRow.id)
            .where(TicketRow.claimed_by == kp_id, TicketRow.status == Status.CLAIMED)
            .order_by(TicketRow.claimed_at.desc())
            .limit(1)
        )

    async def claim_if_open(self, ticket_id: int, kp_id: int, now: dt.datetime) -> bool:
        """One conditional UPDATE: of several simultaneous claims exactly one changes the row."""
        won = await self.session.execute(
            update(TicketRow)
            .where(TicketRow.id == ticket_id, TicketRow.status == Status.OPEN)
            .values(status=Status.CLAIMED, claimed_by=kp_id, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(won.rowcount == 1)  # type: ignore[attr-defined]

    async def last_answer(self, ticket_id: int) -> str | None:
        return await self.session.scalar(
            select(TicketMessageRow.text)
            .where(TicketMessageRow.ticket_id == ticket_id, TicketMessageRow.author == "keyperson")
            .order_by(TicketMessageRow.id.desc())
            .limit(1)
        )

    async def of_user(self, user_key: str) -> Sequence[TicketRow]:
        return (
            await self.session.scalars(select(TicketRow).where(TicketRow.user_key == user_key))
        ).all()

    async def inactive_since(self, cutoff: dt.datetime) -> Sequence[TicketRow]:
        """Open or claimed tickets not opened, claimed or written in since `cutoff`."""
        written = exists().where(
            TicketMessageRow.ticket_id == TicketRow.id, TicketMessageRow.created_at >= cutoff
        )
        query = select(TicketRow).where(
            TicketRow.status.in_(ACTIVE),
            TicketRow.created_at < cutoff,
            or_(TicketRow.claimed_at.is_(None), TicketRow.claimed_at < cutoff),
            ~written,
        )
        return (await self.session.scalars(query.order_by(TicketRow.id))).all()

    async def ended_before(self, cutoff: dt.datetime) -> Sequence[int]:
        query = select(TicketRow.id).where(
            TicketRow.status.in_([Status.CLOSED, Status.CANCELLED]), TicketRow.closed_at < cutoff
        )
        return (await self.session.scalars(query)).all()

    async def delete(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(
                delete(TicketMessageRow).where(TicketMessageRow.ticket_id.in_(ids))
            )
            await self.session.execute(delete(TicketRow).where(TicketRow.id.in_(ids)))

    async def view(
        self,
        row: TicketRow,
        *,
        with_messages: bool = True,
        messages: tuple[TicketMessage, ...] = (),
    ) -> Ticket:
        """The ticket as the core sees it; its messages are read unless given or not wanted."""
        if with_messages and not messages:
            found = await self.session.scalars(
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


class KeyPersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def user_keys(self) -> frozenset[str]:
        return frozenset((await self.session.scalars(select(KeyPersonRow.user_key))).all())

    async def by_user_key(self, user_key: str) -> KeyPersonRow | None:
        return await self.session.scalar(
            select(KeyPersonRow).where(KeyPersonRow.user_key == user_key)
        )

    async def get(self, kp_id: int) -> KeyPersonRow | None:
        return await self.session.get(KeyPersonRow, kp_id)

    async def all(self) -> Sequence[KeyPersonRow]:
        return (await self.session.scalars(select(KeyPersonRow).order_by(KeyPersonRow.id))).all()

    async def available(self) -> Sequence[KeyPersonRow]:
        return (
            await self.session.scalars(select(KeyPersonRow).where(KeyPersonRow.available))
        ).all()

    def add(self, row: KeyPersonRow) -> None:
        self.session.add(row)

    async def remove(self, row: KeyPersonRow) -> None:
        await self.session.delete(row)

    async def update(self, kp_id: int, **values: object) -> None:
        await self.session.execute(
            update(KeyPersonRow).where(KeyPersonRow.id == kp_id).values(**values)
        )

    async def add_invite(self, row: InviteRow) -> None:
        self.session.add(row)

    async def use_invite(self, token_hash: str, now: dt.datetime) -> InviteRow | None:
        """Single use: the conditional update succeeds for exactly one redeemer."""
        used = await self.session.execute(
            update(InviteRow)
            .where(
                InviteRow.token_hash == token_hash,
                InviteRow.used_at.is_(None),
                InviteRow.expires_at > now,
            )
            .values(used_at=now)
        )
        if used.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return await self.session.get(InviteRow, token_hash)

    async def delete_invites_before(self, cutoff: dt.datetime) -> int:
        done = await self.session.execute(delete(InviteRow).where(InviteRow.expires_at < cutoff))
        return int(done.rowcount)  # type: ignore[attr-defined]


def key_person(row: KeyPersonRow) -> KeyPerson:
    return KeyPerson(
        id=row.id,
        user_key=row.user_key,
        name=row.name,
        languages=tuple(row.languages.split(",")),
        ui_language=row.ui_language,
        available=row.available,
        active_ticket_id=row.active_ticket_id,
    )
