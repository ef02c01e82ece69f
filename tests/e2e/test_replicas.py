"""Two `mip run` processes in webhook mode on one PostgreSQL database, as behind a load balancer.

Each update goes to one replica, or to both at once (a redelivery that lands elsewhere while
the first is still in hand), and a user's next update follows only when the previous one was
answered, as Telegram sends them. Checked: every update is answered exactly once, each
user's conversation is exactly what one process alone gives (so every update saw the state
the previous one left, on whichever replica, and replies came in order), and messages
relayed through the outbox reach the key person once each, in order.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import Opening, Reason
from bot.engine.process import free_port
from bot.evaluation.heldout import load_examples
from bot.handoff import build_handoff
from bot.language.codes import SUPPORTED, native_name
from bot.storage.db import Database
from bot.storage.tables import OutboxRow, ProcessedUpdateRow
from tests.conftest import CONTENT, INTENTS, ROOT
from tests.e2e.botapi_client import Chat, Sent
from tests.integration.conftest import POSTGRES_URL

pytestmark = pytest.mark.e2e
SECRET = "replicas_test-Secret"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
USERS = 40  # each sends 8 updates: within the throttle's 8 in 10 s even on one replica
DUPLICATED = 0.2  # share of updates posted to both replicas at once
RELAY_USERS = 10
RELAYS = 4
_update_ids = itertools.count(1_000_000)


@dataclass
class Replica:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[str]:
    """A database of its own (advisory locks are per database), dropped afterwards."""
    name = f"mip_replicas_{uuid.uuid4().hex[:8]}"
    admin = Database(POSTGRES_URL)
    try:
        await admin_sql(admin, f'CREATE DATABASE "{name}"')
    except OSError as e:
        await admin.dispose()
        pytest.skip(f"no PostgreSQL reachable at {POSTGRES_URL}: {e}")
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin_sql(admin, f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.dispose()


async def admin_sql(admin: Database, statement: str) -> None:
    async with admin.engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text(statement))


@pytest.fixture(scope="module")
async def replicas(
    database: str, botapi_url: str, engine_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[str, list[Replica]]]:
    """Two `mip run` processes started at once (both migrate the empty database)."""
    logs = tmp_path_factory.mktemp("replicas")
    token = f"{os.getpid()}:replicas"
    started = [
        start_replica(database, botapi_url, engine_url, token, logs / f"replica{i}.log")
        for i in (1, 2)
    ]
    try:
        await asyncio.gather(*(ready(r) for r in started))
        yield token, started
    finally:
        for replica in started:
            replica.process.send_signal(signal.SIGTERM)
        for replica in started:
            code = replica.process.wait(timeout=30)
            assert code in (0, 143), f"replica exited {code}:\n{tail(replica)}"
            assert "Traceback" not in replica.log.read_text(), tail(replica)


def start_replica(database: str, botapi: str, engine: str, token: str, log: Path) -> Replica:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MIP_DATABASE_URL": database,
        "MIP_ENGINE_URL": engine,
        "MIP_ENGINE_TIMEOUT": "20",  # a loaded test machine must not turn answers into menus
        "MIP_INTENTS_DIR": str(INTENTS),
        "MIP_CONTENT_DIR": str(CONTENT),
        "MIP_TELEGRAM_TOKEN": token,
        "MIP_TELEGRAM_BASE_URL": botapi,
        "MIP_WEBHOOK_URL": url,
        "MIP_WEBHOOK_SECRET": SECRET,
        "MIP_WEBHOOK_LISTEN": "127.0.0.1",
        "MIP_WEBHOOK_PORT": str(port),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT, stdout=out, stderr=out
        )
    return Replica(url, process, log)


async def ready(replica: Replica, within: float = 180.0) -> None:
    """Up when the webhook answers (a GET is refused: it takes only POST)."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            assert replica.process.poll() is None, f"replica stopped:\n{tail(replica)}"
            try:
                if (await http.get(replica.url)).status_code == 405:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
    raise AssertionError(f"replica not up within {within} s:\n{tail(replica)}")


def tail(replica: Replica) -> str:
    return "\n".join(replica.log.read_text(errors="replace").splitlines()[-40:])


class User:
    """One chat whose updates the test posts to the replicas itself, as Telegram would."""

    def __init__(
        self, http: httpx.AsyncClient, token: str, replicas: list[Replica], seed: int
    ) -> None:
        # A redelivery goes to the other replica; each replica then sees at most one event
        # per update (the throttle allows 8 in 10 s per user and process).
        self.chat = Chat(http, token)
        self.http = http
        self.replicas = replicas
        self.random = random.Random(seed)
        self.update_ids: list[int] = []
        self.duplicated = 0
        self.unanswered: list[asyncio.Task[None]] = []  # first attempts of redelivered ones

    @property
    def key(self) -> str:
        return f"tg:{self.chat.user_id}"

    @property
    def posted(self) -> int:
        return len(self.update_ids)

    async def post(self, update: dict[str, Any]) -> None:
        """To one replica, and returns when it answered (HTTP 200). Or, as Telegram does
        when it gave up waiting for an answer: to one replica, soon after again to the other
        while the first still has it, and returns when the second answered."""
        update = {"update_id": next(_update_ids), **update}
        self.update_ids.append(update["update_id"])
        first = self.random.choice(self.replicas)
        others = [r for r in self.replicas if r is not first]
        if not others or self.random.random() >= DUPLICATED:
            await self._send(first, update, 0.0)
            return
        self.duplicated += 1
        self.unanswered.append(asyncio.create_task(self._send(first, update, 0.0)))
        await self._send(others[0], update, self.random.uniform(0.0, 0.02))

    async def _send(self, replica: Replica, update: dict[str, Any], after: float) -> None:
        await asyncio.sleep(after)
        response = await self.http.post(replica.url, json=update, headers=HEADERS, timeout=60)
        assert response.status_code == 200

    async def say(self, words: str) -> None:
        entities = [{"type": "bot_command", "offset": 0, "length": len(words.split()[0])}]
        command = {"entities": entities} if words.startswith("/") else {}
        message = self.chat.message(message_id=self.posted + 1, text=words, **command)
        await self.post({"message": message})

    async def press(self, label: str) -> None:
        sent = await self.last()
        data = sent.button(label)["callback_data"]
        message = {"message_id": sent.message_id, "date": int(time.time()), "chat": self.chat.chat}
        query = {"id": str(uuid.uuid4()), "from": self.chat.user, "message": message}
        await self.post({"callback_query": {**query, "chat_instance": "e2e", "data": data}})

    async def last(self) -> Sent:
        await self.chat.silence(0)  # collects what arrived
        assert self.chat.seen, "the update was acknowledged before it was answered"
        return self.chat.seen[-1]

    async def conversation(self, first: str, then: str, texts: dict[str, str]) -> None:
        """Eight updates whose answers each depend on the state the previous ones left."""
        await self.say("/menu")  # no language yet: the language picker
        await self.press(native_name(first))
        await self.say(texts[first])
        await self.say("/help")
        await self.say("/language")
        await self.press(native_name(then))
        await self.say(texts[then])
        await self.say("/start")

    async def transcript(self) -> list[tuple[str, list[str]]]:
        await asyncio.gather(*self.unanswered)
        await self.chat.silence(0)
        return [(s.plain, s.labels) for s in self.chat.seen]


def held_out_questions() -> dict[str, str]:
    """One longer held-out question per language (answered by the engine)."""
    examples = load_examples(INTENTS / "tests")
    return {
        lang: next(e.text for e in examples if e.language == lang and len(e.text.split()) >= 6)
        for lang in SUPPORTED
    }


async def handled(database: str, users: list[User]) -> int:
    """How many of the users' updates the database records as handled."""
    ids = [i for u in users for i in u.update_ids]
    db = Database(database)
    try:
        async with db.engine.connect() as connection:
            query = select(func.count()).where(ProcessedUpdateRow.update_id.in_(ids))
            return int(await connection.scalar(query) or 0)
    finally:
        await db.dispose()


async def test_two_replicas_answer_every_update_once_in_order_with_shared_state(
    replicas: tuple[str, list[Replica]], database: str, botapi_url: str
) -> None:
    token, running = replicas
    texts = held_out_questions()
    pairs = [(SUPPORTED[i % 4], SUPPORTED[(i + 1) % 4]) for i in range(4)]
    async with httpx.AsyncClient(base_url=botapi_url) as http:
        # What one process alone answers: per pair of languages, a user of one replica only.
        reference = {}
        for first, then in pairs:
            alone = User(http, token, running[:1], seed=0)
            await alone.conversation(first, then, texts)
            reference[first, then] = await alone.transcript()
            assert len(reference[first, then]) >= 10, reference[first, then]
        users = [User(http, token, running, seed=i) for i in range(USERS)]
        await asyncio.gather(*(u.conversation(*pairs[i % 4], texts) for i, u in enumerate(users)))
        for i, user in enumerate(users):
            assert await user.transcript() == reference[pairs[i % 4]], f"user {i}"
    assert sum(u.posted for u in users) == USERS * 8
    assert sum(u.duplicated for u in users) > USERS  # about a fifth, posted to both at once
    assert await handled(database, users) == USERS * 8


async def test_relays_through_the_outbox_reach_key_persons_once_each_in_order(
    replicas: tuple[str, list[Replica]], database: str, botapi_url: str
) -> None:
    token, running = replicas
    db = Database(database)
    queue = build_handoff(db, Schedule.load(CONTENT / "handoff.yml"), lambda _lang, i: i)
    pairs: list[tuple[Chat, User, str]] = []
    try:
        async with httpx.AsyncClient(base_url=botapi_url) as http:
            for i in range(RELAY_USERS):
                desk, user = Chat(http, token, "pl"), User(http, token, running, seed=100 + i)
                invite = await queue.key_persons.create_invite(["pl"], f"Ala {i}")
                kp = await queue.key_persons.redeem_invite(invite, f"tg:{desk.user_id}", "pl")
                assert kp is not None
                opening = Opening(user.key, "pl", Reason.ASKED, questions=("mam pytanie",))
                ticket, _ = await queue.tickets.open_ticket(opening)
                await queue.claims.claim(kp, ticket.code)
                # Away: the next tickets are announced to their own key person only.
                await queue.key_persons.set_available(kp, False)
                pairs.append((desk, user, ticket.label))

            async def relay(i: int, user: User) -> None:
                for k in range(RELAYS):
                    await user.say(f"relay {i}.{k}")

            await asyncio.gather(*(relay(i, u) for i, (_, u, _) in enumerate(pairs)))
            await outbox_sent(db, within=90)
            for i, (desk, user, label) in enumerate(pairs):
                received = [s.plain for s in await desk.silence(0)]
                assert len(received) == 1 + RELAYS, received  # the announcement, the relays
                # Relays go before announcements (fair delivery), so the announcement of the
                # ticket, still waiting when the first relay came, may arrive after them.
                relays = [r for r in received if r.startswith("💬")]
                [announcement] = [r for r in received if not r.startswith("💬")]
                assert label in announcement
                assert relays == [f"💬 {label}\nrelay {i}.{k}" for k in range(RELAYS)]
                [(taken, _)] = await user.transcript()  # relayed messages get no echo
                assert label in taken
    finally:
        await db.dispose()
    assert await handled(database, [u for _, u, _ in pairs]) == RELAY_USERS * RELAYS


async def outbox_sent(db: Database, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        async with db.engine.connect() as connection:
            if not await connection.scalar(select(func.count()).select_from(OutboxRow)):
                return
        await asyncio.sleep(0.5)
    raise AssertionError(f"the outbox was not delivered within {within} s")
