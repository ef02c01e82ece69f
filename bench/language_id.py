"""Language identification: accuracy on the held-out split, time per message, and what the
identifier costs in memory (RSS of this process before and after it is built).

    .venv/bin/python -m bench.language_id

Accuracy as `mip eval` counts it (bot.evaluation.heldout.language_ok: the right language, or
"unsure" on one or two words, where the bot keeps the conversation's language), and the share
right of the messages where it decided on a language.
"""

from __future__ import annotations

import time

import psutil

from bench.common import ROOT, table, write_section
from bot.evaluation.heldout import language_ok, load_examples
from bot.language.codes import SUPPORTED
from bot.language.identify import LanguageIdentifier


def rss_mib() -> float:
    return float(psutil.Process().memory_info().rss) / 2**20


def run() -> str:
    examples = load_examples(ROOT / "intents" / "tests")
    before, started = rss_mib(), time.perf_counter()
    languages = LanguageIdentifier.from_training_data(ROOT / "intents" / "data" / "nlu")
    built, after = time.perf_counter() - started, rss_mib()
    started = time.perf_counter()
    detections = [(e, languages.detect(e.text)) for e in examples]
    per_message = (time.perf_counter() - started) / len(examples) * 1000
    rows = []
    for code in SUPPORTED:
        mine = [(e, d) for e, d in detections if e.language == code]
        ok = sum(language_ok(e, d.language, d.unsupported) for e, d in mine)
        decided = [(e, d) for e, d in mine if d.language is not None]
        right = sum(d.language == code for _, d in decided)
        rows.append(
            (
                code,
                len(mine),
                f"{ok / len(mine):.1%}",
                f"{right / len(decided):.1%} of {len(decided)}" if decided else "–",
                sum(d.unsupported for _, d in mine),
            )
        )
    return (
        f"The held-out split (`intents/tests/`), {len(examples)} messages. Built in {built:.1f} s "
        f"(the classifier is fitted in a child process); {per_message:.2f} ms per message; "
        f"the process grew by {after - before:.0f} MiB to {after:.0f} MiB.\n\n"
        + table(
            ("language", "messages", "language id", "right when it decides", "read as another"),
            rows,
        )
    )


def main() -> None:
    body = run()
    print(body)
    write_section("Language identification", body)


if __name__ == "__main__":
    main()
