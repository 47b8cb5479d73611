"""What the United States and South Korea give a North Korean refugee to resettle, in dollars.

The sums differ fiftyfold, so the dollars run on a log scale.  Stated ranges
are bars from low to high; the stipend's total over its months is derived
(the monthly range times the months), hatched as every derived bar is.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from . import style
from ._rows import cite, derived_row, listed, stated, value_limits
from ._us import us_row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "series")
LABEL = "fig-us-support"

SUPPORT = ("us-stipend-upi2015", "sk-resettlement-grant-upi2015", "sk-resettlement-housing-upi2015")


def _stipend_total(ds) -> dict:
    """The stipend over its whole duration: monthly low and high times the months."""
    stipend, months = ds.figure("us-stipend-upi2015"), ds.figure("us-stipend-months-upi2015")
    info = ds.series_info[stipend.series]
    return derived_row(
        [stipend, months], f"{stipend.id} × {months.id}", low=stipend.low * months.value,
        high=stipend.high * months.value, unit="USD", series=stipend.series,
        short=f"{info.label} over {months.value} months", what=f"{info.title}, {months.value} months in all", note="",
        official=False,
    )


def rows(ds) -> list[dict]:
    """The US stipend, its total over its months (derived), then South Korea's grant and housing support."""
    stipend, *south_korea = (ds.figure(i) for i in SUPPORT)
    return [us_row(ds, stipend), _stipend_total(ds), *(us_row(ds, f) for f in south_korea)]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import LogLocator, StrMethodFormatter

    from ._marks import derived_bar_handle, legend, range_bar, value_note

    with style.house_style():
        fig = Figure(figsize=(4.4, 3.0))
        ax = fig.subplots()
        ax.set_xscale("log")
        ax.set_xlim(value_limits(rows, log=True, headroom=0.2))
        for y, row in enumerate(rows):
            colour = style.BLUE if row["series"].startswith("us-") else style.VERMILLION
            range_bar(ax, y, row, colour, width=0.5, horizontal=True)
            value_note(ax, y, row)
        ax.xaxis.set_major_locator(LogLocator(numticks=20))  # every power of ten, none skipped
        ax.xaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
        ax.set_yticks(range(len(rows)), [textwrap.fill(r["short"], 21) for r in rows])
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("US dollars (log scale)")
        legend(fig, [derived_bar_handle()], loc="outside lower center")
    return fig


def _stipend_in_all(rows) -> dict:
    return next(r for r in rows if r["derived"])


def title(rows) -> str:
    """The takeaway: South Korea's cash grant against the most the US stipend adds up to."""
    grant, total = next(r for r in rows if r["id"] == SUPPORT[1]), _stipend_in_all(rows)
    times = grant["value"] / total["high"]
    compared = f"more than {int(times)} times" if times >= 2 else "more than" if times > 1 else "no more than"
    return f"South Korea's grant of {stated(grant)} is {compared} the US stipend's {stated(total)} in all"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "Resettlement support for a North Korean refugee in the United States and in South Korea, on a log scale; "
        f"the stipend's total over its months is derived. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    return f"Chart of resettlement support on a log scale: {listed(rows, '{short} {value}')}."
