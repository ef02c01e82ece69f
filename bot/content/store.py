"""The content the bot serves: an immutable index swapped whole when files change.

A file that fails validation is reported and the last good version of it stays in service,
so a user never sees a half-edited answer. The same holds for the data files beside the
answers (municipalities.yml, events.yml, crisis.yml), which are watched too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from bot.content.checker import answer_problems, sent_at_once
from bot.content.compose import ContentData
from bot.content.data import load_data
from bot.content.loader import Answer, Problem, load_tree
from bot.contract import Contract
from bot.periodic import every

log = logging.getLogger(__name__)

Signature = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Snapshot:
    """One consistent version of the content: answers, data files, what was read, problems."""

    index: Mapping[tuple[str, str], Answer]
    data: ContentData
    signature: Signature
    problems: list[Problem]


class ContentStore:
    def __init__(
        self,
        root: Path,
        languages: tuple[str, ...],
        contract: Contract,
        *,
        check_interval: float = 1.0,
    ) -> None:
        self.root = root
        self.languages = languages
        self.contract = contract
        self.check_interval = check_interval
        self._index: Mapping[tuple[str, str], Answer] = MappingProxyType({})
        self._signature: Signature = ()
        self._checked_at = 0.0
        self.problems: list[Problem] = []
        self.data = ContentData()
        self._loaded = False
        self.version = 0  # counts (re)loads

    def load(self) -> list[Problem]:
        """(Re)load every file; keep the previous answer where a file is now broken."""
        return self._install(self._build())

    def refresh(self) -> bool:
        """Reload when a file was added, removed or changed (at most every check_interval)."""
        now = time.monotonic()
        if now - self._checked_at < self.check_interval:
            return False
        self._checked_at = now
        if self._scan() == self._signature:
            return False
        log.info("content changed on disk; reloading")
        self.load()
        return True

    async def watch(self) -> None:
        """Reload on changes, every check_interval, until cancelled (the running bot does this)."""
        await every(
            self.check_interval, self.reload_if_changed, name="content reload", wait_first=True
        )

    async def reload_if_changed(self) -> None:
        """One round of watching (the running bot calls it every check_interval).

        Scanning and loading run in a thread: a reload takes about half a second, which no
        message should wait for. The new version is swapped in whole, on the event loop; a
        failure leaves the old content in place."""
        snapshot = await asyncio.to_thread(self._build_if_changed)
        if snapshot is not None:
            self._install(snapshot)

    def _build_if_changed(self) -> Snapshot | None:
        if self._scan() == self._signature:
            return None
        log.info("content changed on disk; reloading")
        return self._build()

    def _build(self) -> Snapshot:
        signature = self._scan()
        answers, problems = load_tree(self.root, self.languages, self.contract)
        data, found = load_data(self.root, self.contract, self.data if self._loaded else None)
        problems += found
        # An answer that does not work with the data (too long once the desks are filled in,
        # an unknown municipality) is broken too: its last good version stays.
        crisis = sent_at_once(answers, data)
        for key, answer in list(answers.items()):
            if wrong := answer_problems(answer, data, crisis, dt.date.today()):
                problems += wrong
                del answers[key]
        problems.sort()
        kept = {key: old for key, old in self._index.items() if key not in answers}
        for problem in problems:
            log.warning("content problem: %s", problem)
        if kept:
            log.warning("keeping the last good version of %d content file(s)", len(kept))
        index = MappingProxyType({**kept, **answers})
        return Snapshot(index, data, signature, problems)

    def _install(self, snapshot: Snapshot) -> list[Problem]:
        self._index = snapshot.index
        self.data = snapshot.data
        self._loaded = True
        self._signature = snapshot.signature
        self.problems = snapshot.problems
        self.version += 1
        return snapshot.problems

    def get(self, language: str, intent: str) -> Answer | None:
        return self._index.get((language, intent))

    def title(self, language: str, intent: str) -> str:
        """The answer's title (button labels, topics shown to key persons)."""
        answer = self.get(language, intent)
        return answer.title if answer else intent.replace("_", " ")

    def __len__(self) -> int:
        return len(self._index)

    def _scan(self) -> Signature:
        entries = []
        for path in self.root.glob("*.yml"):
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            entries.append((str(path), st.st_mtime_ns, st.st_size))
        for language in self.languages:
            folder = self.root / language
            if not folder.is_dir():
                continue
            for path in [*folder.glob("*.md"), *folder.glob("crisis/*.md")]:
                try:
                    st = path.stat()
                except FileNotFoundError:
                    continue
                entries.append((str(path), st.st_mtime_ns, st.st_size))
        return tuple(sorted(entries))
