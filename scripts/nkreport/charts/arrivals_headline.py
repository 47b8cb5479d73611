"""The headline: the ministry's count of arrivals each year, from its first cell to its newest year.

One series, one vintage: every bar is the Ministry of Unification's current
table (the newest release of each year), so the peak and the newest year that
the title compares come from the same table, never a press figure of another
vintage.  The ministry's first two cells cover several years (up to 1998, and
1999-2001); they are stated in words, not drawn as bars a reader would take
for single years.  The peak and the newest year are labelled on their bars so
the title's comparison can be read off the chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import cite, figure_row, gid, listing, stated, value_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("official", "releases", "series")
LABEL = "fig-arrivals-headline"
SERIES = "arrivals"


def rows(ds) -> list[dict]:
    """The current official value of every period, first cells included; the peak and newest years marked."""
    info = ds.series_info[SERIES]
    annual = ds.official(SERIES)
    peak, newest = ds.peak(SERIES), annual[-1]
    cells = [f for f in ds.official(SERIES, ("before", "date-range")) if f.period_end < annual[0].period_start]
    return [
        *(figure_row(f, kind="cell", what=info.title, provisional=f.provisional) for f in cells),
        *(figure_row(f, kind="peak" if f.id == peak.id else "newest" if f.id == newest.id else "year",
                     what=info.title, provisional=f.provisional) for f in annual),
    ]


def _years(rows):
    return [r for r in rows if r["kind"] != "cell"]


def _the(rows, kind):
    return next(r for r in rows if r["kind"] == kind)


def _year_words(row) -> str:
    return f"{row['period']}, provisional" if row["provisional"] else row["period"]


def title(rows) -> str:
    """The takeaway, from the data: the fall from the peak to the newest year."""
    peak, newest = _the(rows, "peak"), _the(rows, "newest")
    return f"Arrivals fell from {stated(peak)} in {peak['period']} to {stated(newest)} in {_year_words(newest)}"


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    from ._marks import note

    colours = {"peak": style.VERMILLION, "newest": style.BLUE, "year": style.GREEN}
    with style.house_style():
        fig = Figure(figsize=(4.4, 3.6))  # 4.4 in wide: its text reads on a phone
        ax = fig.subplots()
        for row in _years(rows):
            year = int(row["period_end"][:4])
            ax.bar([year], [row["value"]], width=0.75, color=colours[row["kind"]], gid=gid(row["id"]))
        for kind in ("peak", "newest"):
            row = _the(rows, kind)
            note(ax, int(row["period_end"][:4]), row["value"], f"{stated(row)}\n{_year_words(row)}",
                 ha="center", va="bottom", xytext=(0, 3), textcoords="offset points")
        for line, row in enumerate(r for r in rows if r["kind"] == "cell"):
            note(ax, 0.99, 0.97 - 0.09 * line, f"{stated(row)} {_cell_period(row)}", xycoords="axes fraction",
                 ha="right", va="top", gid=gid(row["id"]))
        ax.set_ylim(value_limits(_years(rows), floor=0, headroom=0.15))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_ylabel("People per year")
        ax.tick_params(axis="x", length=0)
    return fig


def _cell_period(row) -> str:
    """A cell of several years as the ministry's table heads it: 'up to 1998', 'in 1999–2001'."""
    return f"up to {row['period_end'][:4]}" if row["period_type"] == "before" else f"in {row['period']}"


def caption(rows) -> str:
    """What to see, in two sentences, then the sources; the values are in the alt text and the table."""
    years = _years(rows)
    peak = _the(rows, "peak")
    return (
        f"Defectors arriving in South Korea each year, {years[0]['period']}–{years[-1]['period']}, in the Ministry "
        f"of Unification's current table: the rise to the peak of {peak['period']}, the fall under Kim Jong-un's "
        "border controls and the collapse after the border closed in 2020. Every bar comes from the same table, "
        f"so the years compare like with like. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    cells = listing([f"{stated(r)} {_cell_period(r)}" for r in rows if r["kind"] == "cell"])
    years = listing([f"{stated(r)} in {_year_words(r)}" for r in _years(rows)])
    return (
        f"Bar chart of defectors arriving in South Korea each year, from the Ministry of Unification's current "
        f"table: {years}. Before the bars, the table counts {cells}. The highest bar is {_the(rows, 'peak')['period']}."
    )
