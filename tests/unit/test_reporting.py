"""The report on a seeded SQLite database: known counts, small counts hidden, files written."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli import reporting as cli_reporting
from bot.cli.main import main
from bot.contract import Contract
from bot.reporting.periods import parse_period
from bot.reporting.report import CUBE_CSV, load_figures, write_report
from bot.storage.db import Database
from tests.conftest import INTENTS
from tests.reporting_cases import check_known_counts, seed, seeded_figures


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}")
    await database.migrate()
    yield database
    await database.dispose()


async def test_report_shows_known_counts_and_hides_small_ones(
    db: Database, contract: Contract
) -> None:
    check_known_counts(await seeded_figures(db, contract))


async def test_report_files_html_and_csv(db: Database, contract: Contract, tmp_path: Path) -> None:
    written = write_report(await seeded_figures(db, contract), tmp_path / "out")
    names = sorted(p.name for p in written.csv)
    assert CUBE_CSV in names and "overview.csv" in names and "municipalities.csv" in names
    with (tmp_path / "out" / "overview.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Week" and rows[1][:3] == ["2026-W44", "0", "0"]  # Sunday 1 November
    assert rows[2][:3] == ["2026-W45", "44", "38"]
    html = written.html.read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,') >= 6
    assert "&lt;5" in html and "No person can be recognised" in html
    for secret in ("user", "tg:", "chat_id"):
        assert secret not in html


async def test_period_limits_the_report(db: Database, contract: Contract) -> None:
    await seed(db)
    figures = await load_figures(db, contract, parse_period("2026-W45"))
    assert figures.weeks == ["2026-W45"]
    assert figures.d.text(figures.q()) == "44"


async def test_empty_database_gives_an_empty_but_valid_report(
    db: Database, contract: Contract, tmp_path: Path
) -> None:
    written = write_report(
        await load_figures(db, contract, parse_period("2026-Q3")), tmp_path / "empty"
    )
    html = written.html.read_text(encoding="utf-8")
    assert "Not enough data for a chart." in html


def test_report_command_writes_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"

    async def seeded() -> None:
        database = Database(url)
        await database.migrate()
        await seed(database)
        await database.dispose()

    asyncio.run(seeded())
    monkeypatch.setenv("MIP_DATABASE_URL", url)
    monkeypatch.setenv("MIP_INTENTS_DIR", str(INTENTS))
    monkeypatch.setattr(cli_reporting, "utc_today", lambda: dt.date(2026, 11, 20))
    out = tmp_path / "cli-report"
    assert main(["report", "--period", "2026-W46", "--out", str(out)]) == 0
    assert (out / "report.html").is_file() and (out / "overview.csv").is_file()
    overview = (out / "overview.csv").read_text(encoding="utf-8")
    assert "2026-W46" in overview and "2026-W45" not in overview
    assert "2026-W46" in (out / "report.html").read_text(encoding="utf-8")
    # A period that has not ended, or one that is no period at all, is refused.
    assert main(["report", "--period", "2026-W47", "--out", str(out)]) == 2
    assert "ends on 2026-11-22" in capsys.readouterr().err
    assert main(["report", "--period", "2026-11-09", "--out", str(out)]) == 2
    with pytest.raises(SystemExit):  # free dates are gone
        main(["report", "--since", "2026-11-09", "--out", str(out)])
    # The default is the last month that has ended.
    assert main(["report", "--out", str(out)]) == 0
    assert "Report 2026-10" in capsys.readouterr().err
