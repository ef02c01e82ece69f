"""What an outbox row holds: the Reply as JSON, its kind and priority, and whom to tell if
it is refused. `enqueue` adds one inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.events import Button, Reply
from bot.core.outgoing import PRIORITY, Failure, Kind
from bot.storage.tables import OutboxRow


def encode(reply: Reply) -> str:
    return json.dumps(
        {
            "text": reply.text,
            "markdown": reply.markdown,
            "language": reply.language,
            "buttons": [[[b.label, b.data] for b in row] for row in reply.buttons],
        },
        ensure_ascii=False,
    )


def decode(payload: str) -> Reply:
    data: dict[str, Any] = json.loads(payload)
    return Reply(
        text=data["text"],
        markdown=bool(data.get("markdown")),
        language=data.get("language"),
        buttons=tuple(
            tuple(Button(label, value) for label, value in row) for row in data.get("buttons", [])
        ),
    )


def encode_failure(failure: Failure | None) -> str | None:
    if failure is None:
        return None
    return json.dumps(
        {"recipient": failure.recipient, "reply": encode(failure.reply)}, ensure_ascii=False
    )


def decode_failure(data: str | None) -> Failure | None:
    if not data:
        return None
    raw = json.loads(data)
    return Failure(raw["recipient"], decode(raw["reply"]))


def enqueue(
    session: AsyncSession,
    recipient: str,
    reply: Reply,
    not_before: dt.datetime,
    *,
    kind: Kind = Kind.NOTICE,
    ticket: str | None = None,
    summary: str | None = None,
    on_failure: Failure | None = None,
    about: str | None = None,
) -> None:
    """Add a message to the outbox inside the caller's transaction; `about` is the user it
    quotes or announces, whose /forget deletes it while it waits."""
    session.add(
        OutboxRow(
            recipient=recipient,
            about=about,
            payload=encode(reply),
            not_before=not_before,
            kind=kind.value,
            priority=PRIORITY[kind],
            ticket_code=ticket,
            summary=summary,
            on_failure=encode_failure(on_failure),
        )
    )
