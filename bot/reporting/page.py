"""The HTML page of the report: one self-contained file (charts embedded), plain CSS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from bot.reporting.disclosure import HIDDEN, SMALL, THRESHOLD
from bot.reporting.sections import Section

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1b1b1b; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 2px solid #0072B2; padding-bottom: .2rem; }
.lead { color: #444; margin-top: 0; }
.privacy { background: #f3f7fb; border-left: 4px solid #0072B2; padding: .6rem 1rem; }
.note { color: #444; font-size: .95rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .92rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .7rem; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; vertical-align: bottom; white-space: normal; }
tbody tr:last-child td, tbody tr:last-child th { font-weight: 600; border-top: 2px solid #999; }
td.hidden { color: #777; }
img { max-width: 100%; height: auto; display: block; margin: .8rem 0; }
nav ol { columns: 2; }
footer { margin-top: 3rem; color: #666; font-size: .85rem; }
"""


def render(
    sections: Sequence[Section],
    *,
    since: dt.date,
    until: dt.date,
    generated: dt.date,
    label: str = "",
) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Migration Information Point bot: report {escape(label) or since} "
        f"({since} to {until})</title>",
        f"<style>{CSS}</style></head><body>",
        "<header><h1>Migration Information Point bot: what people asked</h1>",
        f'<p class="lead">Period{" " + escape(label) if label else ""}: '
        f"<strong>{since:%d %B %Y}</strong> to "
        f"<strong>{until:%d %B %Y}</strong> (weeks are ISO weeks, Monday to Sunday; the first "
        "and last may be cut by the period). "
        f"Made on {generated:%d %B %Y}.</p></header>",
        '<section class="privacy"><p><strong>No person can be recognised in this report.</strong> '
        "The bot stores no names, chat ids or message text for it, only what kind of question "
        "was asked, in which language, on which day. "
        f"A number below {THRESHOLD} is shown as <strong>{escape(SMALL)}</strong>. "
        f"A number shown as <strong>{HIDDEN}</strong> is hidden because, together with a total, "
        f"it would reveal a number below {THRESHOLD}, or, taken from the reports of other "
        "periods, would. Reports cover whole ISO weeks, months or quarters only. "
        "Percentages and waiting times are only "
        "shown when every number they come from is shown. Charts leave hidden numbers out.</p>"
        "</section>",
        "<nav><h2>Contents</h2><ol>",
        *(f'<li><a href="#{s.slug}">{escape(s.title)}</a></li>' for s in sections),
        "</ol></nav>",
    ]
    for section in sections:
        parts.append(_section(section))
    parts.append(
        "<footer>Each table is also in a CSV file of the same name next to this page "
        "(open it in a spreadsheet). Made by <code>mip report</code>.</footer></body></html>"
    )
    return "\n".join(parts)


def _section(section: Section) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in section.header)
    body = []
    for row in section.rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>'] if row else []
        for value in row[1:]:
            hidden = ' class="hidden"' if value in (SMALL, HIDDEN) else ""
            cells.append(f"<td{hidden}>{escape(value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    chart = (
        f'<img src="data:image/png;base64,{section.chart}" alt="{escape(section.chart_alt)}">'
        if section.chart
        else '<p class="note"><em>Not enough data for a chart.</em></p>'
    )
    return (
        f'<section id="{section.slug}"><h2>{escape(section.title)}</h2>'
        f'<p class="note">{escape(section.note)}</p>{chart}'
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )
