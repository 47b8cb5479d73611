"""The cost of defecting before and after the border crackdown, on a log scale.

The price rose about a hundredfold, so only a logarithmic axis shows the
before and after prices together.  Stated ranges are bars from low to high;
the hatched bar is the sum of the components the article names, derived here,
so that its gap to the total the article states is visible.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, StrMethodFormatter

from ..data import total
from . import style
from ._marks import cite, derived_bar_handle, derived_row, figure_row, note, range_bar, stated, value_limits

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
    with style.house_style():
        fig = Figure(figsize=(6.4, 5.0))
        ax = fig.add_subplot()
        ax.set_yscale("log")
        for x, row in enumerate(rows):
            colour = style.BLUE if row["phase"] == BEFORE else style.VERMILLION
            range_bar(ax, x, row, colour, width=0.55)
            top = row["high"] if row["value"] is None else row["value"]
            note(ax, x, top * 1.25, textwrap.fill(stated(row), 12, break_long_words=False), ha="center", va="bottom")
        labels = [f"{textwrap.fill(r['what'], 15)}\n({'derived' if r['derived'] else r['period']})" for r in rows]
        ax.set_xticks(range(len(rows)), labels, fontsize=style.NOTE_SIZE)
        ax.tick_params(axis="x", length=0)
        # The crackdown falls between the first (before) and the rest (after).
        ax.axvline(0.5, color=style.INK, linewidth=1, linestyle=(0, (2, 2)))
        for x, text, align in ((0.45, f"← {BEFORE}", "right"), (0.55, f"{AFTER} →", "left")):
            note(ax, x, 0.98, text, xycoords=ax.get_xaxis_transform(), ha=align, va="top")
        ax.set_xlim(-0.6, len(rows) - 0.4)
        # From a power of ten below the cheapest, with room above the dearest for its label.
        ax.set_ylim(value_limits(rows, log=True, headroom=0.14))
        ax.yaxis.set_major_locator(LogLocator(numticks=20))  # every power of ten, none skipped
        ax.yaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
        ax.set_ylabel("US dollars (log scale)")
        fig.legend(handles=[derived_bar_handle()], loc="outside lower center")
    return fig


def _parts(rows) -> dict[str, dict]:
    return {r["part"]: r for r in rows}


def caption(rows) -> str:
    parts = _parts(rows)
    stated_rows = [f"{r['what']}: {stated(r)} ({r['phase']})" for r in rows if not r["derived"]]
    return (
        "The cost of defecting from North Korea before and after the border crackdown, in US dollars on a "
        "logarithmic scale (each gridline is ten times the one below). Bars span stated ranges, the point a "
        f"single price: {'; '.join(stated_rows)}. The hatched bar is derived, the sum of the two components the "
        f"article names ({stated(parts['sum'])}); it falls short of the total the article states, "
        f"{stated(parts['total'])}. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    parts = _parts(rows)
    bribe, crossing, guide, derived, stated_total = (parts[p] for p in ("bribe", "crossing", "guide", "sum", "total"))
    return (
        f"Range chart, log scale, of the cost of defecting: a bribe of {stated(bribe)} {bribe['phase']}; "
        f"{AFTER}, {stated(crossing)} to cross the border plus {stated(guide)} for a guide, which adds up to "
        f"{stated(derived)} (derived), against a stated total of {stated(stated_total)}."
    )
