"""Charts as base64 PNG for the HTML report (matplotlib, no display needed).

Only shown counts are drawn; a hidden count ("<5" or "x") is left out of the bar.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

from matplotlib.figure import Figure

# Colour-blind-safe (Okabe-Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def bars(
    categories: Sequence[str],
    series: dict[str, Sequence[int | float | None]],
    *,
    title: str,
    unit: str,
    horizontal: bool = False,
    stacked: bool = True,
) -> str | None:
    """A (stacked) bar chart as base64 PNG, or None when there is nothing to draw."""
    clean = {name: [float(v or 0) for v in values] for name, values in series.items()}
    if not categories or not any(v for values in clean.values() for v in values):
        return None
    height = max(3.2, 0.38 * len(categories) + 1.2) if horizontal else 3.6
    fig = Figure(figsize=(8.5, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    positions = [float(i) for i in range(len(categories))]
    base = [0.0] * len(categories)
    width = 0.8 if stacked else 0.8 / max(1, len(clean))
    for i, (name, values) in enumerate(clean.items()):
        colour = COLOURS[i % len(COLOURS)]
        if stacked:
            where, offset = positions, base
        else:
            where, offset = [p - 0.4 + width * (i + 0.5) for p in positions], [0.0] * len(base)
        if horizontal:
            ax.barh(where, values, height=width, left=offset, label=name, color=colour)
        else:
            ax.bar(where, values, width=width, bottom=offset, label=name, color=colour)
        if stacked:
            base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        ax.set_yticks(positions, list(categories))
        ax.invert_yaxis()
        ax.set_xlabel(unit)
    else:
        ax.set_xticks(
            positions,
            list(categories),
            rotation=45 if len(categories) > 6 else 0,
            ha="right" if len(categories) > 6 else "center",
        )
        ax.set_ylabel(unit)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    if len(clean) > 1:
        ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")
