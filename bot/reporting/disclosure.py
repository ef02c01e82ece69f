"""Small-count protection for the report: no number in it may single out a person.

Rules, applied to every count the report publishes (tables, CSV files, charts):
1. A count from 1 to 4 is hidden and shown as "<5" (primary suppression).
2. Totals are published too, so a hidden count could be worked out by subtraction. Every
   published sum (a total and the counts it adds up) is checked: if the shown numbers pin a
   hidden count down to one value, one more count in that sum is hidden, shown as "x"
   (secondary suppression), or the total itself when nothing else can be. Repeated until no
   sum gives anything away. (Each sum is checked on its own, which is how statistical offices
   do routine tables; together with rule 1 that covers the report's tables.)
3. Derived numbers (percentages, medians, the 90th percentile) are shown only when every count
   they come from is shown.

Counts live in cubes (e.g. questions by week, topic and language) whose totals over any
dimension are keys of their own ("*"); cubes may share their grand total with another cube.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALL = "*"
THRESHOLD = 5
SMALL = "<5"
HIDDEN = "x"
_UNBOUNDED = 10**12

Key = tuple[str, ...]


@dataclass
class Disclosure:
    values: dict[Key, int] = field(default_factory=dict)
    lines: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    small: set[Key] = field(default_factory=set)
    hidden: set[Key] = field(default_factory=set)

    def cube(
        self,
        name: str,
        dims: Sequence[Sequence[str]],
        counts: Mapping[tuple[str, ...], int],
        *,
        grand_total: Key | None = None,
    ) -> None:
        """Register counts over `dims` (value lists) with all their totals and sums.

        Key of a cell: (name, v1, v2, ...); a total over dimension i has "*" there.
        `grand_total`: another cube's key that this cube's grand total equals.
        """
        domains = [[*values, ALL] for values in dims]
        for combo in itertools.product(*domains):
            self.values[(name, *combo)] = 0
            for i, coordinate in enumerate(combo):
                if coordinate == ALL:
                    parts = tuple(
                        (name, *combo[:i], v, *combo[i + 1 :]) for v in domains[i][:-1]
                    )
                    self.lines.append(((name, *combo), parts))
        for cell, n in counts.items():
            for stars in itertools.product((False, True), repeat=len(dims)):
                key = (name, *(ALL if star else v for star, v in zip(stars, cell, strict=True)))
                self.values[key] += n
        if grand_total is not None:
            self.same(grand_total, (name, *([ALL] * len(dims))))

    def same(self, a: Key, b: Key) -> None:
        """Two keys that count the same people: hiding one hides the other."""
        self.lines.append((a, (b,)))
        self.lines.append((b, (a,)))

    def solve(self) -> None:
        self.small = {k for k, v in self.values.items() if 0 < v < THRESHOLD}
        self.hidden = set(self.small)
        changed = True
        while changed:
            changed = False
            for total, parts in self.lines:
                if (total in self.hidden or any(p in self.hidden for p in parts)) and (
                    self._pins_down(total, parts)
                ):
                    self.hidden.add(self._next_to_hide(total, parts))
                    changed = True

    def _bounds(self, key: Key) -> tuple[int, int]:
        if key in self.small:
            return 1, THRESHOLD - 1
        if key in self.hidden:  # hidden to protect another count: never 1-4, and not 0
            return THRESHOLD, _UNBOUNDED
        return self.values[key], self.values[key]

    def _pins_down(self, total: Key, parts: tuple[Key, ...]) -> bool:
        """Whether total = sum(parts), with the shown numbers, fixes a hidden one to one value."""
        terms = [(1, p) for p in parts] + [(-1, total)]
        known = sum(sign * self.values[k] for sign, k in terms if k not in self.hidden)
        unknown = [
            (sign, *self._bounds(k)) for sign, k in terms if k in self.hidden
        ]  # sum(sign * x) over these must equal -known
        ranges = [
            (min(sign * lo, sign * hi), max(sign * lo, sign * hi)) for sign, lo, hi in unknown
        ]
        low_sum = sum(lo for lo, _ in ranges)
        high_sum = sum(hi for _, hi in ranges)
        for lo, hi in ranges:
            low = max(lo, -known - (high_sum - hi))
            high = min(hi, -known - (low_sum - lo))
            if low >= high:
                return True
        return False

    def _next_to_hide(self, total: Key, parts: tuple[Key, ...]) -> Key:
        shown = [p for p in parts if p not in self.hidden and self.values[p] > 0]
        if shown:
            return min(shown, key=lambda p: (self.values[p], repr(p)))
        if total not in self.hidden:
            return total
        raise AssertionError(f"cannot protect {total!r}")  # all hidden yet pinned: a bug

    # -- reading --------------------------------------------------------------------------

    def shown(self, key: Key) -> int | None:
        """The count when it may be published, else None."""
        return None if key in self.hidden else self.values.get(key, 0)

    def text(self, key: Key) -> str:
        if key in self.small:
            return SMALL
        if key in self.hidden:
            return HIDDEN
        return str(self.values.get(key, 0))

    def all_shown(self, keys: Iterable[Key]) -> bool:
        return not any(k in self.hidden for k in keys)


def percent(part: int | None, whole: int | None) -> str:
    """A percentage of shown counts, or "x" when either is hidden (rule 3)."""
    if part is None or whole is None:
        return HIDDEN
    if whole == 0:
        return "–"
    return f"{100 * part / whole:.0f}%"
