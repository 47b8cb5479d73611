"""Annual arrivals of defectors in South Korea: the ministry's current count against what the press reported.

The bars are the Ministry of Unification's current annual counts; the
points, all in one colour, are the figures the press reported at the time,
so a press figure the ministry later revised stands apart from its bar (each
point names its outlet on hover and in the table).  A dashed box shows the
Chosun Ilbo's 2006-2012 range and a bar its 2012-2013 average, in the same
colour, since they too are what the press said.  The border crackdown, Kim
Jong-un's accession and the 2020 border closure are marked because the falls
in arrivals are read against them.  The ministry's two cells that cover
several years (up to 1998, and 1999-2001) are not annual: they are stated in
words at the left, not drawn as bars.  Women's and men's counts are the
women's-share chart's story, not this one's.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from . import style
from ._rows import (
    LOWER_BOUND_QUALIFIERS,
    cite,
    context_rows,
    context_words,
    figure_row,
    gid,
    is_lower_bound,
    listing,
    stated,
    value_limits,
    year_runs,
    year_span,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "official", "releases", "events", "series")
LABEL = "fig-arrivals-annual"
PRESS = style.VERMILLION  # every figure the press reported, whichever outlet
CONTEXT = ("crackdown", "accession", "closure")


def _figure_row(ds, f, kind):
    # The ministry marks its newest year provisional in the cell's label ("25.12(잠정)") or the row's note.
    provisional = "잠정" in f.cell or "provisional" in f.note.lower()
    return figure_row(f, kind=kind, year=f.year, what=ds.series_info[f.series].title, provisional=provisional)


def rows(ds) -> list[dict]:
    """The official counts, the press's annual figures, band and average, then the context events."""
    press = [f for f in ds.press("arrivals") if f.period_type == "year"]
    return [
        *(_figure_row(ds, f, "total") for f in ds.official("arrivals")),
        *(_figure_row(ds, f, "lower bound" if f.qualifier in LOWER_BOUND_QUALIFIERS else "stated") for f in press),
        *(_figure_row(ds, f, "range") for f in ds.press("arrivals-annual-range")),
        *(_figure_row(ds, f, "average") for f in ds.press("arrivals-annual-average")),
        *(_figure_row(ds, f, "cell") for f in ds.official("arrivals", ("before", "date-range"))
          if f.period_end.year < min(f.year for f in ds.official("arrivals"))),
        *context_rows(ds, closure=True, year=None, what=ds.series_info["arrivals"].title, provisional=False),
    ]


def _points(rows):
    return [r for r in rows if r["kind"] in ("stated", "lower bound")]


def _bars(rows, kind):
    return {r["year"]: r for r in rows if r["kind"] == kind}


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.ticker import StrMethodFormatter

    from ._marks import (
        axis_for,
        draw_context,
        legend,
        lower_bound_handle,
        note,
        point,
        split_year_axes,
    )

    points = _points(rows)
    with style.house_style():
        fig = Figure(figsize=(4.4, 5.2))
        axes = split_year_axes(fig, year_runs(rows))
        context = draw_context(axes, [r for r in rows if r["kind"] in CONTEXT])
        cells = [r for r in rows if r["kind"] == "cell"]
        # Top left, above the first bars and the band: the cells' years, which have no bars.
        for line, row in enumerate(cells):
            note(axes[0], 0.01, 0.99 - 0.065 * line, _cell_words(row), xycoords="axes fraction", va="top",
                 gid=gid(row["id"]))
        for row in rows:
            x0, x1 = year_span(row)
            if row["kind"] == "total":
                axis_for(axes, row).add_patch(Rectangle(
                    (row["year"] + 0.15, 0), 0.7, row["value"], facecolor=style.SKY, edgecolor=style.INK,
                    linewidth=0.4, gid=gid(row["id"]), zorder=2))
            elif row["kind"] == "range":
                axis_for(axes, row).add_patch(Rectangle(
                    (x0, row["low"]), x1 - x0, row["high"] - row["low"], facecolor="none", edgecolor=PRESS,
                    linewidth=1.4, linestyle="--", gid=gid(row["id"]), zorder=3))
            elif row["kind"] == "average":
                axis_for(axes, row).hlines(row["value"], x0, x1, colors=PRESS, linewidth=3, gid=gid(row["id"]),
                                           zorder=3)
        for row in points:
            point(axis_for(axes, row), row["year"] + 0.5, row["value"], row, PRESS, "D", size=6)
        axes[0].set_ylim(value_limits([r for r in rows if r["kind"] not in (*CONTEXT, "cell")], floor=0,
                                      headroom=0.12))
        axes[0].yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        axes[0].set_ylabel("People per year")
        ministry = Patch(facecolor=style.SKY, edgecolor=style.INK, linewidth=0.4, label="Ministry of Unification, "
                         "current count")
        # One entry for all the press said: a figure, a range a year, an average (the outlets are in the credit).
        press = (Line2D([], [], linestyle="None", marker="D", markersize=6, color=PRESS,
                        label="reported at the time by the press: a figure, a range, an average"),
                 Patch(facecolor="none", edgecolor=PRESS, linewidth=1.4, linestyle="--"),
                 Line2D([], [], color=PRESS, linewidth=3))
        handles = [ministry, press]
        if any(is_lower_bound(r) for r in points):
            handles.append(lower_bound_handle())
        legend(fig, handles + context, width=22, loc="outside lower center", ncols=2, handlelength=3)
    return fig


def _by_year(points):
    parts = []
    for year, group in groupby(sorted(points, key=lambda r: r["year"]), key=lambda r: r["year"]):
        group = list(group)
        values = sorted({stated(r) for r in group})
        sources = f" ({len(group)} sources)" if len(group) > 1 else ""
        parts.append(f"{' or '.join(values)} in {year}{sources}")
    return listing(parts)


def _counts(rows):
    totals = _bars(rows, "total")
    return listing([f"{stated(totals[y])} in {y}" for y in sorted(totals)])


def _title(rows) -> str:
    return rows[-1]["what"]  # the context rows carry the arrivals series' title


def _cell_words(row) -> str:
    """A cell that covers several years, as the ministry's table heads it: '947 up to 1998'."""
    period = f"up to {row['period_end'][:4]}" if row["period_type"] == "before" else f"in {row['period']}"
    return f"{stated(row)} {period}"


def _cells(rows) -> str:
    return listing([_cell_words(r) for r in rows if r["kind"] == "cell"])


def title(rows) -> str:
    """The takeaway: the peak of the ministry's current counts, and its newest year."""
    totals = _bars(rows, "total")
    peak, newest = max(totals.values(), key=lambda r: r["value"]), totals[max(totals)]
    hedge = " (provisional)" if newest["provisional"] else ""
    return f"Arrivals peaked at {stated(peak)} in {peak['year']}; {stated(newest)} came in {newest['year']}{hedge}"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    years = sorted(_bars(rows, "total"))
    context = {r["kind"]: r for r in rows if r["kind"] in CONTEXT}
    return (
        f"{_title(rows)} each year, {years[0]}–{years[-1]}: the bars are the Ministry of Unification's current "
        "counts, the points (and the dashed range and average) what the press reported at the time. Compare the years "
        f"before and after the border crackdown ({context['crackdown']['period']}) and Kim Jong-un's accession "
        f"({context['accession']['period']}), and after the border closure ({context['closure']['period']}). "
        f"Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    band = next(r for r in rows if r["kind"] == "range")
    average = next(r for r in rows if r["kind"] == "average")
    return (
        f"Bar chart of {_title(rows)} by year, from the Ministry of Unification's current series: "
        f"{_counts(rows)}; before that, {_cells(rows)}. Press figures reported at the time: {_by_year(_points(rows))}. "
        f"A box shows {stated(band)} a year for {band['period']} ({band['source_label']}) and a bar an average "
        f"of {stated(average)} for {average['period']}. {context_words(rows)}"
    )
