"""Who North Korea's legal visitors to China were in the first half of 2015, in percent.

The source gives two shares of the same visitors: the men among them and
those who went to seek work.  Each is a bar of its own on a 0-100% axis,
named under it with the series' label and its value written on top.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from . import style
from ._rows import cite, gid, listed, listing, series_row, stated

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "series")
LABEL = "fig-china-visitors-shares"

SHARES = ("china-visitors-men-share-2015h1-dailynk2015", "china-visitors-jobseekers-share-2015h1-dailynk2015")


def rows(ds) -> list[dict]:
    """The shares of the visitors the source states: men, and those who went to seek work."""
    return [series_row(ds, ds.figure(i)) for i in SHARES]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    from ._marks import note

    with style.house_style():
        fig = Figure(figsize=(4.4, 3.3))
        ax = fig.subplots()
        for x, row in enumerate(rows):
            ax.bar([x], [row["value"]], width=0.6, color=(style.BLUE, style.PURPLE)[x % 2], gid=gid(row["id"]))
            note(ax, x, row["value"] + 2, stated(row), ha="center", va="bottom")
        ax.set_xticks(range(len(rows)), [textwrap.fill(r["short"], 18) for r in rows])
        ax.set_xlim(-0.6, len(rows) - 0.4)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_ylabel(f"Share of visitors, {rows[0]['period']}")
        ax.tick_params(axis="x", length=0)
    return fig


def title(rows) -> str:
    """The takeaway: who the visitors were, each share as the source hedges it."""
    # The labels read as words of the sentence, as in the alt text.
    shares = listing([f"{stated(r)} {r['short'].lower()}" for r in rows])
    return f"North Korea's legal visitors to China in {rows[0]['period']}: {shares}"


def caption(rows) -> str:
    """What to see, in one sentence; the values are in the alt text and the chart's table."""
    return (f"Shares of the North Koreans who entered China legally in {rows[0]['period']}, both shares "
            f"of the same visitors, as the source states them. Sources: {cite(rows)}.")


def alt_text(rows) -> str:
    return (f"Bar chart of shares of North Korean visitors to China in {rows[0]['period']}: "
            f"{listed(rows, '{short} {value}').lower()}.")
