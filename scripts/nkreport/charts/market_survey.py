"""Market income in North Korea: what the defector survey and related reporting say, in percent.

The sources give only three shares, and each describes a different group, so
they stand side by side on one 0-100% axis, each under a label naming its
source and the population it describes.  The survey's "a little more than
half" is an arrow, as every lower bound is, so it does not read as a
measurement; the experts' range is a bar from low to high.  The visitors to
China stand apart behind a dashed line: a different population altogether.
The survey's sample sizes are not shares, so they are written under its mark.
Below, the survey's later results by year, as the press reported them: each
share a point, each year's number of respondents written along the foot.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, PercentFormatter

from . import style
from ._marks import legend, lower_bound_handle, note, range_bar, source_styles
from ._rows import capitalised, cite, figure_row, gid, is_lower_bound, listed, listing, stated

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-market-survey"

SURVEY, SAMPLE_2014, SAMPLE_ANNUAL = (
    "survey-no-state-pay-2014-wsj2015", "survey-sample-2014-wsj2015", "survey-sample-annual-wsj2015")
EXPERTS = "market-income-share-wsj2015"
VISITORS = "china-visitors-jobseekers-share-2015h1-dailynk2015"

APART = "A different population"
BY_YEAR = ("survey-official-work-share", "survey-informal-work-share", "survey-no-official-income-share")


def rows(ds) -> list[dict]:
    """The survey's no-state-pay share with its two sample sizes, the experts' range, the visitors' share."""
    def row(f, part):
        info = ds.series_info[f.series]
        found = figure_row(f, part=part, what=info.title, short=info.label, said_by=info.measured_by, year=f.year)
        # Whom the series describes; "{period}" in the data stands for the row's period.
        return found | {"population": info.population.format(period=found["period"])}

    return [row(ds.figure(SURVEY), "share"), row(ds.figure(SAMPLE_2014), "sample"),
            row(ds.figure(SAMPLE_ANNUAL), "sample"), row(ds.figure(EXPERTS), "share"),
            row(ds.figure(VISITORS), "share"),
            *(row(f, "by year") for series in BY_YEAR for f in ds.official(series)),
            *(row(f, "respondents") for f in ds.official("survey-sample"))]


def _of(rows, part):
    return [r for r in rows if r["part"] == part]


def _parts(rows) -> tuple[dict, dict, dict, dict, dict]:
    """The survey's share, its latest and its yearly sample, the experts' range, the visitors' share."""
    by_id = {r["id"]: r for r in rows}
    return tuple(by_id[i] for i in (SURVEY, SAMPLE_2014, SAMPLE_ANNUAL, EXPERTS, VISITORS))


def _source(row) -> str:
    """Who says so and the short source label: 'SNU IPUS survey, WSJ 2015'."""
    return ", ".join(filter(None, (row["said_by"], row["source_label"])))


def _label(row) -> str:
    """A share's axis label: whom it describes, then its source."""
    who = capitalised(row["population"])
    return "\n".join(textwrap.fill(line, 12) for line in (who, f"({_source(row)})"))


def draw(rows) -> Figure:
    shares = _of(rows, "share")
    _, latest, annual, _, _ = _parts(rows)
    styles = source_styles(shares)
    with style.house_style():
        fig = Figure(figsize=(4.4, 8.4))
        ax, later = fig.subplots(2, 1, height_ratios=[5, 3.4])
        for x, row in enumerate(shares):
            range_bar(ax, x, row, styles[row["source"]][0], width=0.45)
            top, lift = (row["high"], 4) if row["value"] is None else (row["value"], 22 if is_lower_bound(row) else 9)
            note(ax, x, top, textwrap.fill(f"{stated(row)} {row['short']}", 11), xytext=(0, lift),
                 textcoords="offset points", ha="center", va="bottom")
            if row["id"] == SURVEY:
                # The sample sizes are people, not shares: words under the survey's mark, one text per figure.
                note(ax, x, row["value"], f"Sample: {stated(latest)}\nwho escaped in {latest['period']}",
                     xytext=(0, -12), textcoords="offset points", ha="center", va="top", gid=gid(latest["id"]))
                note(ax, x, row["value"], f"({stated(annual)}\nsurveyed a year)", xytext=(0, -44),
                     textcoords="offset points", ha="center", va="top", gid=gid(annual["id"]))
        ax.set_xticks(range(len(shares)), [_label(r) for r in shares], fontsize=style.NOTE_SIZE)
        ax.tick_params(axis="x", length=0)
        # The visitors to China are another population: a dashed line sets them apart.
        apart = next(x for x, r in enumerate(shares) if r["id"] == VISITORS)
        ax.axvline(apart - 0.5, color=style.INK, linewidth=1, linestyle=(0, (2, 2)))
        note(ax, apart, 0.98, textwrap.fill(APART, 12), xycoords=ax.get_xaxis_transform(), ha="center", va="top",
             fontstyle="italic")
        ax.set_xlim(-0.6, len(shares) - 0.4)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_ylabel("Share (percent)")
        ax.legend(handles=[lower_bound_handle()], loc="lower right")
        _draw_by_year(later, rows)
    return fig


def _draw_by_year(ax, rows) -> None:
    """Later surveys: one colour per result, the respondents of each year along the foot."""
    results, respondents = _of(rows, "by year"), _of(rows, "respondents")
    colours = dict(zip(BY_YEAR, (style.BLUE, style.GREEN, style.VERMILLION), strict=True))
    for row in results:
        colour = next(c for series, c in colours.items() if row["id"].startswith(series))
        (mark,) = ax.plot([row["year"]], [row["value"]], marker="o", markersize=7, color=colour, linestyle="None",
                          gid=gid(row["id"]), zorder=3)
    for row in respondents:
        note(ax, row["year"], 0.03, f"n={row['value']:,}", xycoords=ax.get_xaxis_transform(), ha="center",
             va="bottom", rotation=90, gid=gid(row["id"]))
    years = [r["year"] for r in results + respondents]
    ax.set_xlim(min(years) - 0.7, max(years) + 0.7)
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylabel("Share (percent)")
    ax.set_title("The survey by year, as the press reported it")
    labels = {series: capitalised(next(r["short"] for r in results if r["id"].startswith(series)))
              for series in BY_YEAR if any(r["id"].startswith(series) for r in results)}
    # Below the panel: inside it, the key would cover the points of the first years.
    legend(ax.figure, [Line2D([], [], marker="o", linestyle="None", color=colours[s], label=label)
                       for s, label in labels.items()], width=40, loc="outside lower center")


def title(rows) -> str:
    """The takeaway: the experts' estimate of the markets' share of income."""
    estimate = next(r for r in rows if r["id"].startswith("market-income-share"))
    return f"Markets give {stated(estimate)} of North Koreans' income, experts estimated in {estimate['period'][-4:]}"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "Three shares on one scale, each of a different group: the SNU IPUS survey's lower bound for defectors "
        "who got no money from the state, the range unnamed experts give for income from markets and, right of "
        "the dashed line, a different population, visitors to China who reportedly went to seek work. Below, "
        f"the survey's results by year as the press reported them, with each year's respondents (n). "
        f"Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    survey, latest, annual, experts, visitors = _parts(rows)
    shares = [f"{r['short']}: {stated(r)} ({r['population']}; {_source(r)})"
              for r in (survey, experts, visitors)]
    return (
        f"Chart of three shares on a scale from 0 to 100 percent: {listing(shares)}. "
        f"The survey's figure is a lower bound; its sample was {stated(latest)} defectors who escaped in "
        f"{latest['period']}, and it surveys {stated(annual)} people a year. A second chart shows results by "
        f"year: {listed(_of(rows, 'by year'), '{value} {short} in {year}')}; respondents: "
        f"{listed(_of(rows, 'respondents'), '{value} in {year}')}."
    )
