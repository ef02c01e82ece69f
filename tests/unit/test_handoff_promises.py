"""Promise only what someone keeps: who can answer the language, and when (issue 15)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.core import callbacks
from bot.core.events import UserEvent
from bot.core.handoff import opening
from bot.core.handoff.cover import Cover, Speakers, promise_for
from bot.core.handoff.hours import Schedule
from bot.core.handoff.model import Reason
from bot.language.i18n import Texts
from tests.handoff_cases import SCHEDULE
from tests.unit.conftest import Desk
from tests.unit.test_conversation import data_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOBODY = "nobody in our team speaks your language"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM).astimezone(dt.UTC)


def test_the_promise_follows_who_speaks_the_language_and_the_duty_hours() -> None:
    schedule = Schedule.load(SCHEDULE)
    monday_10, friday_18 = local(2026, 11, 23, 10, 0), local(2026, 11, 27, 18, 0)
    on_duty = promise_for(schedule, monday_10, Speakers(2, 1))
    assert on_duty.cover is Cover.ON_DUTY and on_duty.due == local(2026, 11, 23, 14, 0)
    # Everyone who speaks it is away: not "within 4 hours" but the next duty period.
    away = promise_for(schedule, monday_10, Speakers(2, 0))
    assert away.cover is Cover.OFF_DUTY
    assert away.period == (local(2026, 11, 24, 9, 0), local(2026, 11, 24, 17, 0))
    assert away.due == local(2026, 11, 24, 17, 0)
    weekend = promise_for(schedule, friday_18, Speakers(1, 1))
    assert weekend.period == (local(2026, 11, 30, 9, 0), local(2026, 11, 30, 17, 0))
    nobody = promise_for(schedule, monday_10, Speakers(0, 0))
    assert nobody.cover is Cover.NOBODY and nobody.due is None


async def test_nobody_for_the_language_is_said_honestly_with_the_desk_and_no_ticket(
    desk: Desk,
) -> None:
    await desk.key_person("tg:kp-nl", ["nl"], name="Noor")
    await desk.core.handle(UserEvent.button("tg:1", callbacks.language("pl")))
    [honest] = await desk.core.handle(UserEvent.button("tg:1", callbacks.PERSON))
    said = opening.nobody_speaks(Texts("pl"), Reason.ASKED)
    assert NOBODY not in said and said in honest.text  # in Polish
    info_point = desk.core.content.get("pl", "info_point")
    assert info_point is not None and "Work in NL" in honest.text  # the desk's own answer
    assert honest.markdown and data_of(honest) == [callbacks.LEAVE, callbacks.MENU]
    assert "14:00" not in honest.text  # no time promised
    assert await desk.queue.tickets.active_ticket("tg:1") is None
    assert await desk.delivered() == {}


async def test_the_user_can_leave_the_question_without_a_time_promised(desk: Desk) -> None:
    await desk.key_person("tg:kp-nl", ["nl"], name="Noor")
    desk.engine.intent, desk.engine.confidence = "nlu_fallback", 0.1
    await desk.core.handle(UserEvent.message("tg:2", "czy moge zabrac psa do pracy w szklarni"))
    [honest] = await desk.core.handle(UserEvent.message("tg:2", "a jesli szef sie nie zgodzi?"))
    assert Texts("pl").gettext("Sorry, I did not understand.") in honest.text
    assert callbacks.LEAVE in data_of(honest)
    [kept] = await desk.core.handle(UserEvent.button("tg:2", callbacks.LEAVE))
    ticket = await desk.queue.tickets.active_ticket("tg:2")
    assert ticket is not None and ticket.label in kept.text
    assert ticket.promised_by is None and ticket.widened
    assert [m.text for m in ticket.messages][-1] == "a jesli szef sie nie zgodzi?"
    # Offered at once to the key persons there are (a colleague with a translation tool).
    [offer] = (await desk.delivered())["tg:kp-nl"]
    assert ticket.label in offer.text and offer.button_list[0].data == callbacks.claim(ticket.code)
    desk.queue.clock.advance(days=3)  # type: ignore[attr-defined]
    assert (await desk.queue.timers.sweep()).late_notices == 0  # nothing was promised
    # Someone who speaks Polish joins: the question is waiting for them.
    token = await desk.queue.key_persons.create_invite(["pl"], "Ola")
    [welcome] = await desk.core.handle(UserEvent.command("tg:kp-pl", f"/start {token}"))
    assert "1" in welcome.text.rsplit("\n", 1)[-1] and "/queue" in welcome.text


async def test_out_of_duty_hours_only_the_next_duty_period_is_promised(desk: Desk) -> None:
    await desk.key_person("tg:kp-ro", ["ro"], name="Ana")
    desk.queue.clock.current = local(2026, 11, 27, 18, 30)  # type: ignore[attr-defined]
    await desk.core.handle(UserEvent.button("tg:3", callbacks.language("ro")))
    [opened] = await desk.core.handle(UserEvent.button("tg:3", callbacks.PERSON))
    ticket = await desk.queue.tickets.active_ticket("tg:3")
    assert ticket is not None and ticket.label in opened.text
    assert ticket.promised_by == local(2026, 11, 30, 17, 0)  # the end of Monday's duty
    assert "09:00" in opened.text and "17:00" in opened.text and "luni" in opened.text
    desk.queue.clock.current = local(2026, 11, 30, 17, 1)  # type: ignore[attr-defined]
    assert (await desk.queue.timers.sweep()).late_notices == 1  # the promise passed: told


async def test_within_duty_hours_but_everyone_away_promises_the_next_period(desk: Desk) -> None:
    await desk.key_person("tg:kp-bg", ["bg"], name="Petya")
    await desk.core.handle(UserEvent.command("tg:kp-bg", "/away"))
    await desk.core.handle(UserEvent.button("tg:4", callbacks.language("bg")))
    [opened] = await desk.core.handle(UserEvent.button("tg:4", callbacks.PERSON))
    ticket = await desk.queue.tickets.active_ticket("tg:4")
    assert ticket is not None and ticket.promised_by == local(2026, 11, 24, 17, 0)
    t = Texts("bg")
    assert t.gettext("tomorrow, {hours}").split("{")[0] in opened.text


async def test_a_stale_ticket_closes_and_the_user_can_ask_again(desk: Desk) -> None:
    await desk.key_person("tg:kp-pl", ["pl"], name="Ola")
    await desk.core.handle(UserEvent.button("tg:5", callbacks.language("pl")))
    await desk.core.handle(UserEvent.button("tg:5", callbacks.PERSON))
    first = await desk.queue.tickets.active_ticket("tg:5")
    assert first is not None
    await desk.delivered()
    desk.queue.clock.advance(days=14, minutes=1)  # type: ignore[attr-defined]
    assert (await desk.queue.timers.sweep()).stale_closed == 1
    [closed] = (await desk.delivered())["tg:5"]
    assert first.label in closed.text and callbacks.PERSON in data_of(closed)
    [again] = await desk.core.handle(UserEvent.button("tg:5", callbacks.PERSON))
    second = await desk.queue.tickets.active_ticket("tg:5")
    assert second is not None and second.code != first.code and second.label in again.text
