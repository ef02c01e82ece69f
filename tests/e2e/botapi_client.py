"""The user's side of the Bot API emulator (tests/e2e/botapi/server.js): send, press, read.

The emulator stores what the bot sends per chat; `Chat.replies()` collects it. Record shapes
follow telegram-test-api's `src/modules/telegramClient` (see docs in /work/shared/notes).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx

_ids = itertools.count(10_000)


@dataclass(frozen=True)
class Sent:
    """One message the bot sent, as the emulator recorded it."""

    message_id: int
    text: str
    parse_mode: str | None
    buttons: list[list[dict[str, Any]]]
    at: float  # time.monotonic() when the test saw it

    @property
    def labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]

    def button(self, label: str) -> dict[str, Any]:
        for row in self.buttons:
            for b in row:
                if b["text"] == label:
                    return b
        raise AssertionError(f"no button {label!r} in {self.labels}")

    @property
    def plain(self) -> str:
        """The text as the user sees it (HTML parse mode undone)."""
        return html_to_plain(self.text, tags=self.parse_mode == "HTML")


def html_to_plain(text: str, tags: bool = True) -> str:
    """Telegram HTML as the user reads it: tags gone, entities shown as characters."""
    text = re.sub(r"<[^>]+>", "", text) if tags else text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class Chat:
    """One private chat between a test user and the bot under test."""

    def __init__(
        self, http: httpx.AsyncClient, token: str, language_code: str | None = None
    ) -> None:
        self.http = http
        self.token = token
        self.user_id = next(_ids)
        self.user = {
            "id": self.user_id,
            "is_bot": False,
            "first_name": "Test",
            **({"language_code": language_code} if language_code else {}),
        }
        self.chat = {"id": self.user_id, "type": "private", "first_name": "Test"}
        self.seen: list[Sent] = []

    def message(self, **fields: Any) -> dict[str, Any]:
        return {"from": self.user, "chat": self.chat, "date": int(time.time()), **fields}

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = await self.http.post(path, json=body)
        response.raise_for_status()
        return response.json()

    async def say(self, text: str) -> None:
        await self.send(text=text)

    async def send(self, **fields: Any) -> None:
        """A message of any kind: text=..., sticker=..., photo=[...], location=..."""
        await self._post("/sendMessage", {"botToken": self.token, **self.message(**fields)})

    async def command(self, text: str) -> None:
        name = text.split()[0]
        entities = [{"type": "bot_command", "offset": 0, "length": len(name)}]
        await self.send(text=text, entities=entities)

    async def update(self, **update: Any) -> int:
        """A raw update (e.g. edited_message=...); returns its update_id."""
        body = await self._post("/sendUpdate", {"token": self.token, "update": update})
        return int(body["result"]["update_id"])

    async def redeliver(self, update_id: int) -> None:
        body = await self._post("/redeliver", {"token": self.token, "updateId": update_id})
        assert body["ok"], f"update {update_id} is not in the emulator"

    async def delivered(self, update_id: int) -> bool:
        """Whether the bot has fetched the update (again, after a redelivery)."""
        body = await self._post("/getUpdatesHistory", {"token": self.token})
        return any(
            item.get("updateId") == update_id and item.get("isRead") and "raw" in item
            for item in body["result"]
        )

    async def fault(
        self, status: int = 0, description: str = "", retry_after: int = 0, *, drop: bool = False
    ) -> None:
        """The bot's next message to this chat fails on the emulator: an error answer
        (400, 403, 429 with retry_after, 5xx), or `drop`: stored, then the connection is
        cut before the answer (sent, no answer)."""
        fault: Any = "drop" if drop else {"status": status, "description": description}
        if retry_after:
            fault["retryAfter"] = retry_after
        await self._post("/fault", {"token": self.token, "chatId": self.user_id, "fault": fault})

    async def press(self, sent: Sent, label: str) -> None:
        await self.press_data(sent, sent.button(label)["callback_data"])

    async def press_data(self, sent: Sent, data: str) -> None:
        message = {"message_id": sent.message_id, "date": int(time.time()), "chat": self.chat}
        await self._post(
            "/sendCallback",
            {"botToken": self.token, "from": self.user, "message": message, "data": data},
        )

    async def _fetch(self) -> list[Sent]:
        body = await self._post("/getUpdates", {"token": self.token, "chatId": self.user_id})
        now = time.monotonic()
        found = []
        for record in body["result"]:
            m = record["message"]
            markup = m.get("reply_markup") or {}
            if isinstance(markup, str):
                markup = json.loads(markup)
            found.append(
                Sent(
                    int(record["messageId"]),
                    str(m.get("text", "")),
                    m.get("parse_mode"),
                    markup.get("inline_keyboard", []),
                    now,
                )
            )
        self.seen.extend(found)
        return found

    async def replies(self, count: int, within: float = 10.0) -> list[Sent]:
        """Exactly the next `count` messages from the bot (fails after `within` seconds)."""
        got: list[Sent] = []
        deadline = time.monotonic() + within
        while len(got) < count:
            if time.monotonic() > deadline:
                texts = [s.plain[:80] for s in got]
                raise AssertionError(f"expected {count} replies, got {len(got)}: {texts}")
            got.extend(await self._fetch())
            if len(got) < count:
                await asyncio.sleep(0.03)
        assert len(got) == count, f"expected {count} replies, got {[s.plain[:80] for s in got]}"
        return got

    async def reply(self, within: float = 10.0) -> Sent:
        [sent] = await self.replies(1, within)
        return sent

    async def silence(self, seconds: float) -> list[Sent]:
        """Whatever arrives within `seconds` (expected: nothing)."""
        await asyncio.sleep(seconds)
        return await self._fetch()
