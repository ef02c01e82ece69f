"""Who the key persons are: invites, registration, lookup, availability, removal."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from bot.core.handoff.history import Titles
from bot.core.handoff.model import KeyPerson
from bot.handoff import steps
from bot.handoff.repository import key_person
from bot.handoff.unit_of_work import UnitsOfWork
from bot.storage.tables import InviteRow, KeyPersonRow

# Asked for every incoming message, and almost everyone is not a key person: the list of
# key persons is remembered this long (changes made by `mip keyperson` in another process
# are seen within it).
KEY_PERSONS_FRESH = dt.timedelta(seconds=5)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class KeyPersons:
    def __init__(self, uow: UnitsOfWork, titles: Titles) -> None:
        self.uow = uow
        self.titles = titles
        self.clock = uow.clock
        self._keys: frozenset[str] | None = None
        self._keys_read: dt.datetime | None = None

    async def create_invite(
        self, languages: Sequence[str], name: str = "", valid_for: dt.timedelta | None = None
    ) -> str:
        """A one-time token for `t.me/<bot>?start=<token>`; only its hash is stored."""
        token = secrets.token_urlsafe(18)
        expires = self.clock.now() + (valid_for or dt.timedelta(days=7))
        async with self.uow() as work:
            await work.key_persons.add_invite(
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
        async with self.uow() as work:
            invite = await work.key_persons.use_invite(token_hash(token), self.clock.now())
            if invite is None:
                return None
            languages = invite.languages.split(",")
            row = await work.key_persons.by_user_key(user_key)
            if row is None:
                row = KeyPersonRow(
                    user_key=user_key,
                    name=invite.name,
                    languages=invite.languages,
                    ui_language=ui_language if ui_language in languages else languages[0],
                    available=True,
                    created_at=self.clock.now(),
                )
                work.key_persons.add(row)
            else:  # an existing key person learns more languages
                known = row.languages.split(",")
                row.languages = ",".join(dict.fromkeys([*known, *languages]))
                row.name = invite.name or row.name
            await work.session.flush()
            self._keys = None
            return key_person(row)

    async def key_person(self, user_key: str) -> KeyPerson | None:
        now = self.clock.now()
        if (
            self._keys is None
            or self._keys_read is None
            or now - self._keys_read > KEY_PERSONS_FRESH
        ):
            async with self.uow(read_only=True) as work:
                self._keys = await work.key_persons.user_keys()
            self._keys_read = now
        if user_key not in self._keys:
            return None
        async with self.uow(read_only=True) as work:
            row = await work.key_persons.by_user_key(user_key)
            return key_person(row) if row else None

    async def all(self) -> list[KeyPerson]:
        async with self.uow(read_only=True) as work:
            return [key_person(r) for r in await work.key_persons.all()]

    async def remove(self, kp_id: int) -> bool:
        """Remove a key person; tickets they held go back to the queue."""
        async with self.uow() as work:
            row = await work.key_persons.get(kp_id)
            if row is None:
                return False
            for ticket in await work.tickets.held_by(kp_id):
                await steps.requeue(work, ticket, self.titles)
            await work.key_persons.remove(row)
            self._keys = None
            return True

    async def set_available(self, kp: KeyPerson, available: bool) -> None:
        async with self.uow() as work:
            await work.key_persons.update(kp.id, available=available)

    async def set_ui_language(self, kp: KeyPerson, language: str) -> None:
        async with self.uow() as work:
            await work.key_persons.update(kp.id, ui_language=language)
