"""Market income in North Korea: the defector survey's share and the experts' range, in percent.

The sources give two shares, each of a different group, so they stand side
by side on one 0-100% axis, each under a label naming its source and the
population it describes.  The survey's "a little more than half" is an
arrow, as every lower bound is, so it does not read as a measurement; the
experts' range is a bar from low to high.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from . import style
from ._rows import capitalised, cite, is_lower_bound, listing, stated, surveyed_row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "series")
LABEL = "fig-market-income"

SURVEY, EXPERTS = "survey-no-state-pay-2014-wsj2015", "market-income-share-wsj2015"


def rows(ds) -> list[dict]:
    """The survey's share who got no money from the state, and the experts' range for income from markets."""
    return [surveyed_row(ds, ds.figure(i)) for i in (SURVEY, EXPERTS)]


def _source(row) -> str:
    """Who says so and the short source label: 'SNU IPUS survey, WSJ 2015'."""
    return ", ".join(filter(None, (row["said_by"], row["source_label"])))


def _label(row) -> str:
    """A share's axis label: whom it describes, then its source."""
    who = capitalised(row["population"])
    return "\n".join(textwrap.fill(line, 16) for line in (who, f"({_source(row)})"))


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, PercentFormatter

    from ._marks import legend, lower_bound_handle, note, range_bar, source_styles

    styles = source_styles(rows)
    with style.house_style():
        fig = Figure(figsize=(4.4, 4.4))
        ax = fig.subplots()
        for x, row in enumerate(rows):
            range_bar(ax, x, row, styles[row["source"]][0], width=0.45)
            top, lift = (row["high"], 4) if row["value"] is None else (row["value"], 22 if is_lower_bound(row) else 9)
            note(ax, x, top, textwrap.fill(f"{stated(row)} {row['short']}", 16), xytext=(0, lift),
                 textcoords="offset points", ha="center", va="bottom")
        ax.set_xticks(range(len(rows)), [_label(r) for r in rows], fontsize=style.NOTE_SIZE)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, len(rows) - 0.4)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_ylabel("Share (percent)")
        legend(ax, [lower_bound_handle()], loc="lower right")
    return fig


def _experts(rows) -> dict:
    return next(r for r in rows if r["id"] == EXPERTS)


def title(rows) -> str:
    """The takeaway: the experts' estimate of the markets' share of income."""
    estimate = _experts(rows)
    return f"Markets give {stated(estimate)} of North Koreans' income, experts estimated in {estimate['period'][-4:]}"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "Two shares on one scale, each of a different group: the SNU IPUS survey's lower bound for defectors "
        "who got no money from the state, and the range unnamed experts give for North Koreans' income from "
        f"markets. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    shares = [f"{r['short']}: {stated(r)} ({r['population']}; {_source(r)})" for r in rows]
    bounds = [r["short"] for r in rows if is_lower_bound(r)]
    bound = f" The figure for {listing(bounds)} is a lower bound." if bounds else ""
    return f"Chart of two shares on a scale from 0 to 100 percent: {listing(shares)}.{bound}"
