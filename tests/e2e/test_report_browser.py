"""The HTML report in a real browser (Debian's chromium, headless): the charts render.

`make test` installs chromium (`make browser`); elsewhere the test is skipped, except in CI,
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from matplotlib.image import imread

from bot.contract import Contract
from bot.reporting.report import write_report
from bot.storage.db import Database
from tests.reporting_cases import seeded_figures

pytestmark = pytest.mark.e2e

# Run after load: record each image's decoded size on <body>, which --dump-dom then prints.
PROBE = """<script>
window.addEventListener("load", () => {
  const sizes = Array.from(document.images, (i) => i.naturalWidth + "x" + i.naturalHeight);
  document.body.setAttribute("data-image-sizes", sizes.join(" "));
});
</script></body>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make browser` installs it (Debian package)")
        pytest.skip("chromium is not installed (make browser)")
    return found


def run_headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",  # tests run as root in CI containers
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_report_charts_render_in_headless_chromium(
    tmp_path: Path, contract: Contract
) -> None:
    browser = chromium()
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'mip.db'}")
    await db.migrate()
    try:
        figures = await seeded_figures(db, contract)
    finally:
        await db.dispose()
    written = write_report(figures, tmp_path / "report")
    html = written.html.read_text(encoding="utf-8")
    expected = html.count("<img ")
    assert expected >= 6
    probe = tmp_path / "report" / "probe.html"
    probe.write_text(html.replace("</body>", PROBE), encoding="utf-8")

    dom = run_headless(
        browser, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()
    )
    match = re.search(r'data-image-sizes="([^"]*)"', dom.stdout)
    assert match, dom.stderr[-2000:]
    sizes = [tuple(map(int, s.split("x"))) for s in match.group(1).split()]
    assert len(sizes) == expected
    assert all(width > 300 and height > 200 for width, height in sizes), sizes
    assert "&lt;5" in dom.stdout and "Questions per topic and language" in dom.stdout

    shot = tmp_path / "report.png"
    run_headless(
        browser,
        tmp_path / "profile",
        "--window-size=1100,1600",
        f"--screenshot={shot}",
        written.html.as_uri(),
    )
    pixels = imread(shot)
    assert pixels.shape[0] == 1600 and pixels.shape[1] == 1100
    assert pixels.std() > 0.05  # text and charts, not a blank page
