"""No silent loss: relays through the production outbox path while the Bot API fails about
half of the sendMessage calls (tests/handoff_faults.py: 400 too long, 400 chat not found,
403 blocked, 429 with retry_after, 502, timeout after sending, refused connection).

    .venv/bin/python -m bench.handoff_faults [--conversations 10] [--rounds 20] [--seeds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import table, write_section
from tests.handoff_faults import FAULTS, FaultReport, run_faults


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # every fault is logged; thousands of lines here
    rows, injected = [], Counter[str]()
    for seed in range(1, args.seeds + 1):
        with tempfile.TemporaryDirectory() as folder:
            r: FaultReport = await run_faults(Path(folder), args.conversations, args.rounds, seed)
        injected += r.injected
        rows.append(
            [
                seed, r.relays, r.calls, r.delivered, r.uncertain, r.dead_sender_told,
                r.dead_notice_kept, r.duplicates, r.silent,
            ]
        )  # fmt: skip
    body = table(
        [
            "seed", "relays", "sendMessage calls", "delivered", "of which uncertain",
            "dead letter, sender told", "dead letter, notice refused too (kept)",
            "sent twice", "silent losses",
        ],
        rows,
    )  # fmt: skip
    faults = ", ".join(f"{kind} {n}" for kind, n in injected.most_common())
    weights = sum(w for w, _ in FAULTS)
    body += (
        f"\n\n{args.conversations} conversations, {args.rounds} rounds (users and key persons in "
        f"turn; one round of two-part messages), through the queue on SQLite, the SQL outbox, "
        f"the dispatcher and the rate-limited Bot of `mip run`, against the in-process Bot API "
        f"failing {100 - 100 * FAULTS[0][0] // weights}% of sendMessage calls at random. Calls "
        f"met: {faults}. *Uncertain*: a read timeout after the server got the message; counted "
        f"delivered, recorded, not resent."
    )
    print(body)
    write_section("Handoff: relays under Telegram faults", body)


if __name__ == "__main__":
    asyncio.run(main())
