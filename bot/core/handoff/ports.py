"""The handoff as the core needs it: interfaces only. The database implementation
(bot/handoff) is wired in by bot/app.py; tests may give fakes."""

from __future__ import annotations

from typing import Protocol

from bot.core.clock import Clock
from bot.core.handoff.cover import Speakers
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import ClaimOutcome, KeyPerson, Opening, Ticket


class MigrantTickets(Protocol):
    """The migrant's side: one open ticket per user."""

    @property
    def schedule(self) -> Schedule: ...

    @property
    def clock(self) -> Clock: ...

    async def active_ticket(
        self, user_key: str, *, with_messages: bool = True
    ) -> Ticket | None: ...

    async def speakers(self, language: str) -> Speakers:
        """Key persons who speak `language`: registered, and available now."""
        ...

    async def open_ticket(self, opening: Opening) -> tuple[Ticket, bool]: ...

    async def add_user_message(
        self, ticket: Ticket, text: str, *, correction: bool = False
    ) -> bool: ...

    async def cancel(self, user_key: str) -> Ticket | None: ...

    async def record_feedback(self, user_key: str, code: str, helped: bool) -> Ticket | None: ...


class KeyPersonRegistry(Protocol):
    async def key_person(self, user_key: str) -> KeyPerson | None: ...

    async def redeem_invite(
        self, token: str, user_key: str, ui_language: str
    ) -> KeyPerson | None: ...

    async def set_available(self, kp: KeyPerson, available: bool) -> None: ...

    async def set_ui_language(self, kp: KeyPerson, language: str) -> None: ...


class KeyPersonClaims(Protocol):
    """The key person's side of the tickets."""

    def titles(self, language: str, intent: str) -> str: ...

    async def queue_for(self, kp: KeyPerson) -> list[Ticket]: ...

    async def claim(self, kp: KeyPerson, code: str) -> tuple[ClaimOutcome, Ticket | None]: ...

    async def active_for(self, kp: KeyPerson) -> Ticket | None: ...

    async def switch(self, kp: KeyPerson, code: str) -> Ticket | None: ...

    async def answer(
        self, kp: KeyPerson, text: str, *, correction: bool = False
    ) -> Ticket | None: ...

    async def suggest(self, kp: KeyPerson) -> Ticket | None: ...

    async def release(self, kp: KeyPerson) -> Ticket | None: ...

    async def done(self, kp: KeyPerson) -> Ticket | None: ...


class Eraser(Protocol):
    async def forget(self, user_key: str) -> dict[str, int]:
        """Erase everything stored about the user; counts per kind of record."""
        ...


class HandoffPort(Protocol):
    @property
    def tickets(self) -> MigrantTickets: ...

    @property
    def key_persons(self) -> KeyPersonRegistry: ...

    @property
    def claims(self) -> KeyPersonClaims: ...

    @property
    def privacy(self) -> Eraser: ...
