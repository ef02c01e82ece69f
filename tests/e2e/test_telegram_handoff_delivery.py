"""Delivery on Telegram (the Bot API emulator, tests/e2e/botapi/server.js). Fair: a relay is
not held up by a burst of announcements, which come as digests. No silent loss: relays and
notices Telegram refuses become dead letters with the sender told in their language; what
did not arrive is retried; what may have arrived is recorded and not sent twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import time
from pathlib import Path
from subprocess import PIPE

import pytest
from sqlalchemy import select, update

from bot.core.clock import SystemClock
from bot.core.handoff import notices
from bot.core.handoff.model import KeyPerson, Opening, Reason, Ticket
from bot.language.i18n import Texts
from bot.storage.tables import DeadLetterRow, TicketMessageRow, TicketRow
from tests.conftest import ROOT
from tests.e2e.botapi_client import Chat, Sent
from tests.e2e.conftest import RunningBot
from tests.e2e.test_telegram_handoff import invited_key_person, unanswerable_question

pytestmark = pytest.mark.e2e


async def claimed(bot: RunningBot) -> tuple[Chat, Chat, str]:
    """A Dutch user's ticket, claimed by Anna: (user, anna, code)."""
    anna = await invited_key_person(bot, ["nl"], "Anna")
    user = bot.chat("nl")
    code, _ = await unanswerable_question(bot, user)
    announcement = await anna.reply()
    await anna.press(announcement, Texts("nl").gettext("✋ Claim {code}").format(code=code))
    await anna.reply()
    await user.reply()  # "a key person has taken your question"
    return user, anna, code


async def dead_letters(bot: RunningBot) -> list[DeadLetterRow]:
    async with bot.db.session() as session:
        return list((await session.scalars(select(DeadLetterRow))).all())


async def views(bot: RunningBot, user: Chat, anna: Chat) -> tuple[Ticket, KeyPerson]:
    ticket = await bot.queue.tickets.active_ticket(f"tg:{user.user_id}")
    kp = await bot.queue.key_persons.key_person(f"tg:{anna.user_id}")
    assert ticket is not None and kp is not None
    return ticket, kp


async def test_a_relay_to_a_user_who_blocked_the_bot_is_kept_and_the_key_person_told(
    bot: RunningBot,
) -> None:
    user, anna, code = await claimed(bot)
    await user.fault(403, "Forbidden: bot was blocked by the user")
    await anna.say("Hallo, ik heb een adres voor je.")
    told = await anna.reply()
    ticket, kp = await views(bot, user, anna)
    assert told.plain == notices.undelivered_to_user(kp, ticket).text
    assert await user.silence(0.3) == []
    [letter] = await dead_letters(bot)
    assert (letter.outcome, f"#{letter.ticket_code}", letter.kind) == ("refused", code, "relay")
    assert "adres" in letter.payload and "blocked" in letter.error


async def test_a_relay_to_a_key_person_whose_chat_is_gone_tells_the_user_in_dutch(
    bot: RunningBot,
) -> None:
    user, anna, code = await claimed(bot)
    await anna.fault(400, "Bad Request: chat not found")
    await user.say("Bij Kas & Co")
    told = await user.reply()
    ticket, _ = await views(bot, user, anna)
    assert told.plain == notices.undelivered_to_keyperson(ticket).text
    assert Texts("nl").gettext("✖️ Cancel my question") in told.labels
    [letter] = await dead_letters(bot)
    assert letter.outcome == "refused" and f"#{letter.ticket_code}" == code


async def test_rate_limits_and_server_errors_are_retried_until_delivered(bot: RunningBot) -> None:
    user, anna, _ = await claimed(bot)
    await user.fault(429, "Too Many Requests: retry after 1", retry_after=1)
    await user.fault(502, "Bad Gateway")
    await anna.say("eerste antwoord")
    first = await user.reply(within=15)
    assert "eerste antwoord" in first.plain
    assert await dead_letters(bot) == []


async def test_a_relay_that_may_have_arrived_is_recorded_and_not_sent_twice(
    bot: RunningBot,
) -> None:
    user, anna, code = await claimed(bot)
    await user.fault(drop=True)
    await anna.say("misschien aangekomen")
    [once] = await user.replies(1)
    assert "misschien aangekomen" in once.plain
    await asyncio.sleep(1.5)
    assert await user.silence(0.5) == []  # never twice
    assert await anna.silence(0.1) == []  # and the sender is not alarmed
    [letter] = await dead_letters(bot)
    assert letter.outcome == "uncertain" and f"#{letter.ticket_code}" == code


async def test_a_relay_overtakes_a_burst_of_announcements_which_come_as_digests(
    bot: RunningBot,
) -> None:
    user, anna, code = await claimed(bot)
    for i in range(40):
        opening = Opening(f"tg:burst-{i}", "nl", Reason.ASKED, (f"vraag {i}",))
        await bot.queue.tickets.open_ticket(opening)
    await user.say("Bij Kas & Co")
    started = time.monotonic()
    seen: list[Sent] = []
    while not any("Kas & Co" in s.plain for s in seen):
        seen += await anna.replies(1, within=5)
    assert time.monotonic() - started < 3.0  # not behind 40 announcements
    seen += await anna.silence(3.0)
    announced = [s for s in seen if "Kas & Co" not in s.plain]
    assert 1 <= len(announced) <= 4  # digests, not 40 messages
    listed = "\n".join(s.plain for s in announced)
    assert all(
        f"#{t.code}" in listed for t in await bot.queue.claims.queue_for(await _kp(bot, anna))
    )
    del code


async def _kp(bot: RunningBot, chat: Chat) -> KeyPerson:
    kp = await bot.queue.key_persons.key_person(f"tg:{chat.user_id}")
    assert kp is not None
    return kp


async def test_ten_quick_answer_parts_of_a_key_person_all_reach_the_user(bot: RunningBot) -> None:
    user, anna, _ = await claimed(bot)
    for part in range(10):
        await anna.say(f"deel {part} van het antwoord")
    relayed = await user.replies(10, within=20)  # one a second per chat
    assert [s.plain.rsplit("\n", 1)[-1] for s in relayed] == [
        f"deel {part} van het antwoord" for part in range(10)
    ]
    assert await anna.silence(0.2) == []  # nothing refused at this pace


async def test_a_stale_ticket_is_closed_with_a_notice_to_both_sides(bot: RunningBot) -> None:
    user, anna, code = await claimed(bot)
    long_ago = SystemClock().now() - dt.timedelta(days=15)
    async with bot.db.session() as session, session.begin():
        await session.execute(
            update(TicketRow)
            .where(TicketRow.code == code[1:])
            .values(
                created_at=long_ago,
                queued_at=long_ago,
                claimed_at=long_ago,
                last_message_at=long_ago,
            )
        )
        ticket_id = select(TicketRow.id).where(TicketRow.code == code[1:]).scalar_subquery()
        await session.execute(
            update(TicketMessageRow)
            .where(TicketMessageRow.ticket_id == ticket_id)
            .values(created_at=long_ago)
        )
    assert (await bot.queue.timers.sweep()).stale_closed == 1
    to_user, to_anna = await user.reply(), await anna.reply()
    assert code in to_user.plain and "14" in to_user.plain
    assert Texts("nl").gettext("🙋 Talk to a person") in to_user.labels
    assert code in to_anna.plain
    assert await bot.queue.tickets.active_ticket(f"tg:{user.user_id}") is None


async def test_mip_keyperson_invite_asks_the_same_bot_api_and_its_link_works(
    bot: RunningBot, botapi_url: str, tmp_path: Path
) -> None:
    """`mip keyperson invite` as staff run it, beside the running bot, on the emulator."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MIP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "MIP_TELEGRAM_TOKEN": bot.token,
        "MIP_TELEGRAM_BASE_URL": botapi_url,
        "MIP_LOG_LEVEL": "WARNING",
    }
    env.pop("MIP_TELEGRAM_BOT_USERNAME", None)
    cli = "import sys; from bot.cli.main import main; sys.exit(main(sys.argv[1:]))"
    done = await asyncio.create_subprocess_exec(
        sys.executable, "-c", cli, "keyperson", "invite", "--languages", "nl",
        env=env, stdout=PIPE, stderr=PIPE,
    )  # fmt: skip
    out, err = await done.communicate()
    link = out.decode().splitlines()[0] if out else ""
    assert done.returncode == 0 and link.startswith("https://t.me/MipTestBot?start="), err
    newcomer = bot.chat("nl")
    await newcomer.command(f"/start {link.rsplit('=', 1)[1]}")
    assert "/queue" in (await newcomer.reply()).plain
