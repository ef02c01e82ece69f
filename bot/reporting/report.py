"""`mip report`: the HTML report and its CSV files, written to a folder."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.contract import Contract
from bot.reporting import page
from bot.reporting.figures import Figures, build, load_events
from bot.reporting.sections import cube_rows, sections
from bot.storage.db import Database

CUBE_CSV = "questions_per_week_topic_language.csv"


@dataclass(frozen=True)
class Written:
    html: Path
    csv: list[Path]
    figures: Figures


async def load_figures(
    db: Database,
    contract: Contract,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Figures:
    rows, waits, period = await load_events(db, since, until)
    return build(rows, waits, period, contract)


def write_report(figures: Figures, out: Path) -> Written:
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
