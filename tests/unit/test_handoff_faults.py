"""Fault injection on the Telegram side (400, 403, 429 with retry_after, 5xx, timeout after
sending, refused connections): every relay is delivered, or dead-lettered with its sender
told. Zero silent losses, nothing delivered twice (tests/handoff_faults.py)."""

from __future__ import annotations

from pathlib import Path

from tests.handoff_faults import run_faults


async def test_every_relay_is_delivered_or_dead_lettered_with_the_sender_told(
    tmp_path: Path,
) -> None:
    report = await run_faults(tmp_path, conversations=6, rounds=10, seed=15)
    assert report.relays == 60
    assert report.silent == 0 and report.duplicates == 0
    told = report.dead_sender_told + report.dead_notice_kept
    assert report.delivered + told == report.relays
    # The faults did happen, of every kind, and both ways out of them were taken.
    assert set(report.injected) >= {
        "400 message is too long", "400 chat not found", "403 blocked", "429 retry_after 1",
        "502", "timeout after sending", "connection refused",
    }  # fmt: skip
    assert report.delivered > 0 and report.dead_sender_told > 0 and report.uncertain > 0
