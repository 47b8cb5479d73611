"""North Korean visitors to China, first half of 2014 against 2015, with the 2015 breakdown, and by year.

Two totals only, so two bars; the 2015 bar is built from the men and women
the source counts, with its stated total as a tick on top, so a reader sees
whether they add up.  The source's shares sit in a panel of their own because
they are percentages, not people.  The stated
change (-2.2%) is shown beside the one recomputed from the totals (-2.3%).
Below, China's annual figures as the press relayed them: a bar for the newest
copy of each year, and a point for each copy that gives a different number.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter, StrMethodFormatter

from ..derived import percent_change
from . import style
from ._marks import note, note_lines
from ._rows import capitalised, cite, derived_row, figure_row, gid, listed, stated, value_limits

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-china-visitors"


def rows(ds) -> list[dict]:
    """The two half-year totals, the 2015 split by sex, the stated and recomputed change, the 2015 shares."""
    def row(figure_id, part):
        f = ds.figure(figure_id)
        info = ds.series_info[f.series]
        return figure_row(f, part=part, short=capitalised(info.label), what=info.title, description=info.description)

    before, after = ds.figure("china-visitors-2014h1-dailynk2015"), ds.figure("china-visitors-2015h1-dailynk2015")
    change = ds.series_info["china-visitors-change"]
    return [
        row(before.id, "total"),
        row("china-visitors-men-2015h1-dailynk2015", "men"),
        row("china-visitors-women-2015h1-dailynk2015", "women"),
        row(after.id, "total"),
        row("china-visitors-change-2015h1-dailynk2015", "change"),
        # The later total first: the change is dated to it, as the stated change is.
        derived_row([after, before], f"percent_change({before.id}, {after.id})",
                    value=percent_change(before.value, after.value), unit="percent change", part="change",
                    short=capitalised(change.label), what=change.title, description=change.description),
        row("china-visitors-men-share-2015h1-dailynk2015", "share"),
        row("china-visitors-jobseekers-share-2015h1-dailynk2015", "share"),
        *_annual(ds),
    ]


def _annual(ds) -> list[dict]:
    """Each year's newest relayed figure, then the other copies' figures where they differ."""
    info = ds.series_info["china-visitors"]
    current = ds.official("china-visitors")
    others = [f for f in ds.series("china-visitors") if f.is_official and f.period_type == "year"
              and f not in current and f.value != next(c.value for c in current if c.quantity == f.quantity)]
    return [figure_row(f, part=part, short=capitalised(info.label), what=info.title, description=info.description)
            for part, figures in (("annual", current), ("other copy", others)) for f in figures]


def _of(rows, part):
    return [r for r in rows if r["part"] == part]


def draw(rows) -> Figure:
    totals, shares = _of(rows, "total"), _of(rows, "share")
    men, women = _of(rows, "men")[0], _of(rows, "women")[0]
    with style.house_style():
        # Three panels one above the other, each the figure's full width on a phone.
        fig = Figure(figsize=(4.4, 8.2))
        counts, percents, annual = fig.subplots(3, 1, height_ratios=[1.3, 0.75, 1])
        periods = list(dict.fromkeys(r["period"] for r in totals))
        at = {period: x for x, period in enumerate(periods)}
        for row in totals:
            x = at[row["period"]]
            if row["period"] == men["period"]:
                # The stated total is a tick on top of the men and women it is made of.
                counts.plot([x], [row["value"]], marker="_", markersize=44, markeredgewidth=2.5, color=style.INK,
                            linestyle="None", gid=gid(row["id"]), zorder=4)
            else:
                counts.bar([x], [row["value"]], width=0.6, color=style.GREEN, gid=gid(row["id"]))
            note(counts, x, row["value"], stated(row), xytext=(0, 5.5), textcoords="offset points", ha="center",
                 va="bottom")
        x = at[men["period"]]
        counts.bar([x], [men["value"]], width=0.6, color=style.BLUE, gid=gid(men["id"]))
        counts.bar([x], [women["value"]], bottom=[men["value"]], width=0.6, color=style.VERMILLION,
                   gid=gid(women["id"]))
        counts.annotate(f"{men['short']}\n{stated(men)}", (x, men["value"] / 2), ha="center", va="center",
                        color="white", fontsize=style.NOTE_SIZE, fontweight="bold")
        note(counts, x + 0.33, men["value"] + women["value"] / 2, f"{women['short']}\n{stated(women)}", va="center")
        note_lines(counts, 0.5, 0.98, "Change:", _of(rows, "change"),
                   lambda r: f"{stated(r)} {'recomputed' if r['derived'] else 'as stated'}", ha="center")
        counts.set_xticks(range(len(periods)), periods)
        counts.set_xlim(-0.6, len(periods) - 0.2)
        # Room above the tallest bar for its label and the change written at the top.
        counts.set_ylim(value_limits([*totals, men["value"] + women["value"]], floor=0, headroom=0.3))
        counts.set_ylabel("People")
        counts.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        counts.set_title("Visitors")
        for x, row in enumerate(shares):
            percents.bar([x], [row["value"]], width=0.6, color=style.PURPLE if x else style.BLUE, gid=gid(row["id"]))
            note(percents, x, row["value"] + 2, stated(row), ha="center", va="bottom")
        percents.set_xticks(range(len(shares)), [textwrap.fill(r["short"], 9) for r in shares])
        percents.set_ylim(0, 100)
        percents.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        percents.set_title(f"Shares, {shares[0]['period']}")
        for ax in (counts, percents):
            ax.tick_params(axis="x", length=0)
        years = _of(rows, "annual")
        for row in years:
            annual.bar([int(row["period_end"][:4])], [row["value"]], width=0.6, color=style.GREEN, gid=gid(row["id"]))
        for row in _of(rows, "other copy"):
            annual.plot([int(row["period_end"][:4])], [row["value"]], marker="D", markersize=6, color=style.INK,
                        linestyle="None", gid=gid(row["id"]), zorder=4)
        annual.set_ylim(value_limits(years + _of(rows, "other copy"), floor=0, headroom=0.1))
        annual.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        # Years as numbers, labelled as many as fit: a new year of data never crowds the axis.
        annual.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        annual.xaxis.set_major_formatter(StrMethodFormatter("{x:.0f}"))
        annual.set_ylabel("People")
        annual.set_title("Legal entries by year, as relayed")
        annual.tick_params(axis="x", length=0)
    return fig


def _words(rows):
    """The rows caption and alt text speak of: totals, shares, stated and derived change, men, women."""
    stated_change, derived_change = sorted(_of(rows, "change"), key=lambda r: r["derived"])
    return (_of(rows, "total"), _of(rows, "share"), stated_change, derived_change,
            _of(rows, "men")[0], _of(rows, "women")[0])


def title(rows) -> str:
    """The takeaway: the change the source states, and the peak of the yearly entries."""
    _, _, change, _, _, _ = _words(rows)
    before, after = _of(rows, "total")[0], _of(rows, "total")[-1]
    peak = max(_of(rows, "annual"), key=lambda r: r["value"])
    moved = "fell" if change["value"] < 0 else "rose"
    return (f"Legal visits to China {moved} {abs(change['value']):g}% from {before['period']} to {after['period']}; "
            f"by year they peaked at {stated(peak)} in {peak['period']}")


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    totals = _of(rows, "total")
    return (
        f"{totals[0]['what']}, {totals[0]['period']} against {totals[-1]['period']}: the change the source states "
        "beside the one recomputed here (derived), and the shares of the visitors it states. Below, entries by "
        f"year as relayed, a diamond where another copy differs from the newest. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    totals, shares, stated_change, derived_change, men, women = _words(rows)
    return (
        f"Bar chart of North Korean visitors to China: {listed(totals, '{value} in {period}')}, a change of "
        f"{stated(stated_change)} as stated or {stated(derived_change)} recomputed. {totals[0]['description']} "
        f"The {men['period']} bar is "
        f"split into {stated(men)} men and {stated(women)} women. A second panel shows shares of the "
        f"{men['period']} visitors: {listed(shares, '{short} {value}').lower()}. A third panel shows legal "
        f"entries by year, as relayed: {listed(_of(rows, 'annual'), '{value} in {period}')}; other copies give "
        f"{listed(_of(rows, 'other copy'), '{value} for {period} ({source_label})')}."
    )
