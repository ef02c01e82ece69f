"""Latency: the same messages through (a) the bare engine's /model/parse and (b) the whole bot
path, update in to reply out: a Telegram update through python-telegram-bot's Application as
`mip run` builds it, the conversation core (state in SQLite, language id, the real engine
client, content, handoff queue, reporting), replies sent to an in-process Bot API
(bench/telegram_path.py). One message at a time, so this is latency, not throughput.

    .venv/bin/python -m bench.latency [--messages 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import (
    Progress,
    bot,
    database_name,
    engine,
    messages,
    percentile,
    settings,
    table,
    write_section,
)
from bench.telegram_path import telegram_path

WARMUP = 50
# python-telegram-bot's rate limiter keeps a bot under Telegram's 30 messages a second; a
# reply can be up to three messages, so the benchmark sends at most ten updates a second
# (otherwise it would measure the limiter's waiting, not the bot).
PACE = 0.1
TARGET_P99_RATIO = 1.5


async def run(n: int) -> str:
    config = settings()
    sample = messages()
    texts = [sample[i % len(sample)] for i in range(n)]
    bare: list[float] = []
    whole: list[float] = []
    async with engine(config) as (url, _pid), httpx.AsyncClient(base_url=url, timeout=30) as http:

        async def parse(text: str) -> None:
            response = await http.post("/model/parse", json={"text": text})
            response.raise_for_status()
            response.json()

        with tempfile.TemporaryDirectory() as tmp:
            async with (
                bot(config, url, Path(tmp) / "bench.db") as b,
                telegram_path(config, b.conversation, b.db) as telegram,
            ):
                for i, (text, lang) in enumerate(texts[:WARMUP]):
                    await parse(text)
                    await telegram.message(10_000 + i, text, lang)
                progress = Progress("messages (each through both paths)", n)
                for i, (text, lang) in enumerate(texts):
                    paced = asyncio.create_task(asyncio.sleep(PACE))
                    # Interleaved, so a load spike from elsewhere hits both paths alike.
                    started = time.perf_counter()
                    await parse(text)
                    bare.append(time.perf_counter() - started)
                    # 200 users, each sending a series: state exists after the first message.
                    # Until the last reply reached the Bot API: what follows it (the state
                    # written, the user's turn ended) delays no reply.
                    started = time.perf_counter()
                    replies = await telegram.message(1 + i % 200, text, lang)
                    if not replies:
                        raise SystemExit(f"no reply to message {i}: the measurement is void")
                    whole.append(replies[-1].at - started)
                    progress(i + 1)
                    await paced
    rows = []
    for p in (50, 95, 99):
        a, b_ = percentile(bare, p) * 1000, percentile(whole, p) * 1000
        rows.append((f"p{p}", f"{a:.1f} ms", f"{b_:.1f} ms", f"{b_ / a:.2f}"))
    rows.append(
        (
            "mean",
            f"{sum(bare) / n * 1000:.1f} ms",
            f"{sum(whole) / n * 1000:.1f} ms",
            f"{sum(whole) / sum(bare):.2f}",
        )
    )
    ratio99 = percentile(whole, 99) / percentile(bare, 99)
    verdict = "meets" if ratio99 <= TARGET_P99_RATIO else "misses"
    return (
        f"{n} held-out messages, one at a time (at most {1 / PACE:.0f} a second, under "
        f"Telegram's rate limit), after {WARMUP} warm-up messages, each message "
        "through both paths in turn; "
        "(a) POST /model/parse with httpx, (b) a Telegram update through python-telegram-bot, "
        f"the adapter and the conversation core with {database_name()} storage and the real "
        "engine, until "
        "the last reply reached an in-process Bot API.\n\n"
        + table(("", "(a) bare engine", "(b) whole bot", "ratio b/a"), rows)
        + f"\n\nThe p99 ratio {ratio99:.2f} {verdict} the target of {TARGET_P99_RATIO} or less."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    body = asyncio.run(run(args.messages))
    print(body)
    write_section("Latency", body)


if __name__ == "__main__":
    main()
