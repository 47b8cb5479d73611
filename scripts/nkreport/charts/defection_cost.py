"""The cost of defecting before and after the border crackdown, on a log scale.

The price rose about a hundredfold, so only a logarithmic axis shows the
before and after prices together.  Stated ranges are bars from low to high;
the hatched bar is the sum of the components the article names, derived here,
so that its gap to the total the article states is visible.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ..derived import total
from . import style
from ._rows import cite, derived_row, figure_row, stated, value_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "series")
LABEL = "fig-defection-cost"

BEFORE, AFTER = "before the crackdown", "after the crackdown"


def rows(ds) -> list[dict]:
    """The bribe before, the crossing price and guide after, their derived sum, and the stated total."""
    def row(figure_id, part):
        f = ds.figure(figure_id)
        phase = BEFORE if f.period_type == "before" else AFTER
        return figure_row(f, part=part, what=ds.series_info[f.series].title, phase=phase)

    crossing, guide = ds.figure("cost-crossing-after-lankov2014"), ds.figure("cost-guide-after-lankov2014")
    components = derived_row(
        [crossing, guide], f"{crossing.id} + {guide.id}",
        low=total(crossing.low, guide.value), high=total(crossing.high, guide.value),
        part="sum", what="Sum of the crossing and guide prices", phase=AFTER,
    )
    return [row("cost-bribe-before-lankov2014", "bribe"), row(crossing.id, "crossing"), row(guide.id, "guide"),
            components, row("cost-total-after-lankov2014", "total")]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import LogLocator, StrMethodFormatter

    from ._marks import derived_bar_handle, note, range_bar, value_note

    with style.house_style():
        # Rows down the page, prices along x: the long names of the prices fit a phone as row labels.
        fig = Figure(figsize=(4.4, 5.4))
        ax = fig.add_subplot()
        ax.set_xscale("log")
        # From a power of ten below the cheapest, with room right of the dearest.
        ax.set_xlim(value_limits(rows, log=True, headroom=0.14))
        for y, row in enumerate(rows):
            colour = style.BLUE if row["phase"] == BEFORE else style.VERMILLION
            range_bar(ax, y, row, colour, width=0.5, horizontal=True)
            value_note(ax, y, row)
        labels = [f"{textwrap.fill(r['what'], 19)}\n({'derived' if r['derived'] else r['period']})" for r in rows]
        ax.set_yticks(range(len(rows)), labels)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.grid(axis="x", which="major")
        ax.grid(axis="y", visible=False)
        # The crackdown falls between the first (before) and the rest (after).
        ax.axhline(0.5, color=style.INK, linewidth=1, linestyle=(0, (2, 2)))
        for text, align in ((f"↑ {BEFORE}", "bottom"), (f"↓ {AFTER}", "top")):
            note(ax, 0.99, 0.5, text, xycoords=ax.get_yaxis_transform(), ha="right", va=align)
        ax.xaxis.set_major_locator(LogLocator(numticks=20))  # every power of ten, none skipped
        ax.xaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
        ax.set_xlabel("US dollars (log scale)")
        fig.legend(handles=[derived_bar_handle()], loc="outside lower center")
    return fig


def _parts(rows) -> dict[str, dict]:
    return {r["part"]: r for r in rows}


def _times(rows) -> str:
    """How many times the bribe the crossing price is: '100', or '50 to 100'."""
    parts = _parts(rows)
    before, after = parts["bribe"], parts["crossing"]
    # Like with like: the crossing price against the bribe it replaced, end for end, as the text compares them.
    factors = {round(_lowest(after) / _lowest(before)), round(_highest(after) / _highest(before))}
    return f"{factors.pop():,}" if len(factors) == 1 else f"{min(factors):,} to {max(factors):,}"


def title(rows) -> str:
    return f"Crossing the border cost about {_times(rows)} times as much after the crackdown"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    parts = _parts(rows)
    times = _times(rows)
    top, bottom = _highest(parts["sum"]), _lowest(parts["total"])
    reach = "falls short of" if top < bottom else "reaches only the bottom of" if top == bottom else "overlaps"
    return (
        f"Crossing the border cost about {times} times as much after the crackdown as before it, so the "
        "dollars run on a log scale (each gridline is ten times the one before). The hatched bar is derived, the "
        f"sum of the two prices the article names, which {reach} the total it states. Sources: {cite(rows)}."
    )


def _lowest(row) -> float:
    return row["value"] if row["value"] is not None else row["low"]


def _highest(row) -> float:
    return row["value"] if row["value"] is not None else row["high"]


def alt_text(rows) -> str:
    parts = _parts(rows)
    bribe, crossing, guide, derived, stated_total = (parts[p] for p in ("bribe", "crossing", "guide", "sum", "total"))
    return (
        f"Range chart, log scale, of the cost of defecting: a bribe of {stated(bribe)} {bribe['phase']}; "
        f"{AFTER}, {stated(crossing)} to cross the border plus {stated(guide)} for a guide, which adds up to "
        f"{stated(derived)} (derived), against a stated total of {stated(stated_total)}."
    )
