"""How the SNU IPUS survey's later respondents made a living, by year, as the press reported it.

Every result is a share of one round's respondents, so they share one
0-100% axis; each kind of result has its own colour and marker, and years
with no reported result stay empty rather than joined by a line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import capitalised, cite, gid, listed, stated, surveyed_row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("official", "releases", "series")
LABEL = "fig-survey-work"

RESULTS = ("survey-official-work-share", "survey-informal-work-share", "survey-no-official-income-share")
TREND = RESULTS[0]  # the one result reported for several years


def rows(ds) -> list[dict]:
    """The current value of each result for each year the press reported it."""
    return [surveyed_row(ds, f, series=series) for series in RESULTS for f in ds.official(series)]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator, PercentFormatter, StrMethodFormatter

    from ._marks import MARKERS, legend

    looks = {series: (colour, marker) for series, colour, marker
             in zip(RESULTS, (style.BLUE, style.GREEN, style.VERMILLION), MARKERS, strict=False)}
    with style.house_style():
        fig = Figure(figsize=(4.4, 3.9))
        ax = fig.subplots()
        for row in rows:
            colour, marker = looks[row["series"]]
            ax.plot([row["year"]], [row["value"]], marker=marker, markersize=7, color=colour, linestyle="None",
                    gid=gid(row["id"]), zorder=3)
        years = [r["year"] for r in rows]
        ax.set_xlim(min(years) - 0.7, max(years) + 0.7)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
        ax.set_ylabel("Share of respondents")
        shown = dict.fromkeys(r["series"] for r in rows)
        labels = {s: capitalised(next(r["short"] for r in rows if r["series"] == s)) for s in shown}
        # Below the axes: inside, the key would cover the points of the first years.
        legend(fig, [Line2D([], [], marker=looks[s][1], linestyle="None", color=looks[s][0], label=labels[s])
                     for s in shown], width=40, loc="outside lower center")
    return fig


def title(rows) -> str:
    """The takeaway: the share in official work, from its highest year to the newest."""
    trend = [r for r in rows if r["series"] == TREND]
    peak, newest = max(trend, key=lambda r: r["value"]), max(trend, key=lambda r: r["year"])
    who = "Survey respondents with a household member in official work"
    if newest is peak:
        return f"{who}: {stated(newest)} in {newest['year']}, the highest reported"
    return f"{who} fell from {stated(peak)} in {peak['year']} to {stated(newest)} in {newest['year']}"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "Results of the SNU IPUS survey's later rounds, each a share of that year's respondents, as the press "
        "reported them; a year without a point is one for which no result was found. "
        f"Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    return ("Dot chart of the SNU IPUS survey's results by year, each a share of that year's respondents: "
            f"{listed(rows, '{value} {short} in {year}')}.")
