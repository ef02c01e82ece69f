"""Small-count protection: no published number may reveal a count from 1 to 4."""

from __future__ import annotations

import random

from bot.reporting.disclosure import ALL, HIDDEN, SMALL, Disclosure, percent


def table(cells: dict[tuple[str, str], int], rows: list[str], cols: list[str]) -> Disclosure:
    d = Disclosure()
    d.cube("t", [rows, cols], cells)
    d.solve()
    return d


def test_counts_below_five_show_as_small_and_zero_and_five_show() -> None:
    d = table({("a", "x"): 4, ("a", "y"): 5, ("b", "x"): 1}, ["a", "b"], ["x", "y", "z"])
    assert d.text(("t", "a", "x")) == SMALL and d.text(("t", "b", "x")) == SMALL
    assert d.text(("t", "a", "z")) == "0"
    assert d.shown(("t", "a", "x")) is None


def test_a_small_count_cannot_be_worked_out_from_its_total() -> None:
    # Row a: 8 + 3 = 11. Showing 8 and 11 would reveal the 3.
    d = table({("a", "x"): 8, ("a", "y"): 3, ("b", "x"): 20, ("b", "y"): 7}, ["a", "b"], ["x", "y"])
    assert d.text(("t", "a", "y")) == SMALL
    assert d.text(("t", "a", "x")) == HIDDEN
    assert d.text(("t", "a", ALL)) == "11"
    # and not from the column either: 3 + 7 = 10 is shown, so 7 is hidden too
    assert d.text(("t", "b", "y")) == HIDDEN


def test_a_total_is_hidden_when_it_is_all_that_could_protect() -> None:
    d = table({("a", "x"): 1, ("a", "y"): 5}, ["a"], ["x", "y"])
    # 1 + 5 = 6: hiding 5 is not enough (5 is the least a hidden count can be), so 6 goes.
    assert d.text(("t", "a", "x")) == SMALL
    assert HIDDEN in (d.text(("t", "a", ALL)), d.text(("t", "a", "y")))
    assert d.text(("t", ALL, ALL)) != "6" or d.text(("t", "a", "y")) != "5"


def test_percentages_come_only_from_shown_counts() -> None:
    assert percent(None, 10) == HIDDEN and percent(3, None) == HIDDEN
    assert percent(5, 20) == "25%"


def integer_range(d: Disclosure, key: tuple[str, ...]) -> tuple[int, int]:
    """Least and most `key` can be, given everything shown and all sums at once (exact MILP)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    hidden = sorted(d.hidden, key=repr)
    index = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in d.lines:
        row = np.zeros(len(hidden))
        known = 0
        for sign, k in [(1, p) for p in parts] + [(-1, total)]:
            if k in index:
                row[index[k]] += sign
            else:
                known += sign * d.values[k]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    low = [1 if k in d.small else 5 for k in hidden]
    high = [4 if k in d.small else np.inf for k in hidden]
    ends = []
    for direction in (1, -1):
        goal = np.zeros(len(hidden))
        goal[index[key]] = direction
        result = milp(
            goal,
            constraints=LinearConstraint(np.array(rows), rhs, rhs),
            bounds=Bounds(low, high),
            integrality=np.ones(len(hidden)),
        )
        assert result.success
        ends.append(round(direction * result.fun))
    return ends[0], ends[1]


def test_random_tables_never_reveal_a_small_count_even_using_all_sums_together() -> None:
    rng = random.Random(7)
    checked = 0
    for _ in range(150):
        rows, cols = ["a", "b", "c", "d"], ["x", "y", "z"]
        cells = {
            (r, c): rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 30]) for r in rows for c in cols
        }
        d = table(cells, rows, cols)
        for key in d.small:
            low, high = integer_range(d, key)
            assert low < high, (cells, key)
            checked += 1
    assert checked > 200
