"""Dead letters: outbox messages that did not (or may not) arrive, kept instead of dropped.

    refused    Telegram refused it for good (400 too long / chat not found, 403 blocked)
    gave_up    it kept failing in ways worth retrying, until the outbox gave up
    uncertain  the request went out and no answer came: it may have arrived, so it is not
               sent again; recorded so that it is not lost silently either

For refused and given-up messages the sender, when there is one (a relay's author, the key
person behind a notice), is told in their language, through the outbox, that it could not
be delivered and what to do. Each is logged at WARNING with the ticket's code, never the text,
and counted in mip_outbox_dead_letters (bot/monitoring/metrics.py) unless it may have arrived.

A dead letter holds the message: /forget erases those to, from or about the user (the
privacy registry, bot/storage/privacy.py), the retention period the rest.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.outgoing import Kind
from bot.monitoring.metrics import DEAD_LETTERS as COUNTED
from bot.storage.outbox_rows import decode_failure, enqueue
from bot.storage.privacy import Part
from bot.storage.tables import DeadLetterRow, OutboxRow

log = logging.getLogger(__name__)

REFUSED, GAVE_UP, UNCERTAIN = "refused", "gave_up", "uncertain"


async def bury(
    session: AsyncSession, row: OutboxRow, outcome: str, error: str, clock: Clock
) -> DeadLetterRow:
    """Keep `row` as a dead letter and, unless it may have arrived, tell its sender. The
    caller deletes (or, for the rest of a long message, keeps) the outbox row."""
    failure = decode_failure(row.on_failure) if outcome != UNCERTAIN else None
    letter = DeadLetterRow(
        recipient=row.recipient,
        sender=failure.recipient if failure else None,
        about=row.about,
        kind=row.kind,
        ticket_code=row.ticket_code,
        payload=row.payload,
        outcome=outcome,
        error=error[:200],
        sender_told=failure is not None,
        created_at=clock.now(),
    )
    session.add(letter)
    if outcome != UNCERTAIN:
        COUNTED.inc()
    if failure is not None:
        # The notice itself has no failure notice: a refused notice ends as a dead letter. It
        # is about the user of the ticket (the failed message's recipient, unless that was a
        # key person reading the user's words), so that user's /forget takes it back too.
        enqueue(
            session, failure.recipient, failure.reply, clock.now(),
            kind=Kind.FAILURE, ticket=row.ticket_code, about=row.about or row.recipient,
        )  # fmt: skip
    await session.flush()
    log.warning(
        "outbox: %s of %s %s (%s): dead letter %d%s",
        row.kind,
        f"#{row.ticket_code}" if row.ticket_code else "no ticket",
        {REFUSED: "refused for good", GAVE_UP: "given up", UNCERTAIN: "may not have arrived"}[
            outcome
        ],
        error[:120],
        letter.id,
        ", sender told" if failure else "",
    )
    return letter


async def _forget(session: AsyncSession, user_key: str, _clock: Clock) -> int:
    done = await session.execute(
        delete(DeadLetterRow).where(
            or_(
                DeadLetterRow.recipient == user_key,
                DeadLetterRow.sender == user_key,
                DeadLetterRow.about == user_key,
            )
        )
    )
    return int(getattr(done, "rowcount", 0) or 0)


async def _purge(session: AsyncSession, cutoff: dt.datetime) -> int:
    done = await session.execute(delete(DeadLetterRow).where(DeadLetterRow.created_at < cutoff))
    return int(getattr(done, "rowcount", 0) or 0)


DEAD_LETTERS = Part("dead letters", forget=_forget, purge=_purge)
