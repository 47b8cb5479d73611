"""North Korean refugees admitted to the United States, by US fiscal year.

Bars are the State Department's figures as the press has relayed them (the
newest copy of each year); points are the archive's press figures for the
same fiscal years, so a figure the newer copies revise stands apart from its
bar.  A fiscal year with no admissions is a bold tick on zero, which can be
seen and pointed at, where a bar would have no height.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import cite, gid, listed, stated, value_limits, year_span
from ._us import fiscal_press, us_row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-us-admissions"


def rows(ds) -> list[dict]:
    """The current official value of each fiscal year, then the archive's figures for fiscal years."""
    return [*(us_row(ds, f) for f in ds.official("us-admissions", ("fiscal-year",))),
            *(us_row(ds, f) for f in fiscal_press(ds))]


def _official(rows):
    return [r for r in rows if r["official"]]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.ticker import MaxNLocator, MultipleLocator

    from ._marks import legend, point, source_handles, source_styles

    press = [r for r in rows if not r["official"]]
    styles = source_styles(press)
    with style.house_style():
        fig = Figure(figsize=(4.4, 3.6))
        ax = fig.subplots()
        for row in rows:
            x0, x1 = year_span(row)
            if not row["official"]:
                point(ax, (x0 + x1) / 2, row["value"], row, *styles[row["source"]], size=6.5)
            elif row["value"] == 0:
                # No admissions: a bar of no height could be neither seen nor pointed at; a bold tick on zero can.
                ax.hlines(0, x0 + 0.1, x1 - 0.1, colors=style.INK, linewidth=3, gid=gid(row["id"]), zorder=3,
                          clip_on=False)
            else:
                ax.add_patch(Rectangle((x0 + 0.1, 0), x1 - x0 - 0.2, row["value"], facecolor=style.SKY,
                                       edgecolor=style.INK, linewidth=0.4, gid=gid(row["id"]), zorder=2))
        spans = [year_span(r) for r in rows]
        ax.set_xlim(int(min(s for s, _ in spans)), int(max(e for _, e in spans)) + 1)
        ax.set_ylim(value_limits(rows, floor=0, headroom=0.1))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # people come whole
        ax.xaxis.set_major_locator(MultipleLocator(5))
        ax.xaxis.set_minor_locator(MultipleLocator(1))
        ax.set_ylabel("People admitted")
        ax.set_xlabel("US fiscal year (Oct–Sep), by the year it ends")
        legend(fig, [Patch(facecolor=style.SKY, edgecolor=style.INK, linewidth=0.4,
                           label="State Department, as relayed"), *source_handles(styles, press)],
               loc="outside lower center", ncols=2)
    return fig


def title(rows) -> str:
    """The takeaway: the peak fiscal year, and the newest year found."""
    official = _official(rows)
    peak, newest = max(official, key=lambda r: r["value"]), max(official, key=lambda r: r["period_end"])
    return (f"US admissions of North Korean refugees peaked at {stated(peak)} in {peak['period']}; "
            f"{stated(newest)} in {newest['period']}, the newest year found")


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "North Korean refugees admitted to the United States by US fiscal year: bars are the State Department's "
        "figures as the press relayed them, points the figures the archive's reports gave at the time. "
        f"Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    press = [r for r in rows if not r["official"]]
    return (
        "Bar chart of North Korean refugees admitted to the United States by fiscal year: "
        f"{listed(_official(rows), '{value} in {period}')}; the archive's figures: "
        f"{listed(press, '{value} in {period}')}."
    )
