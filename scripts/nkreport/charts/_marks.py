"""Rows, labels and marks that several charts share.

Every chart's rows have the keys :func:`figure_row` gives them, plus the
chart's own; the mark helpers draw one artist per row and give it the row's
id as its ``gid``, so the tests (and anyone reading the SVG) can tell which
mark shows which row.

>>> from nkreport.data import load
>>> figure_row(load().figure("arrivals-2013q1-dailynk2013"))["source_label"]
'Daily NK 2013'
>>> stated(figure_row(load().figure("arrivals-2001-yonhap2013")))
'more than 1,000'
>>> cite([{"source": "b2014x", "based_on": ""}, {"source": "derived", "based_on": "a2013y"}])
'{cite:p}`a2013y,b2014x`'
"""

from __future__ import annotations

import math
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from types import SimpleNamespace

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path

from .. import formatting
from ..data import Dataset, Event, Figure
from ..formatting import period_label
from . import style

LOWER_BOUND_QUALIFIERS = {"more than", "a little more than", "slightly over", "at least"}
MARKERS = ("o", "s", "D", "P", "X", "p")

# A bar with an arrow rising from it: "at least this much".  The bar sits on the value.
LOWER_BOUND_MARKER = Path(
    [(-0.5, 0), (0.5, 0), (0, 0), (0, 1.1), (-0.32, 0.72), (0, 1.1), (0.32, 0.72)],
    [Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO, Path.LINETO],
)
# Matplotlib scales a path marker to half its size from the centre, so the arrow needs a larger size to match.
BOUND_SCALE = 2.6


# --- rows -------------------------------------------------------------------


def number(value: Decimal | None) -> int | float | None:
    """A dataset number as JSON can hold it, equal to the stated value."""
    if value is None:
        return None
    # The exponent keeps a computed 83.0 from reading as a stated 83.
    return int(value) if value.as_tuple().exponent >= 0 else float(value)


def _row(**fields) -> dict:
    keys = ("id", "source", "source_label", "derived", "based_on", "period", "period_type", "period_start",
            "period_end", "qualifier", "value", "low", "high", "unit")
    return {key: fields[key] for key in keys}


def figure_row(f: Figure, **extra) -> dict:
    """The row of a stated figure; ``extra`` holds the chart's own columns."""
    return _row(
        id=f.id, source=f.source, source_label=f.source_label, derived=False, based_on="",
        period=period_label(f), period_type=f.period_type,
        period_start=f.period_start.isoformat() if f.period_start else None,
        period_end=f.period_end.isoformat(), qualifier=f.qualifier,
        value=number(f.value), low=number(f.low), high=number(f.high), unit=f.unit,
    ) | extra


def derived_row(inputs: Sequence[Figure], formula: str, *, value=None, low=None, high=None,
                unit: str | None = None, **extra) -> dict:
    """The row of a value computed here from ``inputs``; ``formula`` names them, e.g. 'a - b'.

    Period and unit are those of the first input unless given; ``based_on``
    keeps the inputs' sources so the caption can cite them.
    """
    first = inputs[0]
    return _row(
        id=f"derived: {formula}", source="derived", source_label="derived", derived=True,
        based_on=",".join(sorted({f.source for f in inputs})),
        period=period_label(first), period_type=first.period_type,
        period_start=first.period_start.isoformat() if first.period_start else None,
        period_end=first.period_end.isoformat(), qualifier="",
        value=number(value), low=number(low), high=number(high), unit=unit or first.unit,
    ) | extra


def event_row(e: Event, **extra) -> dict:
    return _row(
        id=e.id, source=e.source, source_label=e.source_label, derived=False, based_on="",
        period=e.date_label, period_type=e.date_precision,
        period_start=e.date_start.isoformat() if e.date_start else None,
        period_end=e.date_end.isoformat(), qualifier="", value=None, low=None, high=None, unit="",
    ) | extra


def span_row(first: Event, last: Event, **extra) -> dict:
    """One span from the start of ``first`` to the end of ``last`` (both as stated)."""
    return _row(
        id=f"{first.id} to {last.id}", source=",".join(sorted({first.source, last.source})),
        source_label=" / ".join(sorted({first.source_label, last.source_label})),
        derived=False, based_on="", period=f"{first.date_start.year}–{last.date_end.year}", period_type="years",
        period_start=first.date_start.isoformat(), period_end=last.date_end.isoformat(),
        qualifier="", value=None, low=None, high=None, unit="",
    ) | extra


def cite_keys(rows: Iterable[dict]) -> list[str]:
    """Every bibliography key behind the rows, derived ones through their inputs."""
    keys = set()
    for row in rows:
        for field in ("source", "based_on"):
            keys |= {k for k in row[field].split(",") if k and k != "derived"}
    return sorted(keys)


def cite(rows: Iterable[dict]) -> str:
    # sphinxcontrib-bibtex separates the keys of one role with commas.
    return f"{{cite:p}}`{','.join(cite_keys(rows))}`"


def is_lower_bound(row: dict) -> bool:
    return row["qualifier"] in LOWER_BOUND_QUALIFIERS


# --- numbers in words -------------------------------------------------------


def stated(row: dict) -> str:
    """The row's value or range as the report writes it, with its qualifier: 'more than 1,000'."""
    text = formatting.figure(SimpleNamespace(**row))
    return f"{row['qualifier']} {text}" if row["qualifier"] else text


def when(row: dict) -> str:
    """The row's period as a phrase: 'in H1 2013', 'each year 2012–2015', 'as of 4 Aug 2015'."""
    prefix = {"each-year": "each year", "as-of": "as of"}.get(row["period_type"], "in")
    return f"{prefix} {row['period']}"


def capitalised(words: str) -> str:
    """Words from the data, which read inside a sentence, made to stand alone.

    Only the first letter changes, so proper names keep their case:

    >>> capitalised("went to seek work"), capitalised("US stipend")
    ('Went to seek work', 'US stipend')
    """
    return words[:1].upper() + words[1:]


def listing(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def listed(rows: Iterable[dict], template: str) -> str:
    """The rows in words, each through ``template``: its keys plus {value} (as stated) and {when}."""
    return listing([template.format(**row | {"value": stated(row), "when": when(row)}) for row in rows])


# --- positions --------------------------------------------------------------


def decimal_year(day: date) -> float:
    """``day``'s start as a fractional year: 1 July 2011 is 2011.496."""
    first = date(day.year, 1, 1)
    return day.year + (day - first).days / (date(day.year + 1, 1, 1) - first).days


def year_span(row: dict) -> tuple[float | None, float]:
    """Where the row's period starts and ends on a time axis (its last day included)."""
    start = date.fromisoformat(row["period_start"]) if row["period_start"] else None
    end = date.fromisoformat(row["period_end"]) + timedelta(days=1)
    return (decimal_year(start) if start else None), decimal_year(end)


def year_runs(rows: Iterable[dict], min_gap: int = 3) -> list[tuple[int, int]]:
    """First and last year of each run of years the rows' periods cover, for :func:`split_year_axes`.

    Every row with a period counts, context rows (the crackdown, the
    accession) included; a period counts for each calendar year it touches.
    A new run starts only where at least ``min_gap`` years in a row are empty,
    so long empty stretches take no width while short ones stay on the axis.

    >>> rows = [{"period_start": f"{y}-01-01", "period_end": f"{y}-12-31"} for y in (2001, 2006, 2008, 2011, 2014)]
    >>> year_runs(rows)
    [(2001, 2001), (2006, 2014)]
    >>> year_runs([*rows, {"period_start": None, "period_end": "2003-06-30"}])  # 'before' mid-2003
    [(2001, 2014)]
    """
    years: set[int] = set()
    for row in rows:
        if not row.get("period_end"):
            continue
        start, end = year_span(row)
        last = math.ceil(end) - 1  # the year of the period's last day
        years.update(range(last if start is None else math.floor(start), last + 1))
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year - runs[-1][1] - 1 < min_gap:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [(first, last) for first, last in runs]


NICE_STEPS = (1, 2, 2.5, 5, 10)  # linear ticks: these times a power of ten
NICE_TOPS = (1, 1.5, 2, 3, 4, 5, 6, 8, 10)  # log axis tops: these times a power of ten


def _tidy(number: float) -> int | float:
    number = round(number, 9)
    return int(number) if number == int(number) else number


def value_limits(values: Iterable, *, floor: float | None = None, log: bool = False, headroom: float = 0.1,
                 footroom: float = 0.0, bounds: tuple[float, float] | None = None, bins: int = 10
                 ) -> tuple[int | float, int | float]:
    """Round axis limits that hold every value, with room above the highest for its label.

    ``values`` are numbers or rows, whose value, low and high all count
    (``None`` is skipped).  ``headroom`` and ``footroom`` are the shares of the
    axis kept clear above the highest and below the lowest value.  The axis
    starts at ``floor`` (0 where bars stand on it) unless a value lies below
    it, and never passes ``bounds`` (0 and 100 on a percent axis).  A linear
    axis ends on multiples of a round step (about ``bins`` of them in all); a
    log axis starts on a power of ten and ends on a round number.

    >>> value_limits([1000, 2929, 3000, 1396], floor=0, headroom=0.12)
    (0, 3500)
    >>> value_limits([50, 70, 83], headroom=0.1, footroom=0.15, bounds=(0, 100))
    (40, 90)
    >>> value_limits([{"value": None, "low": 30, "high": 50}, {"value": 9000, "low": None, "high": None}],
    ...              log=True, headroom=0.14)
    (10, 30000)
    """
    numbers = [float(n) for v in values
               for n in ((v["value"], v["low"], v["high"]) if isinstance(v, dict) else (v,)) if n is not None]
    if not numbers:
        raise ValueError("no values to set limits for")
    least, most = min(numbers), max(numbers)
    if log and least <= 0:
        raise ValueError(f"a log axis cannot show {least}")
    # Work along the axis as drawn: on a log axis, in powers of ten.
    lowest, highest = (math.log10(least), math.log10(most)) if log else (least, most)
    fixed = floor is not None and (math.log10(floor) if log else floor) <= lowest
    if fixed:
        bottom = math.log10(floor) if log else floor
    else:
        # Footroom and headroom are shares of the whole axis, which they lengthen.
        span = (highest - lowest) / (1 - headroom - footroom)
        bottom = lowest - footroom * span
        if log:
            bottom = math.floor(bottom + 1e-9)  # a log axis starts on a power of ten
    top = highest + headroom / (1 - headroom) * (highest - bottom)
    if top == bottom:  # a single value: a unit of room either side
        bottom, top = bottom - 1, top + 1
    if log:
        decade = 10 ** math.floor(top)
        low = 10 ** bottom
        high = next(m * decade for m in NICE_TOPS if m * decade >= 10 ** top * (1 - 1e-9))
    else:
        wanted = (top - bottom) / bins
        magnitude = 10 ** math.floor(math.log10(wanted))
        step = next(s * magnitude for s in NICE_STEPS if s * magnitude >= wanted * (1 - 1e-9))
        low = bottom if fixed else step * math.floor(bottom / step + 1e-9)
        high = step * math.ceil(top / step - 1e-9)
    if bounds is not None:
        low, high = max(low, min(bounds[0], least)), min(high, max(bounds[1], most))
    return _tidy(low), _tidy(high)


def dodge(keys: Sequence, step: float) -> list[float]:
    """Offsets that set marks sharing a key (a year, a period) side by side, centred on it."""
    counts, seen, offsets = Counter(keys), Counter(), []
    for key in keys:
        offsets.append((seen[key] - (counts[key] - 1) / 2) * step)
        seen[key] += 1
    return offsets


def gid(row_id: str, part: str = "") -> str:
    """An SVG-safe id for the artist showing a row (``part`` for its secondary artists)."""
    slug = re.sub(r"[^a-z0-9]+", "-", row_id.lower()).strip("-")
    return f"{slug}--{part}" if part else slug


# --- marks ------------------------------------------------------------------


def source_styles(rows: Iterable[dict]) -> dict[str, tuple[str, str]]:
    """A colour and marker for each stated source in the rows, in key order."""
    keys = sorted({r["source"] for r in rows if not r["derived"]})
    colours = style.MARK_COLOURS
    return {k: (colours[i % len(colours)], MARKERS[i % len(MARKERS)]) for i, k in enumerate(keys)}


def point(ax, x: float, y: float, row: dict, colour: str, marker: str = "o", size: float = 8) -> Line2D:
    """One row as one marker: hollow if derived, a rising arrow if a lower bound."""
    bound = is_lower_bound(row)
    (line,) = ax.plot(
        [x], [y], linestyle="None", marker=LOWER_BOUND_MARKER if bound else marker,
        markersize=size * BOUND_SCALE if bound else size, color=colour,
        markerfacecolor="white" if row["derived"] else colour,
        markeredgewidth=2.2 if bound else 1.6, gid=gid(row["id"]), zorder=4,
    )
    return line


def range_bar(ax, x: float, row: dict, colour: str, width: float = 0.5, horizontal: bool = False) -> None:
    """A stated range as a floating bar from low to high, a single value as a point.

    Derived bars are white with hatching in the colour, matching the hollow
    markers of derived points.  ``horizontal`` runs the values along x, the
    rows down the y axis at ``x``.
    """
    if row["value"] is not None:
        point(ax, *((row["value"], x) if horizontal else (x, row["value"])), row, colour, size=10)
        return
    looks = {"color": "white" if row["derived"] else colour, "edgecolor": colour, "linewidth": 1.6,
             "hatch": "///" if row["derived"] else None, "gid": gid(row["id"]), "zorder": 3}
    if horizontal:
        ax.barh([x], [row["high"] - row["low"]], left=[row["low"]], height=width, **looks)
    else:
        ax.bar([x], [row["high"] - row["low"]], bottom=[row["low"]], width=width, **looks)


def value_note(ax, y: float, row: dict):
    """The row's stated value beside its mark on a horizontal log axis, on whichever side has more room.

    Set the axis' limits first: the side is chosen from them.
    """
    low, high = (row["value"], row["value"]) if row["value"] is not None else (row["low"], row["high"])
    first, last = (math.log10(end) for end in ax.get_xlim())
    gap = 5 + (6 if row["value"] is not None else 0)  # clear of a point's marker
    if math.log10(low) - first > last - math.log10(high):
        return note(ax, low, y, stated(row), xytext=(-gap, 0), textcoords="offset points", ha="right", va="center")
    return note(ax, high, y, stated(row), xytext=(gap, 0), textcoords="offset points", ha="left", va="center")


def note(ax, x: float, y: float, text: str, **kwargs):
    """Annotation text in the house note size and ink."""
    return ax.annotate(text, (x, y), fontsize=style.NOTE_SIZE, color=style.INK, **kwargs)


def note_lines(ax, x: float, y: float, heading: str, rows: Sequence[dict], words, **kwargs) -> None:
    """A heading at (x, y) in axes fraction and, under it, one line of ``words(row)`` per row.

    Each line is its own text carrying its row's gid, so a stated and a
    recomputed figure can be told apart in the SVG.
    """
    note(ax, x, y, heading, xycoords="axes fraction", va="top", **kwargs)
    for line, row in enumerate(rows, start=1):
        note(ax, x, y, words(row), xycoords="axes fraction", xytext=(0, -1.3 * style.NOTE_SIZE * line),
             textcoords="offset points", va="top", gid=gid(row["id"]), **kwargs)


def derived_handle() -> Line2D:
    return Line2D([], [], linestyle="None", marker="o", markersize=8, color=style.INK,
                  markerfacecolor="white", label="derived (computed here)")


def derived_bar_handle() -> Patch:
    return Patch(facecolor="white", edgecolor=style.INK, hatch="///", label="derived (computed here)")


def lower_bound_handle() -> Line2D:
    return Line2D([], [], linestyle="None", marker=LOWER_BOUND_MARKER, markersize=8 * BOUND_SCALE,
                  markeredgewidth=2.2, color=style.INK, label="more than (lower bound)")


def source_handles(styles: dict[str, tuple[str, str]], rows: Iterable[dict]) -> list[Line2D]:
    """Legend entries for the sources of ``styles``, named as the rows name them (from references.bib)."""
    labels = {r["source"]: r["source_label"] for r in rows}
    return [Line2D([], [], linestyle="None", marker=marker, markersize=8, color=colour, label=labels[key])
            for key, (colour, marker) in styles.items()]


def legend(target, handles: Sequence, width: int = 24, **kwargs):
    """A legend on a figure or axes whose labels wrap at ``width`` characters, so two columns fit a phone."""
    for handle in handles:
        handle.set_label(textwrap.fill(handle.get_label(), width, break_long_words=False))
    return target.legend(handles=handles, **kwargs)


def year_axis(ax, first: int, last: int) -> None:
    """Year labels centred on each year (every fifth year on a long axis), with ticks at the year boundaries."""
    ax.set_xlim(first, last + 1)
    labelled = [y for y in range(first, last + 1) if last - first < 12 or y % 5 == 0 or y in (first, last)]
    if last - first >= 12:
        # The first and last years stay labelled unless they would crowd a fifth year's label.
        labelled = [y for y in labelled if y % 5 == 0 or min(abs(y - z) for z in labelled if z % 5 == 0) > 3]
    ax.set_xticks([y + 0.5 for y in labelled], [str(y) for y in labelled])
    ax.set_xticks(range(first, last + 2), minor=True)
    ax.tick_params(axis="x", which="major", length=0)
    ax.tick_params(axis="x", which="minor", length=4)


def split_year_axes(fig, spans: Sequence[tuple[int, int]]) -> list:
    """Side-by-side axes over separate runs of years, sharing y, so empty years take no width.

    Break marks on the x axis show where years are left out.
    """
    (axes,) = fig.subplots(1, len(spans), sharey=True, squeeze=False,
                           width_ratios=[last - first + 1 for first, last in spans])
    for ax, (first, last) in zip(axes, spans, strict=True):
        year_axis(ax, first, last)
    fig.get_layout_engine().set(wspace=0.015)
    for left, right in pairwise(axes):
        left.spines.right.set_visible(False)
        right.spines.left.set_visible(False)
        right.tick_params(axis="y", which="both", left=False)
        for ax, x in ((left, 1), (right, 0)):
            ax.plot([x], [0], transform=ax.transAxes, marker=[(-1, -2), (1, 2)], markersize=10, linestyle="None",
                    color=style.INK, clip_on=False)
    return list(axes)


def axis_for(axes: Sequence, where: float | dict):
    """The one of ``axes`` whose x range holds ``where``: a year, or a row's whole period.

    A row's period lies within one run of :func:`year_runs`, so its middle
    finds the axis that holds all of it.
    """
    if isinstance(where, dict):
        start, end = year_span(where)
        x = end - 1e-6 if start is None else (start + end) / 2  # a 'before' period: its last day
    else:
        x = where
    for ax in axes:
        if min(ax.get_xlim()) <= x <= max(ax.get_xlim()):
            return ax
    shown = ", ".join("{:g}-{:g}".format(*ax.get_xlim()) for ax in axes)
    raise ValueError(f"no axis holds {x:g} (the axes show {shown}); give every row's years to year_runs")


# --- context: the border crackdown and Kim Jong-un's accession --------------


def context_rows(ds: Dataset, crackdown: bool = True, closure: bool = False, **extra) -> list[dict]:
    """The crackdown span (first patrols to the finished fence), the accession and, if asked, the 2020 closure."""
    rows = [event_row(ds.event("kim-jong-un-accession-2011"), kind="accession", **extra)]
    if crackdown:
        first, last = ds.event("border-patrols-2010"), ds.event("china-fence-complete-2012")
        rows.insert(0, span_row(first, last, kind="crackdown", **extra))
    if closure:
        rows.append(event_row(ds.event("border-closure-2020"), kind="closure", **extra))
    return rows


def draw_context(axes: Sequence, rows: Iterable[dict]) -> list[Patch | Line2D]:
    """Shade the crackdown; mark the accession's date range as a black bar along the foot.

    Each mark goes on the one of ``axes`` (split year axes) that holds its
    period.  The accession sits at the foot, clear of the data, because a
    full-height mark there would cover the 2011 points.  The marks are named
    in the legend entries returned, not by notes on the chart: at phone width
    a note over a two-year span would run across the data beside it.
    """
    handles = []
    for row in rows:
        x0, x1 = year_span(row)
        ax = axis_for(axes, row)
        if row["kind"] == "crackdown":
            ax.axvspan(x0, x1, color=style.SHADE, linewidth=0, zorder=0, gid=gid(row["id"]))
            handles.append(Patch(color=style.SHADE, label=f"border crackdown, {row['period']}"))
        elif row["kind"] == "closure":
            ax.axvspan(x0, x1, color=style.INK, linewidth=0, zorder=1, gid=gid(row["id"]))
            handles.append(Patch(color=style.INK, label=f"border closed, {row['period']}"))
        elif row["kind"] == "accession":
            ax.axvspan(x0, x1, ymin=0, ymax=0.05, color=style.INK, linewidth=0, zorder=1, gid=gid(row["id"]))
            handles.append(Line2D([], [], color=style.INK, linewidth=4, solid_capstyle="butt",
                                  label=f"Kim Jong-un takes power, {row['period']}"))
    return handles


def context_words(rows: Iterable[dict]) -> str:
    """The key to the context marks, as a sentence, from the rows that draw them."""
    words = {"crackdown": "grey shading marks the border crackdown, {}",
             "accession": "a black bar along the foot marks Kim Jong-un's accession, {}",
             "closure": "a thin black band marks North Korea's border closure against COVID-19, {}"}
    parts = [words[r["kind"]].format(r["period"]) for r in rows if r["kind"] in words]
    sentence = "; ".join(parts)
    return f"{sentence[0].upper()}{sentence[1:]}."
