"""Who can answer a new question, and when: the promise a ticket makes to its user.

Before a ticket opens, the queue counts the key persons who speak its language (registered,
and available now) and the schedule says whether it is duty time. Three situations:

    ON_DUTY   duty time and a speaker available now: an answer within `answer_within_hours`
              duty hours, as the schedule counts them ("today before 14:00");
    OFF_DUTY  speakers exist, but it is outside duty hours or all of them are away: the next
              duty period only ("tomorrow 09:00-17:00"); its end is the deadline;
    NOBODY    no key person speaks the language: no time at all. The user is told so, is
              shown the information point's desk, and may still leave the question (it is
              offered to every key person at once, for a colleague with a translation tool).

A promise that passes unkept is still told to the user by the queue's timers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.core.handoff.hours import Schedule


class Cover(StrEnum):
    ON_DUTY = "on_duty"
    OFF_DUTY = "off_duty"
    NOBODY = "nobody"


@dataclass(frozen=True)
class Speakers:
    """Key persons who speak a language: all of them, and those not /away now."""

    registered: int
    available: int


@dataclass(frozen=True)
class Promise:
    cover: Cover
    due: dt.datetime | None  # when the user is told it is late; None: no time promised
    period: tuple[dt.datetime, dt.datetime] | None = None  # OFF_DUTY: the period promised


def promise_for(schedule: Schedule, now: dt.datetime, speakers: Speakers) -> Promise:
    if speakers.registered == 0:
        return Promise(Cover.NOBODY, None)
    if speakers.available and schedule.on_duty(now):
        return Promise(Cover.ON_DUTY, schedule.promise(now))
    period = schedule.next_period(now)
    if period is None:  # no duty hours at all and everyone away: nothing to promise
        return Promise(Cover.OFF_DUTY, None)
    return Promise(Cover.OFF_DUTY, period[1], period)
