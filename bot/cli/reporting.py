"""`mip report` and `mip review ...`: the command-line side of reporting (no engine needed)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.reporting.recorder import utc_today
from bot.storage.db import Database


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p_report = sub.add_parser("report", help="anonymous HTML + CSV report for the municipality")
    p_report.add_argument(
        "--period",
        help="2026-W48 (ISO week), 2026-11 (month) or 2026-Q4 (quarter), once it has ended "
        "(default: last month)",
    )
    p_report.add_argument("--out", type=Path, default=Path("reports"), help="folder (./reports)")
    p_review = sub.add_parser("review", help="masked unanswered questions for staff")
    p_review.add_argument("action", choices=["export", "purge"])
    p_review.add_argument("--out", type=Path, help="export: YAML file (default: standard output)")
    p_review.add_argument("--since", type=_date, help="export: from this day, YYYY-MM-DD")
    p_review.add_argument(
        "--days", type=int, help="purge: keep this many days (default MIP_RETENTION_DAYS)"
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


async def report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import load_contract
    from bot.reporting.periods import PeriodError, last_ended_month, parse_period, require_ended
    from bot.reporting.report import publish

    today = utc_today()
    try:
        period = parse_period(args.period) if args.period else last_ended_month(today)
        require_ended(period, today)
    except PeriodError as e:
        raise ConfigError(f"--period: {e}") from None
    db = Database(settings.database_url)
    try:
        await db.migrate()
        written = await publish(db, load_contract(settings), period, args.out, today=today)
    finally:
        await db.dispose()
    print(f"Report {period.label}: {written.html}", file=sys.stderr)
    print(f"{len(written.csv)} CSV files in {args.out}", file=sys.stderr)
    return 0


async def review(settings: Settings, args: argparse.Namespace) -> int:
    from bot.reporting.review import QuestionCollector, export_yaml

    db = Database(settings.database_url)
    try:
        await db.migrate()
        collector = QuestionCollector(db, enabled=settings.collect_questions)
        if args.action == "purge":
            days = args.days if args.days is not None else settings.retention_days
            if days < 1:
                raise ConfigError("--days must be 1 or more")
            removed = await collector.purge(days)
            print(f"Removed {removed} review item(s) older than {days} days.", file=sys.stderr)
            return 0
        items = await collector.items(since=args.since)
    finally:
        await db.dispose()
    text = export_yaml(items, exported=utc_today())
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(items)} item(s) written to {args.out}", file=sys.stderr)
    if not settings.collect_questions:
        print("(MIP_COLLECT_QUESTIONS is off: no new questions are being kept.)", file=sys.stderr)
    return 0
