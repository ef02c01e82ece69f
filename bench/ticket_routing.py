"""While a ticket is open: how the "clear question" rule (bot/core/handoff/followup.py)
behaves at several confidence thresholds, on the held-out split and on typical follow-ups.

For each threshold: of the held-out messages the bot would answer itself, how many get the
right answer (precision), what share of all answerable held-out questions that is, and how
many of the follow-ups (messages that belong to a conversation with a key person) the bot
would answer instead of passing them on.

    .venv/bin/python -m bench.ticket_routing     (MIP_ENGINE_URL: an engine you already run)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bench.common import engine, settings, table, write_section
from bot.contract import Contract
from bot.core.handoff import followup
from bot.core.understanding import ParseResult
from bot.engine.client import EngineClient
from bot.evaluation.heldout import load_examples

FOLLOW_UPS = {
    "pl": [
        "a jesli szef sie nie zgodzi?", "tak", "dziekuje", "Flex Uitzend BV", "ok, rozumiem",
        "wczoraj o 14", "nie mam jeszcze umowy", "ile to bedzie kosztowac?",
        "a co z moja zona?", "to samo co wczesniej", "w tilburgu", "agencja nie odpowiada",
    ],
    "nl": [
        "en als mijn baas nee zegt?", "ja", "bedankt", "Flex Uitzend BV", "oke",
        "gisteren om 2 uur", "ik heb nog geen contract", "wat kost dat?", "en mijn vrouw?",
        "in tilburg", "het bureau reageert niet",
    ],
    "ro": [
        "si daca seful nu vrea?", "da", "multumesc", "la Flex Uitzend BV", "ieri la 2",
        "nu am inca contract", "cat costa?", "si sotia mea?", "in tilburg",
        "agentia nu raspunde",
    ],
    "bg": [
        "ами ако шефът откаже?", "да", "благодаря", "Flex Uitzend BV", "вчера в 2",
        "още нямам договор", "колко струва?", "а жена ми?", "в тилбург",
        "агенцията не отговаря",
    ],
}  # fmt: skip
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Read:
    text: str
    gold: str | None  # None: a follow-up
    parsed: ParseResult


async def read_all(client: EngineClient, items: list[tuple[str, str | None]]) -> list[Read]:
    limit = asyncio.Semaphore(4)

    async def one(text: str, gold: str | None) -> Read:
        async with limit:
            return Read(text, gold, await client.parse(text))

    return list(await asyncio.gather(*(one(t, g) for t, g in items)))


def row(reads: list[Read], contract: Contract, threshold: float) -> list[object]:
    def clear(r: Read) -> bool:
        if not contract.is_answer(r.parsed.intent) or r.parsed.confidence < threshold:
            return False
        return len(followup.WORD.findall(r.text)) >= followup.CLEAR_WORDS

    heldout = [r for r in reads if r.gold is not None]
    picked = [r for r in heldout if clear(r)]
    right = sum(r.parsed.intent == r.gold for r in picked)
    answerable = sum(contract.is_answer(r.gold or "") for r in heldout)
    answered = [r.text for r in reads if r.gold is None and clear(r)]
    return [
        f"{threshold:.1f}" + (" (used)" if threshold == followup.CLEAR_CONFIDENCE else ""),
        len(picked),
        len(picked) - right,
        f"{right / max(len(picked), 1):.1%}",
        f"{right / max(answerable, 1):.1%}",
        f"{len(answered)} of {sum(len(v) for v in FOLLOW_UPS.values())}",
        ", ".join(f"“{t}”" for t in answered) or "–",
    ]


async def main() -> None:
    config = settings()
    contract = Contract.load(config.intents_dir / "contract.yml")
    examples = load_examples(config.intents_dir / "tests")
    items: list[tuple[str, str | None]] = [(e.text, e.intent) for e in examples]
    items += [(t, None) for texts in FOLLOW_UPS.values() for t in texts]
    async with engine(config) as (url, _pid):
        client = EngineClient(url, timeout=30.0)
        try:
            reads = await read_all(client, items)
        finally:
            await client.aclose()
    body = table(
        [
            "confidence ≥",
            "held-out answered by the bot",
            "wrong answers",
            "right",
            "share of answerable questions",
            "follow-ups answered",
            "which",
        ],
        [row(reads, contract, t) for t in THRESHOLDS],
    )
    body += (
        f"\n\n{len(examples)} held-out messages and the follow-ups above through the real "
        f"engine; a message counts as a clear question with an answer intent at or above the "
        f"threshold and at least {followup.CLEAR_WORDS} words of three letters or more (the "
        "ticket's own topic and a live exchange with a key person send more to the ticket)."
    )
    print(body)
    write_section("Handoff: clear questions inside an open ticket", body)


if __name__ == "__main__":
    asyncio.run(main())
