"""Memory: RSS of the bot process and of the engine while 10,000 messages go through the whole
bot path (2,000 users, SQLite). Sampled every 500 messages; growth is measured from the sample
after the first 1,000 messages (warm caches) to the last, so a leak shows as steady growth.

    .venv/bin/python -m bench.memory [--messages 10000]

(`/usr/bin/time -v .venv/bin/python -m bench.memory` gives the same peak for the bot process.)
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
from pathlib import Path

import psutil

from bench.common import Progress, bot, engine, messages, settings, table, write_section
from bot.core.events import UserEvent

SAMPLE_EVERY = 500
WARM = 1000
USERS = 2000
CONCURRENCY = 8


def rss_mib(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        process = psutil.Process(pid)
        return float(process.memory_info().rss) / 2**20
    except psutil.NoSuchProcess:
        return 0.0


async def run(n: int) -> str:
    config = settings()
    sample = messages()
    samples: list[tuple[int, float, float]] = []
    async with engine(config) as (url, engine_pid):
        with tempfile.TemporaryDirectory() as tmp:
            async with bot(config, url, Path(tmp) / "bench.db") as b:
                me = psutil.Process().pid
                samples.append((0, rss_mib(me), rss_mib(engine_pid)))
                progress = Progress("messages", n)
                queue: asyncio.Queue[int] = asyncio.Queue()
                for i in range(n):
                    queue.put_nowait(i)
                done = 0

                async def worker() -> None:
                    nonlocal done
                    while not queue.empty():
                        i = queue.get_nowait()
                        text, lang = sample[i % len(sample)]
                        await b.conversation.handle(
                            UserEvent.message(f"mem:{i % USERS}", text, lang)
                        )
                        done += 1
                        progress(done)
                        if done % SAMPLE_EVERY == 0:
                            samples.append((done, rss_mib(me), rss_mib(engine_pid)))

                await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    peak_bot = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    warm = next(s for s in samples if s[0] >= WARM)
    last = samples[-1]
    rows = [
        (
            "bot (this process)",
            f"{samples[0][1]:.0f} MiB",
            f"{warm[1]:.0f} MiB",
            f"{last[1]:.0f} MiB",
            f"{peak_bot:.0f} MiB",
            f"{last[1] - warm[1]:+.1f} MiB",
        ),
        (
            "engine (rasa run)" if engine_pid else "engine (not ours: MIP_ENGINE_URL)",
            f"{samples[0][2]:.0f} MiB",
            f"{warm[2]:.0f} MiB",
            f"{last[2]:.0f} MiB",
            f"{max(s[2] for s in samples):.0f} MiB (sampled)",
            f"{last[2] - warm[2]:+.1f} MiB",
        ),
    ]
    curve = ", ".join(
        f"{k}: {bot_mib:.0f}/{eng:.0f}" for k, bot_mib, eng in samples[:: max(len(samples) // 8, 1)]
    )
    return (
        f"{n} held-out messages through `Conversation.handle` ({USERS} users, {CONCURRENCY} at a "
        "time, SQLite), RSS sampled every "
        f"{SAMPLE_EVERY} messages.\n\n"
        + table(
            ("process", "start", f"after {WARM}", f"after {n}", "peak", f"growth {WARM}→{n}"), rows
        )
        + f"\n\nRSS bot/engine in MiB by messages: {curve}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    body = asyncio.run(run(args.messages))
    print(body)
    write_section("Memory", body)


if __name__ == "__main__":
    main()
