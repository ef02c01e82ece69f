"""Key persons' duty hours (content/handoff.yml) and the answer time promised to users.

The promise is counted in duty time: four duty hours asked for on Friday at 16:00 end on
Monday at 12:00, not on Friday at 20:00.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from babel.dates import format_date, format_interval, format_time, get_day_names

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Block = tuple[dt.time, dt.time]


class ScheduleError(ValueError):
    """content/handoff.yml is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Schedule:
    timezone: ZoneInfo
    hours: dict[int, tuple[Block, ...]]  # weekday (0 = Monday) -> duty blocks
    answer_within: dt.timedelta
    remind_after: dt.timedelta
    widen_after: dt.timedelta

    @classmethod
    def load(cls, path: Path) -> Schedule:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as e:
            raise ScheduleError(f"{path}: cannot read the key persons' schedule: {e}") from None
        if not isinstance(data, dict):
            raise ScheduleError(f"{path}: must be a set of 'key: value' lines")
        try:
            zone = ZoneInfo(str(data.get("timezone", "Europe/Amsterdam")))
        except (ZoneInfoNotFoundError, ValueError):
            raise ScheduleError(f"{path}: timezone {data.get('timezone')!r} is unknown") from None
        raw_hours = data.get("hours") or {}
        if not isinstance(raw_hours, dict):
            raise ScheduleError(f"{path}: hours must list weekdays, e.g. 'mon: \"09:00-17:00\"'")
        hours: dict[int, tuple[Block, ...]] = {}
        for day, spec in raw_hours.items():
            if day not in WEEKDAYS:
                raise ScheduleError(f"{path}: hours: {day!r} is not one of {', '.join(WEEKDAYS)}")
            hours[WEEKDAYS.index(day)] = tuple(_blocks(path, day, str(spec)))

        def minutes(key: str, default: float) -> dt.timedelta:
            value = data.get(key, default)
            if not isinstance(value, int | float) or value <= 0:
                raise ScheduleError(f"{path}: {key} must be a positive number")
            return dt.timedelta(minutes=value)

        return cls(
            timezone=zone,
            hours=hours,
            answer_within=minutes("answer_within_hours", 4) * 60,
            remind_after=minutes("remind_after_minutes", 30),
            widen_after=minutes("widen_after_minutes", 120),
        )

    def promise(self, now: dt.datetime) -> dt.datetime:
        """When an answer is due for a question asked at `now`, counted in duty time."""
        remaining = self.answer_within
        cursor = now.astimezone(self.timezone)
        if not any(self.hours.values()):
            return now + remaining
        for _ in range(15):
            for start, end in self.hours.get(cursor.weekday(), ()):
                block_start = dt.datetime.combine(cursor.date(), start, self.timezone)
                block_end = dt.datetime.combine(cursor.date(), end, self.timezone)
                begin = max(block_start, cursor)
                if begin >= block_end:
                    continue
                if remaining <= block_end - begin:
                    return (begin + remaining).astimezone(dt.UTC)
                remaining -= block_end - begin
            next_day = cursor.date() + dt.timedelta(days=1)
            cursor = dt.datetime.combine(next_day, dt.time(0), self.timezone)
        return now + self.answer_within

    def on_duty(self, now: dt.datetime) -> bool:
        """Whether `now` is within a duty block (always, when no hours are set)."""
        if not any(self.hours.values()):
            return True
        local = now.astimezone(self.timezone)
        return any(
            start <= local.time() < end for start, end in self.hours.get(local.weekday(), ())
        )

    def next_period(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
        """The first duty block that starts after `now` (UTC start and end); None without hours."""
        today = now.astimezone(self.timezone).date()
        for offset in range(8):
            day = today + dt.timedelta(days=offset)
            for start, end in self.hours.get(day.weekday(), ()):
                begin = dt.datetime.combine(day, start, self.timezone)
                if begin > now:
                    finish = dt.datetime.combine(day, end, self.timezone)
                    return begin.astimezone(dt.UTC), finish.astimezone(dt.UTC)
        return None

    def describe(self, language: str) -> str:
        """The duty hours in the reader's language, e.g. 'pon.-pt. 09:00-17:00'."""
        names = get_day_names("abbreviated", locale=language)
        parts: list[str] = []
        day = 0
        while day < 7:
            blocks = self.hours.get(day, ())
            if not blocks:
                day += 1
                continue
            last = day
            while last + 1 < 7 and self.hours.get(last + 1, ()) == blocks:
                last += 1
            days = names[day] if last == day else f"{names[day]}–{names[last]}"
            times = ", ".join(self._interval(b, language) for b in blocks)
            parts.append(f"{days} {times}")
            day = last + 1
        return "; ".join(parts)

    def local_day_and_time(
        self, when: dt.datetime, now: dt.datetime, language: str
    ) -> tuple[str | None, str]:
        """(None for today | 'tomorrow' marker | a date, time) in the reader's language."""
        local, today = when.astimezone(self.timezone), now.astimezone(self.timezone).date()
        time = format_time(local.time(), format="short", locale=language)
        if local.date() == today:
            return None, time
        if local.date() == today + dt.timedelta(days=1):
            return "tomorrow", time
        return format_date(local.date(), format="EEEE d MMMM", locale=language), time

    def local_period(
        self, period: tuple[dt.datetime, dt.datetime], now: dt.datetime, language: str
    ) -> tuple[str | None, str]:
        """(day as in local_day_and_time, '09:00-17:00') of a duty period."""
        start, end = (when.astimezone(self.timezone) for when in period)
        day, _ = self.local_day_and_time(start, now, language)
        block = (start.time(), end.time())
        return day, self._interval(block, language)

    def _interval(self, block: Block, language: str) -> str:
        start = dt.datetime.combine(dt.date(2026, 1, 5), block[0])
        end = dt.datetime.combine(dt.date(2026, 1, 5), block[1])
        return format_interval(start, end, skeleton="Hm", locale=language)


def _blocks(path: Path, day: str, spec: str) -> list[Block]:
    blocks: list[Block] = []
    for part in spec.split(","):
        match = _BLOCK.match(part)
        if not match:
            raise ScheduleError(f"{path}: hours: {day}: {part.strip()!r} is not like 09:00-17:00")
        h1, m1, h2, m2 = map(int, match.groups())
        try:
            start, end = dt.time(h1, m1), dt.time(h2, m2)
        except ValueError:
            raise ScheduleError(f"{path}: hours: {day}: {part.strip()!r} is not a time") from None
        if end <= start:
            raise ScheduleError(f"{path}: hours: {day}: {part.strip()!r} ends before it starts")
        blocks.append((start, end))
    return blocks
