"""A timeline of elite defections, purges and executions under Kim Jong-un.

The sources date these events loosely ("late 2013", "early 2015", "recently"),
so each is drawn over the whole range of dates it can have happened on, not
at a made-up day; an event known only to have happened by a date is an arrow
pointing back from that date.  One event per row, its description in full above it, so the labels never collide.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ..formatting import MONTHS
from . import style
from ._rows import cite, event_row, gid, year_span

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("events",)
LABEL = "fig-elite-timeline"

CATEGORIES = {
    "leadership": ("Leadership", style.BLACK),
    "elite-defection": ("Elite defection", style.BLUE),
    "purge": ("Purge", style.PURPLE),
    "execution": ("Execution", style.VERMILLION),
}
LINE = 45  # characters a label line holds in a phone-width figure
LINE_HEIGHT = 0.17  # inches of figure per line of label or bar
BAR = 0.7  # a bar's height, in lines


def _when(e) -> str:
    """The date as labelled: the source's words, or 'by' the report date when only that bounds it."""
    if e.date_start is None:
        return f"by {e.date_end.day} {MONTHS[e.date_end.month - 1]} {e.date_end.year}"
    return e.date_label


def rows(ds) -> list[dict]:
    """The events of the four categories, in order of their latest possible date."""
    events = sorted((e for e in ds.events.values() if e.category in CATEGORIES),
                    key=lambda e: (e.date_end, e.date_start or e.date_end, e.id))
    return [event_row(e, category=e.category, category_label=CATEGORIES[e.category][0], when=_when(e),
                      description=e.description)
            for e in events]


def label(row) -> str:
    """Date and description in full, wrapped to the figure's width."""
    return textwrap.fill(f"{row['when']}: {row['description']}", LINE, break_on_hyphens=False)


def layout(rows) -> tuple[list[tuple[float, float]], float]:
    """Where each row's label starts and its bar is centred, in lines down the axis, and the lines in all.

    Each label runs the full width above its bar, as many lines as it needs, so no label is cut.
    """
    places, y = [], 0.0
    for row in rows:
        lines = label(row).count("\n") + 1
        places.append((y, y + lines + BAR / 2))
        y += lines + BAR + 0.8
    return places, y


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from ._marks import legend, note, year_axis

    places, height = layout(rows)
    with style.house_style():
        fig = Figure(figsize=(4.4, LINE_HEIGHT * height + 1.4))
        ax = fig.add_subplot()
        first = min(int((r["period_start"] or r["period_end"])[:4]) for r in rows)
        last = max(int(r["period_end"][:4]) for r in rows)
        for row, (top, y) in zip(rows, places, strict=True):
            colour = CATEGORIES[row["category"]][1]
            x0, x1 = year_span(row)
            if x0 is None:
                ax.plot([x1], [y], marker="|", markersize=12, markeredgewidth=2.5, color=colour, linestyle="None",
                        gid=gid(row["id"]))
                ax.annotate("", (x1 - 0.45, y), (x1, y), arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2})
            else:
                # The edge keeps a ten-day range visible as a sliver.
                ax.barh([y], [x1 - x0], left=[x0], height=BAR, color=colour, edgecolor=colour, linewidth=1.5,
                        gid=gid(row["id"]))
            note(ax, 0.0, top, label(row), xycoords=ax.get_yaxis_transform(), ha="left", va="top")
        year_axis(ax, first, last)
        ax.set_ylim(height - 0.5, -0.3)
        ax.set_yticks([])
        ax.spines.left.set_visible(False)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", which="minor", visible=True)
        present = dict.fromkeys(r["category"] for r in rows)
        handles = [Line2D([], [], linewidth=6, color=CATEGORIES[c][1], label=CATEGORIES[c][0]) for c in present]
        handles.append(Line2D([], [], marker="|", markersize=12, markeredgewidth=2.5, color=style.INK,
                              linestyle="None", label="on or before the date"))
        legend(fig, handles, loc="outside lower center", ncols=2)
    return fig


def title(rows) -> str:
    """The takeaway: how many events the sources report after the accession, and over which years."""
    accession, *events = sorted(rows, key=lambda r: r["category"] != "leadership")
    years = sorted({r["period_end"][:4] for r in events})
    span = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return (f"{len(events)} defections, purges and executions of officials reported in {span}, after Kim Jong-un "
            f"took power in {accession['period']}")


def caption(rows) -> str:
    """What to see, in two sentences; each event is described in full on the chart and in the alt text."""
    return (
        "Kim Jong-un's accession, and the defections, purges and executions of officials reported since, "
        "each bar spanning the dates the event can have happened on, as precisely as the source dates it "
        "(\"late 2013\" is July to December). An arrow marks an event known only to have happened by the date "
        f"of the report. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    return (
        "Timeline of elite defections, purges and executions in North Korea: "
        + "; ".join(f"{r['period']}, {r['category_label'].lower()}: {r['description']}" for r in rows)
        + "."
    )
