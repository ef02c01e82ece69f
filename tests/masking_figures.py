"""Masking measured on the corpora in tests/masking_corpus/ (written apart from the rules):
the development corpus (written before the rules changed, then looked at while changing
them) and the held-out one (written after, never used to change them).

Per language: the share of personal details that masking removes, and the share of ordinary
words ("keep") it wrongly masks. `python -m tests.masking_figures` prints the tables quoted
in README.md; tests/unit/test_masking_corpus.py holds the floors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.reporting.masking import mask

CORPUS = Path(__file__).resolve().parent / "masking_corpus"
HELD_OUT = CORPUS / "heldout"
LANGUAGES = ("pl", "bg", "ro", "nl")


@dataclass
class Figures:
    language: str
    messages: int = 0
    details: int = 0
    removed: int = 0
    keep: int = 0
    false_masks: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)  # (detail, masked text)
    lost: list[tuple[str, str]] = field(default_factory=list)  # (keep word, masked text)

    @property
    def recall(self) -> float:
        return self.removed / self.details if self.details else 1.0

    @property
    def false_mask_rate(self) -> float:
        return self.false_masks / self.keep if self.keep else 0.0


def occurs(needle: str, text: str) -> bool:
    """`needle` as a whole word sequence in `text` (case-sensitive: "[NAME]" is not "name")."""
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is not None


def measure(language: str, folder: Path = CORPUS) -> Figures:
    corpus = yaml.safe_load((folder / f"{language}.yml").read_text(encoding="utf-8"))
    figures = Figures(language)
    for message in corpus["messages"]:
        text = message["text"]
        masked = mask(text)
        figures.messages += 1
        for detail in message["personal"]:
            assert occurs(str(detail), text), f"corpus error: {detail!r} not in {text!r}"
            figures.details += 1
            if occurs(str(detail), masked):
                figures.missed.append((str(detail), masked))
            else:
                figures.removed += 1
        for word in message["keep"]:
            assert occurs(str(word), text), f"corpus error: {word!r} not in {text!r}"
            figures.keep += 1
            if not occurs(str(word), masked):
                figures.false_masks += 1
                figures.lost.append((str(word), masked))
    return figures


def table(folder: Path = CORPUS) -> str:
    rows = [
        "| | " + " | ".join(LANGUAGES) + " |",
        "|---|" + "---|" * len(LANGUAGES),
    ]
    all_figures = [measure(language, folder) for language in LANGUAGES]
    rows.append("| messages | " + " | ".join(str(f.messages) for f in all_figures) + " |")
    rows.append(
        "| personal details removed | "
        + " | ".join(f"{f.recall:.0%} ({f.removed}/{f.details})" for f in all_figures)
        + " |"
    )
    rows.append(
        "| ordinary words wrongly masked | "
        + " | ".join(f"{f.false_mask_rate:.0%} ({f.false_masks}/{f.keep})" for f in all_figures)
        + " |"
    )
    return "\n".join(rows)


if __name__ == "__main__":
    for title, folder in (("Development corpus", CORPUS), ("Held-out corpus", HELD_OUT)):
        print(f"{title} ({folder.relative_to(CORPUS.parent.parent)})\n{table(folder)}\n")
        for language in LANGUAGES:
            figures = measure(language, folder)
            for detail, masked in figures.missed:
                print(f"  {language} missed {detail!r}: {masked}")
            for word, masked in figures.lost:
                print(f"  {language} lost {word!r}: {masked}")
        print()
