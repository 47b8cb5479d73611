"""The running total of North Korean refugees admitted to the United States since 2006.

Small points are the State Department's running totals as the press relayed
them, each at the date it counts to; larger points are the totals the
archive's reports gave, in their own words.  One of them ("since then, 171")
may or may not count the first group of nine, so it is marked ambiguous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import cite, listed, stated, value_limits, year_span
from ._us import us_row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-us-running-total"

AMBIGUOUS = "us-refugees-after-first-group"  # may or may not count the first nine; see its note
TOTALS = ("us-refugees-total", AMBIGUOUS)
RUNNING = "us-admissions-cumulative"


def rows(ds) -> list[dict]:
    """Every total at a date, the archive's and the State Department's, in order of date."""
    totals = sorted([*(f for s in TOTALS for f in ds.press(s) if f.period_type == "as-of"),
                     *ds.official(RUNNING, ("as-of",))], key=lambda f: (f.period_end, f.id))
    return [us_row(ds, f) for f in totals]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MultipleLocator

    from ._marks import legend, note, point, source_handles, source_styles

    press = [r for r in rows if not r["official"]]
    styles = source_styles(press)
    with style.house_style():
        fig = Figure(figsize=(4.4, 3.6))
        ax = fig.subplots()
        for row in rows:
            x = year_span(row)[1]
            if row["official"]:
                point(ax, x, row["value"], row, style.INK, "o", size=4.5)
            else:
                point(ax, x, row["value"], row, *styles[row["source"]])
                # Values are read off the axis (and the table view); only the one ambiguous total needs words.
                if row["series"] == AMBIGUOUS:
                    note(ax, x, row["value"], "ambiguous", xytext=(0, -9), textcoords="offset points",
                         ha="left", va="top")
        ends = [year_span(r)[1] for r in rows]
        # From 2006, where the count starts, to the year after the newest total, so no point sits on the edge.
        ax.set_xlim(min(2006, int(min(ends))), int(max(ends)) + 2)
        ax.set_ylim(value_limits(rows, floor=0, headroom=0.15))
        ax.xaxis.set_major_locator(MultipleLocator(5))
        ax.xaxis.set_minor_locator(MultipleLocator(1))
        ax.grid(axis="x", visible=False)
        ax.set_ylabel("People admitted since 2006")
        legend(fig, [Line2D([], [], linestyle="None", marker="o", markersize=4.5, color=style.INK,
                            label="State Department, as relayed"), *source_handles(styles, press)],
               loc="outside lower center", ncols=2)
    return fig


def title(rows) -> str:
    """The takeaway: the newest running total the State Department's figures give."""
    newest = max((r for r in rows if r["official"]), key=lambda r: r["period_end"])
    return f"The US admitted {stated(newest)} North Korean refugees from 2006 to {newest['period']}"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "North Korean refugees admitted to the United States since 2006, each point a running total at the date "
        "it counts to: small points the State Department's totals as the press relayed them, larger ones the "
        f"totals the archive's reports gave. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    return (
        "Dot chart of the running total of North Korean refugees admitted to the United States since 2006: "
        f"{listed(rows, '{value} {when} ({source_label})')}."
    )
