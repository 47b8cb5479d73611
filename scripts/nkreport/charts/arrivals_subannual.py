"""Arrivals in South Korea in parts of a year, compared year on year.

Figures are grouped by the kind of period (a month, the first quarter, the
first half, ...) with the years of each kind together, since only the same
part of different years compares.  Where sources differ for the same period
(319 and 320 for the first quarter of 2013) both points stand together.  The
second quarter of 2013 is derived: the first half minus the first quarter as
one report gives them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..derived import difference
from ..formatting import MONTHS
from . import style
from ._rows import cite, derived_row, dodge, figure_row, listing, stated, value_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "series")
LABEL = "fig-arrivals-subannual"

SUBANNUAL = ("month", "quarter", "half", "date-range")
GAP = 0.7  # between groups, in slots


def _placing(period_type: str, start: date, end: date, kind: str, what: str) -> dict:
    """Group label ('Q1', 'Jan–May') and sort key of a kind of period: shorter periods first, then by month."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    labels = {"month": MONTHS[start.month - 1], "quarter": f"Q{(end.month - 1) // 3 + 1}",
              "half": f"H{1 if end.month <= 6 else 2}"}
    group = labels.get(period_type, f"{MONTHS[start.month - 1]}–{MONTHS[end.month - 1]}")
    return {"group": group, "group_order": f"{months:02d}-{start.month:02d}", "year": end.year, "kind": kind,
            "what": what}


def _second_quarters(ds, title) -> list[dict]:
    """Q2 as H1 minus Q1, only where one report gives both, so that one count underlies both."""
    arrivals = ds.press("arrivals")
    found = []
    for half in (f for f in arrivals if f.period_type == "half" and f.period_end.month == 6):
        for first in (f for f in arrivals if f.period_type == "quarter"):
            if (first.period_start, first.source) == (half.period_start, half.source):
                start, end = date(half.year, 4, 1), half.period_end
                found.append(derived_row(
                    [half, first], f"{half.id} - {first.id}", value=difference(first.value, half.value),
                    period=f"Q2 {half.year}", period_type="quarter", period_start=start.isoformat(),
                    period_end=end.isoformat(), **_placing("quarter", start, end, "derived", title),
                ))
    return found


def rows(ds) -> list[dict]:
    """Sub-annual arrivals and the derived second quarters, ordered by group, year and source."""
    title = ds.series_info["arrivals"].title
    found = [figure_row(f, **_placing(f.period_type, f.period_start, f.period_end, "stated", title))
             for f in ds.press("arrivals") if f.period_type in SUBANNUAL]
    found += _second_quarters(ds, title)
    return sorted(found, key=lambda r: (r["group_order"], r["year"], r["derived"], r["source"]))


def positions(rows) -> list[tuple[float, float]]:
    """Slot and offset of each row: groups top to bottom, a slot per year, a period's sources next to each other."""
    slots, y, last_group = {}, -1.0, None
    for row in rows:
        if row["group"] != last_group and last_group is not None:
            y += GAP
        if (row["group"], row["year"]) not in slots:
            y += 1
            slots[row["group"], row["year"]] = y
        last_group = row["group"]
    keys = [(r["group"], r["year"]) for r in rows]
    return [(slots[k], offset) for k, offset in zip(keys, dodge(keys, 0.44), strict=True)]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    from ._marks import derived_handle, legend, note, point, source_handles, source_styles

    styles = source_styles(rows)
    with style.house_style():
        fig = Figure(figsize=(4.4, 6.8))
        ax = fig.add_subplot()
        ticks = {}
        for row, (slot, offset) in zip(rows, positions(rows), strict=True):
            colour, marker = styles.get(row["source"], (style.INK, "o"))
            point(ax, row["value"], slot + offset, row, colour, marker)
            note(ax, row["value"], slot + offset, stated(row), xytext=(6.5, 0), textcoords="offset points",
                 va="center")
            ticks[slot] = f"{row['group']} {row['year']}"
        ax.set_yticks(list(ticks), list(ticks.values()))
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_ylim(max(ticks) + 0.7, min(ticks) - 0.7)
        # Room right of the highest figure for its label.
        ax.set_xlim(value_limits(rows, floor=0, headroom=0.1))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_xlabel("People arriving in the period")
        handles = source_handles(styles, rows)
        if any(r["derived"] for r in rows):
            handles.append(derived_handle())
        legend(fig, handles, loc="outside lower center", ncols=2)
    return fig


def _describe(rows, group):
    members = [r for r in rows if r["group"] == group]
    parts = [f"{stated(r)} in {r['year']} ({'derived' if r['derived'] else r['source_label']})" for r in members]
    return f"{group}: {listing(parts)}"


def title(rows) -> str:
    """The takeaway: the kind of period stated over the most years, its first year against its last."""
    kinds: dict[str, list[dict]] = {}
    for row in (r for r in rows if not r["derived"]):
        kinds.setdefault(row["group"], []).append(row)
    years = max(kinds.values(), key=lambda found: (max(r["year"] for r in found) - min(r["year"] for r in found),
                                                   len(found)))
    first, last = min(years, key=lambda r: r["year"]), max(years, key=lambda r: r["year"])
    return f"Like periods compared: {stated(first)} arrivals in {first['period']}, {stated(last)} in {last['period']}"


def caption(rows) -> str:
    """What to see, in one or two sentences; the values are in the alt text and the chart's table."""
    derived = (" Hollow points are derived: a second quarter is the first half minus the first quarter, both as "
               "one report gives them." if any(r["derived"] for r in rows) else "")
    return (
        f"{rows[0]['what']} in parts of a year, each kind of period (a month, a quarter, a half) with its years "
        f"together, so that only like periods are compared.{derived} Sources: {cite(rows)}."
    )


def _how_derived(rows) -> str:
    labels = {r["source"]: r["source_label"] for r in rows}
    return listing([
        f"{stated(r)} for {r['period']} is the first half minus the first quarter, both as "
        f"{labels[r['based_on']]} gives them" for r in rows if r["derived"]
    ])


def alt_text(rows) -> str:
    groups = list(dict.fromkeys(r["group"] for r in rows))
    return (
        f"Dot chart of {rows[0]['what']} in parts of a year, by kind of period and year. "
        f"{'. '.join(_describe(rows, g) for g in groups)}."
        + (f" Derived: {_how_derived(rows)}." if any(r["derived"] for r in rows) else "")
    )
