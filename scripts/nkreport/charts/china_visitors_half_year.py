"""North Korean visitors to China, first half of 2014 against the first half of 2015.

Two totals only, so two bars; the 2015 bar is built from the men and women
the source counts, with its stated total as a tick on top, so a reader sees
whether they add up.  The stated change (-2.2%) is written beside the one
recomputed from the totals (-2.3%): the counts are rounded, so both are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..derived import percent_change
from . import style
from ._rows import capitalised, cite, derived_row, gid, listed, of_part, series_row, stated, value_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "series")
LABEL = "fig-china-visitors-half-year"

BEFORE, AFTER = "china-visitors-2014h1-dailynk2015", "china-visitors-2015h1-dailynk2015"
MEN, WOMEN = "china-visitors-men-2015h1-dailynk2015", "china-visitors-women-2015h1-dailynk2015"
STATED_CHANGE = "china-visitors-change-2015h1-dailynk2015"


def rows(ds) -> list[dict]:
    """The two half-year totals, the later one's men and women, and its change as stated and recomputed."""
    before, after = ds.figure(BEFORE), ds.figure(AFTER)
    change = ds.series_info["china-visitors-change"]
    return [
        series_row(ds, before, part="total"),
        series_row(ds, ds.figure(MEN), part="men"),
        series_row(ds, ds.figure(WOMEN), part="women"),
        series_row(ds, after, part="total"),
        series_row(ds, ds.figure(STATED_CHANGE), part="change"),
        # The later total first: the change is dated to it, as the stated change is.
        derived_row([after, before], f"percent_change({before.id}, {after.id})",
                    value=percent_change(before.value, after.value), unit="percent change", part="change",
                    short=capitalised(change.label), what=change.title, description=change.description),
    ]


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    from ._marks import note, note_lines

    totals = of_part(rows, "total")
    (men,), (women,) = of_part(rows, "men"), of_part(rows, "women")
    with style.house_style():
        fig = Figure(figsize=(4.4, 3.9))
        ax = fig.subplots()
        periods = list(dict.fromkeys(r["period"] for r in totals))
        at = {period: x for x, period in enumerate(periods)}
        for row in totals:
            x = at[row["period"]]
            if row["period"] == men["period"]:
                # The stated total is a tick on top of the men and women it is made of.
                ax.plot([x], [row["value"]], marker="_", markersize=44, markeredgewidth=2.5, color=style.INK,
                        linestyle="None", gid=gid(row["id"]), zorder=4)
            else:
                ax.bar([x], [row["value"]], width=0.6, color=style.GREEN, gid=gid(row["id"]))
            note(ax, x, row["value"], stated(row), xytext=(0, 5.5), textcoords="offset points", ha="center",
                 va="bottom")
        x = at[men["period"]]
        ax.bar([x], [men["value"]], width=0.6, color=style.BLUE, gid=gid(men["id"]))
        ax.bar([x], [women["value"]], bottom=[men["value"]], width=0.6, color=style.VERMILLION, gid=gid(women["id"]))
        ax.annotate(f"{men['short']}\n{stated(men)}", (x, men["value"] / 2), ha="center", va="center",
                    color="white", fontsize=style.NOTE_SIZE, fontweight="bold")
        note(ax, x + 0.33, men["value"] + women["value"] / 2, f"{women['short']}\n{stated(women)}", va="center")
        note_lines(ax, 0.5, 0.98, "Change:", of_part(rows, "change"),
                   lambda r: f"{stated(r)} {'recomputed' if r['derived'] else 'as stated'}", ha="center")
        ax.set_xticks(range(len(periods)), periods)
        ax.set_xlim(-0.6, len(periods) - 0.2)
        # Room above the tallest bar for its label and the change written at the top.
        ax.set_ylim(value_limits([*totals, men["value"] + women["value"]], floor=0, headroom=0.3))
        ax.set_ylabel("People")
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.tick_params(axis="x", length=0)
    return fig


def _changes(rows) -> tuple[dict, dict]:
    """The change as the source states it, then as recomputed here."""
    stated_change, derived_change = sorted(of_part(rows, "change"), key=lambda r: r["derived"])
    return stated_change, derived_change


def title(rows) -> str:
    """The takeaway: the change the source states between the two half-years."""
    change, _ = _changes(rows)
    before, after = of_part(rows, "total")
    moved = "fell" if change["value"] < 0 else "rose"
    return (f"Legal visits by North Koreans to China {moved} {abs(change['value']):g}% from {before['period']} "
            f"to {after['period']}, to {stated(after)}")


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    before, after = of_part(rows, "total")
    return (
        f"{before['what']}, {before['period']} against {after['period']}, the later total split into men and "
        "women as the source counts them. The change the source states stands beside the one recomputed here "
        f"from the rounded totals (derived). Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    totals = of_part(rows, "total")
    stated_change, derived_change = _changes(rows)
    (men,), (women,) = of_part(rows, "men"), of_part(rows, "women")
    return (
        f"Bar chart of North Korean visitors to China: {listed(totals, '{value} in {period}')}, a change of "
        f"{stated(stated_change)} as stated or {stated(derived_change)} recomputed. {totals[0]['description']} "
        f"The {men['period']} bar is split into {stated(men)} men and {stated(women)} women."
    )
