"""Annual arrivals of defectors in South Korea: the ministry's current series by sex, and the press figures.

The bars are the Ministry of Unification's current annual counts of women
and men, stacked; the points are the figures the press reported at the time,
so a press figure the ministry later revised stands apart from its bar.  A
band shows the Chosun Ilbo's 2006-2012 range and a bar its 2012-2013 average.
The border crackdown, Kim Jong-un's accession and the 2020 border closure are
marked because the falls in arrivals are read against them.  The ministry's
two cells that cover several years (up to 1998, and 1999-2001) are not annual:
they are stated in words at the left, not drawn as bars.
"""

from __future__ import annotations

from itertools import groupby

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import StrMethodFormatter

from . import style
from ._marks import (
    axis_for,
    draw_context,
    legend,
    lower_bound_handle,
    note,
    point,
    source_handles,
    source_styles,
    split_year_axes,
)
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

TABLES = ("figures", "official", "releases", "events", "series")
LABEL = "fig-arrivals-annual"
# Women at the bottom of each bar, men on top: the women's share is the chart's other story.
SEXES = (("women", "women-arrivals", style.ORANGE), ("men", "men-arrivals", style.SKY))
CONTEXT = ("crackdown", "accession", "closure")


def _figure_row(ds, f, kind):
    # The ministry marks its newest year provisional in the cell's label ("25.12(잠정)") or the row's note.
    provisional = "잠정" in f.cell or "provisional" in f.note.lower()
    return figure_row(f, kind=kind, year=f.year, what=ds.series_info[f.series].title, provisional=provisional)


def rows(ds) -> list[dict]:
    """The official counts by sex, the press's annual figures, band and average, then the context events."""
    press = [f for f in ds.press("arrivals") if f.period_type == "year"]
    return [
        *(_figure_row(ds, f, kind) for kind, series, _ in SEXES for f in ds.official(series)),
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
    points = _points(rows)
    styles = source_styles(points)
    women = _bars(rows, "women")
    with style.house_style():
        fig = Figure(figsize=(4.4, 6.0))
        axes = split_year_axes(fig, year_runs(rows))
        context = draw_context(axes, [r for r in rows if r["kind"] in CONTEXT])
        cells = [r for r in rows if r["kind"] == "cell"]
        # Top left, above the first bars and the band: the cells' years, which have no bars.
        for line, row in enumerate(cells):
            note(axes[0], 0.01, 0.99 - 0.065 * line, _cell_words(row), xycoords="axes fraction", va="top",
                 gid=gid(row["id"]))
        for kind, _, colour in SEXES:
            for row in (r for r in rows if r["kind"] == kind):
                bottom = women[row["year"]]["value"] if kind == "men" and row["year"] in women else 0
                axis_for(axes, row).add_patch(Rectangle(
                    (row["year"] + 0.15, bottom), 0.7, row["value"], facecolor=colour, edgecolor=style.INK,
                    linewidth=0.4, gid=gid(row["id"]), zorder=2))
        for row in rows:
            x0, x1 = year_span(row)
            if row["kind"] == "total":
                # The ministry states each total on its own; a tick on the stack shows it, and any gap to the sum.
                axis_for(axes, row).hlines(row["value"], x0 + 0.1, x1 - 0.1, colors=style.INK, linewidth=1.4,
                                           gid=gid(row["id"]), zorder=3)
            elif row["kind"] == "range":
                ax = axis_for(axes, row)
                ax.add_patch(Rectangle((x0, row["low"]), x1 - x0, row["high"] - row["low"], facecolor="none",
                                       edgecolor=style.INK, linewidth=1.2, linestyle="--", gid=gid(row["id"]),
                                       zorder=3))
            elif row["kind"] == "average":
                ax = axis_for(axes, row)
                ax.hlines(row["value"], x0, x1, colors=style.INK, linewidth=3, gid=gid(row["id"]), zorder=3)
        for row in points:
            point(axis_for(axes, row), row["year"] + 0.5, row["value"], row, *styles[row["source"]], size=6.5)
        axes[0].set_ylim(value_limits([r for r in rows if r["kind"] not in (*CONTEXT, "men", "cell")]
                                      + [_total(rows, year) for year in women], floor=0, headroom=0.12))
        axes[0].yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        axes[0].set_ylabel("People per year")
        handles = [Patch(facecolor=colour, edgecolor=style.INK, linewidth=0.4, label=f"{kind}, ministry")
                   for kind, _, colour in SEXES]
        handles.append(Line2D([], [], color=style.INK, linewidth=1.4, label="total, ministry"))
        handles += source_handles(styles, points)
        if any(is_lower_bound(r) for r in points):
            handles.append(lower_bound_handle())
        # The band and the average are named in the legend: a note beside them would cross the bars.
        handles += [Patch(facecolor="none", edgecolor=style.INK, linewidth=1.2, linestyle="--",
                          label=f"{stated(row)} a year, {row['source_label']}")
                    for row in rows if row["kind"] == "range"]
        handles += [Line2D([], [], color=style.INK, linewidth=3,
                           label=f"average {stated(row)}, {row['source_label']}")
                    for row in rows if row["kind"] == "average"]
        legend(fig, handles + context, loc="outside lower center", ncols=2)
    return fig


def _total(rows, year) -> int:
    return sum(r["value"] for r in rows if r["kind"] in ("women", "men") and r["year"] == year)


def _by_year(points):
    parts = []
    for year, group in groupby(sorted(points, key=lambda r: r["year"]), key=lambda r: r["year"]):
        group = list(group)
        values = sorted({stated(r) for r in group})
        sources = f" ({len(group)} sources)" if len(group) > 1 else ""
        parts.append(f"{' or '.join(values)} in {year}{sources}")
    return listing(parts)


def _counts(rows):
    women, men, totals = _bars(rows, "women"), _bars(rows, "men"), _bars(rows, "total")
    return listing([f"{stated(totals[y])} in {y} ({stated(women[y])} women, {stated(men[y])} men)"
                    for y in sorted(totals) if y in women and y in men])


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
    years = sorted(_bars(rows, "women"))
    context = {r["kind"]: r for r in rows if r["kind"] in CONTEXT}
    return (
        f"{_title(rows)} each year, {years[0]}–{years[-1]}: the bars are the Ministry of Unification's current "
        "counts of women and men, the points the figures the press reported at the time. Compare the years "
        f"before and after the border crackdown ({context['crackdown']['period']}) and Kim Jong-un's accession "
        f"({context['accession']['period']}), and after the border closure ({context['closure']['period']}). "
        f"Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    band = next(r for r in rows if r["kind"] == "range")
    average = next(r for r in rows if r["kind"] == "average")
    return (
        f"Stacked bar chart of {_title(rows)} by year, from the Ministry of Unification's current series: "
        f"{_counts(rows)}; before that, {_cells(rows)}. Press figures reported at the time: {_by_year(_points(rows))}. "
        f"A box shows {stated(band)} a year for {band['period']} ({band['source_label']}) and a bar an average "
        f"of {stated(average)} for {average['period']}. {context_words(rows)}"
    )
