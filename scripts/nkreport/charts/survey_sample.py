"""How many defectors each round of the SNU IPUS survey asked, by year.

Bars are the institute's samples as the press reported them, the newest
copy of each year.  The Wall Street Journal's figures of 2015 stand beside
them: its count for the 2014 round is a point on that year's bar, and its
"more than 100 a year" is written on the chart, since it dates no round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import cite, gid, listed, listing, of_part, stated, surveyed_row, value_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-survey-sample"
SERIES = "survey-sample"


def rows(ds) -> list[dict]:
    """Each round's sample (the newest copy), then the press's figures: one round's, and a year's in general."""
    return [*(surveyed_row(ds, f, part="round") for f in ds.official(SERIES)),
            *(surveyed_row(ds, f, part="press") for f in ds.press(SERIES))]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    from ._marks import legend, note

    rounds, press = of_part(rows, "round"), of_part(rows, "press")
    with style.house_style():
        fig = Figure(figsize=(4.4, 3.8))
        ax = fig.subplots()
        for row in rounds:
            ax.bar([row["year"]], [row["value"]], width=0.6, color=style.SKY, edgecolor=style.INK, linewidth=0.4,
                   gid=gid(row["id"]))
        for row in press:
            if row["period_type"] == "year":
                ax.plot([row["year"]], [row["value"]], marker="D", markersize=6, color=style.VERMILLION,
                        linestyle="None", gid=gid(row["id"]), zorder=4)
            else:
                # A number for every year dates no round: words at the top, not a mark at a year.
                note(ax, 0.02, 0.97, f"{row['source_label']}: {stated(row)} a year",
                     xycoords="axes fraction", va="top", gid=gid(row["id"]))
        ax.set_ylim(value_limits(rows, floor=0, headroom=0.2))
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
        ax.set_ylabel("Defectors surveyed")
        ax.tick_params(axis="x", length=0)
        handles = [Patch(facecolor=style.SKY, edgecolor=style.INK, linewidth=0.4, label="each round, as reported")]
        labels = sorted({r["source_label"] for r in press if r["period_type"] == "year"})
        handles += [Line2D([], [], marker="D", markersize=6, color=style.VERMILLION, linestyle="None", label=label)
                    for label in labels]
        legend(fig, handles, width=30, loc="outside lower center", ncols=2)
    return fig


def title(rows) -> str:
    """The takeaway: how small the rounds are, the smallest and the largest with their years."""
    rounds = of_part(rows, "round")
    least, most = min(rounds, key=lambda r: r["value"]), max(rounds, key=lambda r: r["value"])
    return (f"Each round of the SNU IPUS survey asked between {stated(least)} ({least['year']}) and "
            f"{stated(most)} ({most['year']}) defectors")


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "Defectors interviewed in each round of the SNU IPUS survey: bars are the institute's samples as the "
        "press reported them, the diamond and the words at the top the Wall Street Journal's own figures. "
        f"Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    return (f"Bar chart of defectors surveyed by the SNU IPUS survey in each round: "
            f"{listed(of_part(rows, 'round'), '{value} in {year}')}; the press's own figures: "
            f"{listing([_press_words(r) for r in of_part(rows, 'press')])}.")


def _press_words(row) -> str:
    """A press figure in words: '146 in 2014 (WSJ 2015)', or 'more than 100 a year (WSJ 2015)'."""
    when = f"in {row['year']}" if row["period_type"] == "year" else "a year"
    return f"{stated(row)} {when} ({row['source_label']})"
