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
import math
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
    _lines_of: dict[Key, list[tuple[Key, tuple[Key, ...]]]] = field(default_factory=dict)

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
                    parts = tuple((name, *combo[:i], v, *combo[i + 1 :]) for v in domains[i][:-1])
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

    def sum_of(self, total: Key, parts: Sequence[Key]) -> None:
        """A published total over published parts, outside a cube (e.g. a group of topics)."""
        self.values[total] = sum(self.values[p] for p in parts)
        self.lines.append((total, tuple(parts)))

    def solve(self, hide: Iterable[Key] = ()) -> None:
        """Hide small counts and whatever would give them away; `hide`: counts (5 or more)
        to hide as well, protected in turn (published.py: what earlier reports would reveal)."""
        self.small = {k for k, v in self.values.items() if 0 < v < THRESHOLD}
        self.hidden = self.small | {k for k in hide if self.values.get(k, 0) >= THRESHOLD}
        self._lines_of = {}
        for line in self.lines:
            for key in (line[0], *line[1]):
                self._lines_of.setdefault(key, []).append(line)
        while True:
            changed = True
            while changed:
                changed = False
                for total, parts in self.lines:
                    if (total in self.hidden or any(p in self.hidden for p in parts)) and (
                        self._pins_down(total, parts)
                    ):
                        self.hidden.add(self._next_to_hide(total, parts))
                        changed = True
            pinned = self._pinned_by_all_sums()
            if not pinned:
                return
            for key in pinned:
                self.hidden.add(self._protect(key))

    def _pinned_by_all_sums(self) -> list[Key]:
        """Small counts that all the sums together (a linear system) fix to one value."""
        from scipy.optimize import linprog  # scikit-learn's dependency; only needed here

        hidden = sorted(self.hidden, key=repr)
        index = {k: i for i, k in enumerate(hidden)}
        rows: list[list[float]] = []
        rhs: list[float] = []
        for total, parts in self.lines:
            terms = [(1, p) for p in parts] + [(-1, total)]
            if not any(k in index for _, k in terms):
                continue
            row = [0.0] * len(hidden)
            known = 0
            for sign, key in terms:
                if key in index:
                    row[index[key]] += sign
                else:
                    known += sign * self.values[key]
            rows.append(row)
            rhs.append(-known)
        bounds = [(1, THRESHOLD - 1) if k in self.small else (THRESHOLD, None) for k in hidden]
        pinned = []
        for key in hidden:
            if key not in self.small:
                continue
            ends = []
            for direction in (1.0, -1.0):
                goal = [0.0] * len(hidden)
                goal[index[key]] = direction
                result = linprog(goal, A_eq=rows, b_eq=rhs, bounds=bounds, method="highs")
                ends.append(direction * result.fun)
            low, high = math.ceil(ends[0] - 1e-6), math.floor(ends[1] + 1e-6)
            if low >= high:
                pinned.append(key)
        return pinned

    def _protect(self, key: Key) -> Key:
        """One more count to hide so that `key` is no longer fixed: in a sum it is in, or
        failing that in a sum linked to it through hidden counts (nearest first)."""
        seen, queue = {key}, [key]
        while queue:
            current = queue.pop(0)
            for total, parts in self._lines_of.get(current, []):
                shown = [p for p in parts if p not in self.hidden and self.values[p] > 0]
                if shown or total not in self.hidden:
                    return self._next_to_hide(total, parts)
                for linked in (total, *parts):
                    if linked in self.hidden and linked not in seen:
                        seen.add(linked)
                        queue.append(linked)
        raise AssertionError(f"cannot protect {key!r}")  # everything linked is hidden

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
        ranges = []  # of sign * value for each hidden term; they must add up to -known
        for sign, key in terms:
            if key in self.hidden:
                lo, hi = self._bounds(key)
                ranges.append((min(sign * lo, sign * hi), max(sign * lo, sign * hi)))
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
            # Prefer a count whose other sums already hide something (hidden counts then pair
            # up, as in a rectangle), then the smallest: fewer numbers hidden in all.
            return min(shown, key=lambda p: (-self._shared(p, total), self.values[p], repr(p)))
        if total not in self.hidden:
            return total
        return self._protect(parts[0] if parts else total)

    def _shared(self, key: Key, total: Key) -> int:
        return sum(
            1
            for line_total, parts in self._lines_of.get(key, [])
            if line_total != total and any(k in self.hidden for k in (line_total, *parts))
        )

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
