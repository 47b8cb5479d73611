"""TITLE: one official series, the newest release's value for each year, as bars.

Copied to ``scripts/nkreport/charts/NAME.py`` it is a chart: the package finds
it by its file name. Replace this docstring with what the chart shows and why
it is drawn so, set ``LABEL`` and ``SERIES``, and change ``rows`` and ``draw``
as the chart needs (see CONTRIBUTING, "Add a chart").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import style
from ._rows import capitalised, cite, figure_row, gid, listed, stated, value_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("official", "releases", "series")
# The name chapters refer to it by, {numref}`fig-NAME`: the file's name, hyphens for underscores.
LABEL = "fig-NAME"
# The series it plots: an id of data/series.csv.
SERIES = "SERIES"


def rows(ds) -> list[dict]:
    """Exactly what is plotted: the current official value of each year (the newest release's)."""
    info = ds.series_info[SERIES]
    return [figure_row(f, what=info.title, description=info.description) for f in ds.official(SERIES)]


def draw(rows) -> Figure:
    # matplotlib here, not at the top: a build reads every chart's rows and words without it.
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    with style.house_style():
        fig = Figure(figsize=(4.4, 3.4))  # 4.4 in wide: its text reads on a phone
        ax = fig.subplots()
        for row in rows:
            year = int(row["period_end"][:4])
            ax.bar([year], [row["value"]], width=0.7, color=style.GREEN, gid=gid(row["id"]))
        ax.set_ylim(value_limits(rows, floor=0, headroom=0.1))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_ylabel(capitalised(rows[0]["unit"]))
        ax.tick_params(axis="x", length=0)
    return fig


def title(rows) -> str:
    """The takeaway, set above the chart, its numbers from the rows so that new data moves them."""
    newest = max(rows, key=lambda r: r["period_end"])
    return f"{rows[0]['what']}: {stated(newest)} in {newest['period']}"


def caption(rows) -> str:
    """What to see, in one or two sentences, then the sources; the alt text gives every value."""
    return f"{rows[0]['what']}: each year's value, from the newest release that gives it. Sources: {cite(rows)}."


def alt_text(rows) -> str:
    what = rows[0]["what"]
    return f"Bar chart of {what[:1].lower()}{what[1:]} by year: {listed(rows, '{value} in {period}')}."
