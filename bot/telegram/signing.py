"""Callback data signed at the Telegram edge, within the Bot API's 64-byte limit.

The core's button data is public (a topic, an answer, a language), but a modified client can
send any callback data. Each button therefore carries an HMAC over the chat it was sent to and
its data: forged data, data copied from another chat, or buttons from before a key change are
rejected, and the core answers them with its "this button has expired" message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

MAX_BYTES = 64  # Telegram's limit for callback_data
SEPARATOR = "~"
TAG_BYTES = 9  # 72 bits: 12 characters in base64url, no padding
TAG_CHARS = 12
MAX_PAYLOAD = MAX_BYTES - len(SEPARATOR) - TAG_CHARS


class CallbackTooLong(ValueError):
    """The core produced button data that cannot be signed within 64 bytes."""


class CallbackSigner:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the callback secret must not be empty")
        self._key = secret.encode()

    def _tag(self, chat_id: int, payload: str) -> str:
        message = f"{chat_id}\x00{payload}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()[:TAG_BYTES]
        return base64.urlsafe_b64encode(digest).decode()

    def sign(self, chat_id: int, payload: str) -> str:
        if len(payload.encode()) > MAX_PAYLOAD:
            raise CallbackTooLong(f"button data of {len(payload.encode())} bytes: {payload!r}")
        return f"{payload}{SEPARATOR}{self._tag(chat_id, payload)}"

    def verify(self, chat_id: int, data: str) -> str | None:
        """The payload when `data` was signed by this bot for this chat, else None."""
        payload, separator, tag = data.rpartition(SEPARATOR)
        if not separator or len(tag) != TAG_CHARS:
            return None
        if not hmac.compare_digest(tag.encode(), self._tag(chat_id, payload).encode()):
            return None
        return payload
