"""North Koreans entering China legally, by year, as the press relayed China's figures.

A bar for the newest copy of each year, and a point for each copy that gives
a different number, so a reader sees where the relayed figures disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import cite, gid, listed, of_part, series_row, stated, value_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-china-visitors-annual"
SERIES = "china-visitors"


def rows(ds) -> list[dict]:
    """Each year's newest relayed figure, then the other copies' figures where they differ."""
    current = ds.official(SERIES)
    others = [f for f in ds.series(SERIES) if f.is_official and f.period_type == "year"
              and f not in current and f.value != next(c.value for c in current if c.quantity == f.quantity)]
    return [series_row(ds, f, part=part) for part, figures in (("newest copy", current), ("other copy", others))
            for f in figures]


def _year(row) -> int:
    return int(row["period_end"][:4])


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    from ._marks import legend

    years, others = of_part(rows, "newest copy"), of_part(rows, "other copy")
    with style.house_style():
        fig = Figure(figsize=(4.4, 3.6))
        ax = fig.subplots()
        for row in years:
            ax.bar([_year(row)], [row["value"]], width=0.6, color=style.GREEN, gid=gid(row["id"]))
        for row in others:
            ax.plot([_year(row)], [row["value"]], marker="D", markersize=6, color=style.INK, linestyle="None",
                    gid=gid(row["id"]), zorder=4)
        ax.set_ylim(value_limits(rows, floor=0, headroom=0.1))
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        # Years as numbers, labelled as many as fit: a new year of data never crowds the axis.
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
        ax.set_ylabel("People entering China")
        ax.tick_params(axis="x", length=0)
        handles = [Patch(color=style.GREEN, label="newest copy of the year")]
        if others:
            handles.append(Line2D([], [], marker="D", markersize=6, color=style.INK, linestyle="None",
                                  label="another copy differs"))
        legend(fig, handles, width=30, loc="outside lower center", ncols=2)
    return fig


def title(rows) -> str:
    """The takeaway: the peak of the yearly entries, and the newest year relayed."""
    years = of_part(rows, "newest copy")
    peak, newest = max(years, key=lambda r: r["value"]), max(years, key=lambda r: r["period_end"])
    return (f"Legal entries of North Koreans into China peaked at {stated(peak)} in {peak['period']}; "
            f"{stated(newest)} in {newest['period']}, the newest year relayed")


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        f"{rows[0]['what']}, by year, as the press relayed China's figures: a bar for the newest copy of each "
        f"year, a diamond where another copy gives a different number. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    others = of_part(rows, "other copy")
    differing = f"; other copies give {listed(others, '{value} for {period} ({source_label})')}" if others else ""
    return (f"Bar chart of North Koreans entering China legally by year, as relayed: "
            f"{listed(of_part(rows, 'newest copy'), '{value} in {period}')}{differing}.")
