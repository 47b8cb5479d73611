"""Annual arrivals of defectors in South Korea, as each source reports them.

The sources give scattered years, so each stated figure is a point of its own
(never joined to the next year), with its source, beside the other sources'
figures for the same year; a band shows the Chosun Ilbo's 2006-2012 range and
a bar its 2012-2013 average.  The border crackdown and Kim Jong-un's accession
are marked because the fall in arrivals is read against them.
"""

from __future__ import annotations

from itertools import groupby

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import StrMethodFormatter

from . import style
from ._marks import (
    LOWER_BOUND_QUALIFIERS,
    axis_for,
    cite,
    context_rows,
    context_words,
    dodge,
    draw_context,
    figure_row,
    gid,
    is_lower_bound,
    listing,
    lower_bound_handle,
    note,
    point,
    source_handles,
    source_styles,
    split_year_axes,
    stated,
    value_limits,
    year_runs,
    year_span,
)

TABLES = ("figures", "events", "series")
LABEL = "fig-arrivals-annual"


def _figure_row(ds, f, kind):
    return figure_row(f, kind=kind, year=f.year, what=ds.series_info[f.series].title)


def rows(ds) -> list[dict]:
    """Stated annual figures, the 2006-2012 band, the 2012-2013 average, then the context events."""
    annual = [f for f in ds.series("arrivals") if f.period_type == "year"]
    return [
        *(_figure_row(ds, f, "lower bound" if f.qualifier in LOWER_BOUND_QUALIFIERS else "stated") for f in annual),
        *(_figure_row(ds, f, "range") for f in ds.series("arrivals-annual-range")),
        *(_figure_row(ds, f, "average") for f in ds.series("arrivals-annual-average")),
        *context_rows(ds, year=None, what=""),
    ]


def _points(rows):
    return [r for r in rows if r["kind"] in ("stated", "lower bound")]


def draw(rows) -> Figure:
    points = _points(rows)
    styles = source_styles(points)
    with style.house_style():
        fig = Figure(figsize=(6.4, 4.6))
        # Years without figures (2002-2005 today) are left out, giving the crowded years the width.
        axes = split_year_axes(fig, year_runs(rows))
        draw_context(axes, [r for r in rows if r["kind"] in ("crackdown", "accession")])
        for row in rows:
            x0, x1 = year_span(row)
            if row["kind"] == "range":
                ax = axis_for(axes, row)
                ax.add_patch(Rectangle((x0, row["low"]), x1 - x0, row["high"] - row["low"], facecolor=style.SKY,
                                       alpha=0.45, edgecolor=style.BLUE, linewidth=1.4, gid=gid(row["id"]), zorder=2))
                note(ax, x0 + 0.1, row["high"], f"{stated(row)} each year,\n{row['source_label']}", xytext=(0, 4.5),
                     textcoords="offset points", va="bottom")
            elif row["kind"] == "average":
                ax = axis_for(axes, row)
                ax.hlines(row["value"], x0, x1, colors=style.INK, linewidth=3.5, gid=gid(row["id"]), zorder=3)
                note(ax, x0, row["value"], f"average {stated(row)},\n{row['source_label']}", xytext=(0, 10),
                     textcoords="offset points", va="bottom")
        for row, offset in zip(points, dodge([r["year"] for r in points], 0.28), strict=True):
            x = row["year"] + 0.5
            point(axis_for(axes, row), x + offset, row["value"], row, *styles[row["source"]], size=7.5)
        # Room above the highest figure for the band's two-line label.
        axes[0].set_ylim(value_limits([r for r in rows if r["kind"] not in ("crackdown", "accession")], floor=0,
                                      headroom=0.12))
        axes[0].yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        axes[0].set_ylabel("People per year")
        handles = source_handles(styles, points)
        if any(is_lower_bound(r) for r in points):
            handles.append(lower_bound_handle())
        fig.legend(handles=handles, loc="outside lower center", ncols=3)
    return fig


def _by_year(points):
    parts = []
    for year, group in groupby(sorted(points, key=lambda r: r["year"]), key=lambda r: r["year"]):
        group = list(group)
        values = sorted({stated(r) for r in group})
        sources = f" ({len(group)} sources)" if len(group) > 1 else ""
        parts.append(f"{' or '.join(values)} in {year}{sources}")
    return listing(parts)


def _conflicts(rows):
    """Stated annual figures that fall outside a band the same chart draws for their year."""
    found = []
    for band in (r for r in rows if r["kind"] == "range"):
        first, last = int(band["period_start"][:4]), int(band["period_end"][:4])
        found += [(band, r) for r in rows if r["kind"] == "stated" and first <= r["year"] <= last
                  and not band["low"] <= r["value"] <= band["high"]]
    return found


def caption(rows) -> str:
    title = rows[0]["what"]
    band = next(r for r in rows if r["kind"] == "range")
    average = next(r for r in rows if r["kind"] == "average")
    last_year = int(band["period_end"][:4])
    conflicts = "".join(
        f" It conflicts with the {stated(r)} that {r['source_label']} reports for {r['year']}"
        # "From 2006 until 2012" may or may not include 2012.
        + (", if the band's last year is meant to be included." if r["year"] == last_year else ".")
        for _, r in _conflicts(rows)
    )
    return (
        f"{title}, by year, as each source reports them. Each point is one source's figure; where several "
        "sources give the same year they stand side by side, and points are not joined because the sources "
        f"give only scattered years. The blue band is the {stated(band)} a year that {band['source_label']} "
        f"gives for every year {band['period']}.{conflicts} The dark bar is its annual average of "
        f"{stated(average)} for {average['period']}; an arrow marks a lower bound (\"more than\"). "
        f"{context_words(rows)} Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    band = next(r for r in rows if r["kind"] == "range")
    average = next(r for r in rows if r["kind"] == "average")
    return (
        f"Dot chart of {rows[0]['what']} by year as reported: {_by_year(_points(rows))}. "
        f"A band shows {stated(band)} a year for {band['period']} ({band['source_label']}) and a bar an average "
        f"of {stated(average)} for {average['period']}. {context_words(rows)}"
    )
