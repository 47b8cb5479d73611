"""Marks that several charts share: the matplotlib drawing of rows (see :mod:`._rows`).

The mark helpers draw one artist per row and give it the row's id as its
``gid``, so the tests (and anyone reading the SVG) can tell which mark shows
which row.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from itertools import pairwise

from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path

from . import style
from ._rows import gid, is_lower_bound, stated, year_span

MARKERS = ("o", "s", "D", "P", "X", "p")

# A bar with an arrow rising from it: "at least this much".  The bar sits on the value.
LOWER_BOUND_MARKER = Path(
    [(-0.5, 0), (0.5, 0), (0, 0), (0, 1.1), (-0.32, 0.72), (0, 1.1), (0.32, 0.72)],
    [Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO, Path.LINETO],
)
# Matplotlib scales a path marker to half its size from the centre, so the arrow needs a larger size to match.
BOUND_SCALE = 2.6


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


def legend(target, handles: Sequence, width: int = 21, **kwargs):
    """A legend on a figure or axes whose labels wrap at ``width`` characters, so two columns fit a phone.

    A tuple of artists is one entry, drawn side by side and named by its first.
    """
    labels = [textwrap.fill((h[0] if isinstance(h, tuple) else h).get_label(), width, break_long_words=False)
              for h in handles]
    return target.legend(handles, labels, handler_map={tuple: HandlerTuple(ndivide=None, pad=0.6)}, **kwargs)


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
