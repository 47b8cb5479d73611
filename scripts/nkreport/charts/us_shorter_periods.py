"""North Korean refugees admitted to the United States in periods shorter than a fiscal year.

The periods run from a month to most of a year, so each count is a labelled
row of its own, named by its period and source, not a place on a time axis
where a month could be read as a year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import cite, listed, stated, value_limits
from ._us import us_row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-us-shorter-periods"


def rows(ds) -> list[dict]:
    """Every count of admissions for a period other than a whole year."""
    return [us_row(ds, f) for f in ds.series("us-admissions") if f.period_type not in ("fiscal-year", "year")]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from ._marks import note, point

    with style.house_style():
        fig = Figure(figsize=(4.4, 1.2 + 0.5 * len(rows)))
        ax = fig.subplots()
        for y, row in enumerate(rows):
            point(ax, row["value"], y, row, style.BLUE)
            note(ax, row["value"], y, f"{row['value']:,}", xytext=(10, 0), textcoords="offset points", va="center")
        # Each row names its period and, under it, the outlet: no legend to look up.
        ax.set_yticks(range(len(rows)), [f"{r['period']}\n{r['source_label']}" for r in rows])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(value_limits(rows, floor=0, headroom=0.15))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # people come whole
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("People admitted in the period")
    return fig


def title(rows) -> str:
    """The takeaway: the largest count for a part of a year, and its period."""
    most = max(rows, key=lambda r: r["value"])
    return f"Admissions in parts of a year: at most {stated(most)}, in {most['period']}"


def caption(rows) -> str:
    """What to see, in one sentence; the values are in the alt text and the chart's table."""
    return (
        "North Korean refugees admitted to the United States in periods shorter than a fiscal year, each period "
        f"a row of its own, named with the outlet that reported it. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    return ("Dot chart of North Korean refugees admitted to the United States in shorter periods: "
            f"{listed(rows, '{value} in {period} ({source_label})')}.")
