"""Women's share of defectors arriving in South Korea, over time.

Stated shares are points whose horizontal line spans the period they cover
(a half, a year, January-May); "more than" thresholds are arrows, so they do
not read as measurements.  Where a source also gives the counts, the share
is recomputed from them and drawn hollow beside the stated one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..derived import share
from . import style
from ._rows import (
    LOWER_BOUND_QUALIFIERS,
    cite,
    derived_row,
    dodge,
    figure_row,
    gid,
    listing,
    stated,
    value_limits,
    when,
    year_runs,
    year_span,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "official", "releases", "events", "series")
LABEL = "fig-women-share"


def _derived(ds) -> list[dict]:
    """Shares recomputed from a source's own counts of women and of all arrivals for one period."""
    found = []
    for women in ds.press("women-arrivals"):
        for whole in ds.press("arrivals"):
            same = (whole.source, whole.period_start, whole.period_end) == (
                women.source, women.period_start, women.period_end)
            if same:
                found.append(derived_row(
                    [women, whole], f"{women.id} / {whole.id} × 100", value=share(women.value, whole.value),
                    unit="percent", kind="derived", what=ds.series_info["women-share"].title,
                ))
    return found


def _official(ds) -> list[dict]:
    """Each year's share from the ministry's current counts of women and of all arrivals."""
    totals = {f.quantity[1:]: f for f in ds.official("arrivals")}
    return [
        derived_row([women, whole], f"{women.id} / {whole.id} × 100", value=share(women.value, whole.value),
                    unit="percent", kind="official", what=ds.series_info["women-share"].title)
        for women in ds.official("women-arrivals")
        for whole in [totals.get(women.quantity[1:])] if whole
    ]


def rows(ds) -> list[dict]:
    """Stated shares and thresholds, then shares recomputed from counts (the press's, then the ministry's)."""
    title = ds.series_info["women-share"].title
    stated_rows = [figure_row(f, kind="lower bound" if f.qualifier in LOWER_BOUND_QUALIFIERS else "stated",
                              what=title) for f in ds.press("women-share")]
    return [*stated_rows, *_derived(ds), *_official(ds)]


def _marks(rows):
    return [r for r in rows if r["kind"] in ("stated", "lower bound", "derived")]


def _yearly(rows):
    return [r for r in rows if r["kind"] == "official"]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import PercentFormatter

    from ._marks import (
        axis_for,
        derived_handle,
        legend,
        lower_bound_handle,
        point,
        source_handles,
        source_styles,
        split_year_axes,
    )

    marks = _marks(rows)
    styles = source_styles(marks)
    with style.house_style():
        fig = Figure(figsize=(4.4, 5.0))
        # Years with nothing stated (2003-2010 today) are left out, giving 2012-2015 the width.
        axes = split_year_axes(fig, year_runs(rows))
        for row in _yearly(rows):
            point(axis_for(axes, row), sum(year_span(row)) / 2, row["value"], row, style.INK, "o", size=5)
        spans = [year_span(r) for r in marks]
        # Marks for the same period stand side by side; a period that spans years is a threshold line instead.
        offsets = dodge(spans, 0.13)
        spans_years = []
        for row, (x0, x1), offset in zip(marks, spans, offsets, strict=True):
            colour, marker = styles.get(row["source"], (style.INK, "o"))
            x = (x0 + x1) / 2
            ax = axis_for(axes, row)
            if x1 - x0 > 1.5:
                ax.hlines(row["value"], x0, x1, colors=colour, linewidth=1.6, linestyles=(0, (4, 2)),
                          gid=gid(row["id"], "period"))
                point(ax, x, row["value"], row, colour, marker)
                # Named in the legend: a note along a four-year line would run into the yearly points.
                spans_years.append(Line2D([], [], color=colour, linewidth=1.6, linestyle=(0, (4, 2)),
                                          label=f"{stated(row)} {when(row)}, {row['source_label']}"))
                continue
            ax.hlines(row["value"], x0, x1, colors=colour, linewidth=1.2, gid=gid(row["id"], "period"),
                      zorder=1.5 if row["derived"] else 2)
            point(ax, x + offset, row["value"], row, colour, marker)
        axes[0].set_ylim(value_limits(marks + _yearly(rows), headroom=0.1, footroom=0.1, bounds=(0, 100)))
        axes[0].yaxis.set_major_formatter(PercentFormatter(decimals=0))
        axes[0].set_ylabel("Women among arrivals")
        handles = [*source_handles(styles, marks), lower_bound_handle()]
        if any(r["derived"] for r in marks):
            handles.append(derived_handle())
        if _yearly(rows):
            handles.append(Line2D([], [], linestyle="None", marker="o", markersize=5, color=style.INK,
                                  markerfacecolor="white", label="ministry's current counts (derived)"))
        legend(fig, handles + spans_years, loc="outside lower center", ncols=2)
    return fig


def _describe(row):
    source = "recomputed from counts" if row["derived"] else row["source_label"]
    return f"{stated(row)} {when(row)} ({source})"


def title(rows) -> str:
    """The takeaway: in how many years of the ministry's counts women were most arrivals, and the newest share."""
    yearly = sorted(_yearly(rows), key=lambda r: r["period_end"])
    most = sum(r["value"] > 50 for r in yearly)
    newest = yearly[-1]
    return (f"Women were most arrivals in {most} of {len(yearly)} years, {yearly[0]['period']}–{newest['period']}; "
            f"{stated(newest)} in {newest['period']}")


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        f"{rows[0]['what']} as the press stated it, each point with a line spanning its period; arrows are "
        "lower bounds (\"more than\"), hollow points the share recomputed here from the same source's counts "
        "(derived). Small points are each year's share from the Ministry of Unification's current counts. "
        f"Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    marks = sorted(_marks(rows), key=lambda r: (r["period_end"], r["period_start"], r["derived"]))
    yearly = listing([f"{stated(r)} in {r['period']}" for r in _yearly(rows)])
    return (
        f"Dot chart of {rows[0]['what'].replace('Women', 'women', 1)} over time: "
        f"{listing([_describe(r) for r in marks])}. "
        f"From the Ministry of Unification's current counts, the share was {yearly}."
    )
