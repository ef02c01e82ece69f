"""`mip report`: the HTML report and its CSV files of one period, written to a folder."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.contract import Contract
from bot.reporting import page
from bot.reporting.figures import Figures
from bot.reporting.periods import ReportPeriod
from bot.reporting.published import load_published, protected_figures, record_published
from bot.reporting.sections import cube_rows, sections
from bot.storage.db import Database

CUBE_CSV = "questions_per_week_topic_language.csv"


@dataclass(frozen=True)
class Written:
    html: Path
    csv: list[Path]
    figures: Figures


async def load_figures(db: Database, contract: Contract, period: ReportPeriod) -> Figures:
    """The protected counts of `period`, checked against every other published report."""
    published = await load_published(db, besides=period.label)
    return await protected_figures(db, contract, period, published)


async def publish(
    db: Database, contract: Contract, period: ReportPeriod, out: Path, *, today: dt.date
) -> Written:
    """Write the report of `period` and record what it showed (for the reports after it)."""
    figures = await load_figures(db, contract, period)
    written = write_report(figures, out, label=period.label)
    await record_published(db, period, figures, today)
    return written


def write_report(figures: Figures, out: Path, *, label: str = "") -> Written:
    """report.html and one CSV per table in `out` (created if needed)."""
    parts = sections(figures)
    out.mkdir(parents=True, exist_ok=True)
    written = [_write_csv(out / f"{s.slug}.csv", s.header, s.rows) for s in parts]
    written.append(
        _write_csv(out / CUBE_CSV, ["week", "topic", "language", "questions"], cube_rows(figures))
    )
    html = out / "report.html"
    html.write_text(
        page.render(
            parts,
            since=figures.period.since,
            until=figures.period.until,
            label=label,
            generated=dt.datetime.now(dt.UTC).date(),
        ),
        encoding="utf-8",
    )
    return Written(html, written, figures)


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
