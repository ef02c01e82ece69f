"""A fitted model's n-grams, kept as their sorted 64-bit hashes instead of a dict of strings.

The risk classifier's 400,000 n-grams took about 55 MiB of the bot's memory as a dict of
Python strings, and take 3 MiB as hashes. `hash()` is this process's own (Python salts it per
process), so a table is built in the process that uses it, from the n-gram strings a child
process saved, and never stored. Two n-grams sharing a 64-bit hash are too unlikely to matter
(about one chance in 10^13 per n-gram looked up).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Known = npt.NDArray[np.bool_]


class HashedGrams:
    def __init__(self, grams: Sequence[str]) -> None:
        """`grams` in the model's column order; `order[i]`: the column of the i-th key."""
        keys = np.fromiter((hash(g) for g in grams), np.int64, len(grams))
        self.order: Ints = np.argsort(keys)
        self.keys: Ints = keys[self.order]

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, grams: Iterable[str]) -> tuple[Ints, Known]:
        """For each n-gram: its position among the keys, and whether it is known at all
        (the position is meaningless when it is not)."""
        wanted = np.fromiter((hash(g) for g in grams), np.int64)
        at = np.searchsorted(self.keys, wanted)
        at[at == len(self.keys)] = 0
        known: Known = self.keys[at] == wanted if len(self.keys) else np.zeros(len(at), bool)
        return at, known
