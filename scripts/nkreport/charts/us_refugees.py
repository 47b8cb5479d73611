"""North Korean refugees in the United States, and what each country gives them to resettle.

Panel (a) shows admissions by US fiscal year as the State Department's
figures have been relayed (bars, the newest copy of each year), with the
archive's press figures as points.  Panel (b) shows the running total since
2006 at each date a report gives it, the archive's totals among them.
Panel (c) lists the counts for shorter periods (a quarter, months), each a
labelled row of its own so that a month is not read as a year.  Panel (d)
compares the US stipend with South Korea's grant and housing support on a
log scale, since they differ fiftyfold; the stipend's total over its eight
months is derived.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import LogLocator, MaxNLocator, MultipleLocator, StrMethodFormatter

from . import style
from ._marks import derived_bar_handle, legend, note, point, range_bar, source_handles, source_styles, value_note
from ._rows import cite, derived_row, figure_row, gid, listed, stated, value_limits, year_span

TABLES = ("figures", "official", "releases", "series")
LABEL = "fig-us-refugees"

AMBIGUOUS = "us-refugees-after-first-group"  # may or may not count the first nine; see its note
TOTALS = ("us-refugees-total", AMBIGUOUS)
RUNNING = "us-admissions-cumulative"
SUPPORT = ("us-stipend-upi2015", "sk-resettlement-grant-upi2015", "sk-resettlement-housing-upi2015")


def _row(ds, f, panel):
    info = ds.series_info[f.series]
    return figure_row(f, panel=panel, series=f.series, short=info.label, what=info.title, note=f.note,
                      official=f.is_official)


def _stipend_total(ds) -> dict:
    """The stipend over its whole duration: monthly low and high times the months."""
    stipend, months = ds.figure("us-stipend-upi2015"), ds.figure("us-stipend-months-upi2015")
    info = ds.series_info[stipend.series]
    return derived_row(
        [stipend, months], f"{stipend.id} × {months.id}", low=stipend.low * months.value,
        high=stipend.high * months.value, unit="USD", panel="support", series=stipend.series,
        short=f"{info.label} over {months.value} months", what=f"{info.title}, {months.value} months in all", note="",
        official=False,
    )


def rows(ds) -> list[dict]:
    """Fiscal years (official, then press), running totals, shorter periods, then the support compared."""
    totals = sorted([*(f for s in TOTALS for f in ds.press(s) if f.period_type == "as-of"),
                     *ds.official(RUNNING, ("as-of",))], key=lambda f: (f.period_end, f.id))
    fiscal = [f for f in ds.press("us-admissions") if f.period_type == "fiscal-year"]
    shorter = [f for f in ds.series("us-admissions") if f.period_type not in ("fiscal-year", "year")]
    stipend, *south_korea = (ds.figure(i) for i in SUPPORT)
    return [
        *(_row(ds, f, "fiscal") for f in ds.official("us-admissions", ("fiscal-year",))),
        *(_row(ds, f, "fiscal") for f in fiscal),
        *(_row(ds, f, "totals") for f in totals),
        *(_row(ds, f, "admissions") for f in shorter),
        _row(ds, stipend, "support"),
        _stipend_total(ds),
        *(_row(ds, f, "support") for f in south_korea),
    ]


def _official(rows) -> set[str]:
    """Ids of the rows from official series (their source is a release, not the archive)."""
    return {r["id"] for r in rows if r["official"]}


def _panel(rows, name):
    return [r for r in rows if r["panel"] == name]


def draw(rows) -> Figure:
    fiscal, totals, admissions, support = (_panel(rows, p) for p in ("fiscal", "totals", "admissions", "support"))
    press = [r for r in fiscal + totals + admissions if not r["official"]]
    styles = source_styles(press)
    with style.house_style():
        fig = Figure(figsize=(4.4, 8.4))
        years_ax, totals_ax, middle, bottom = fig.subplots(4, 1, height_ratios=[1.2, 1.0, 1.2, 1.5])
        for row in fiscal:
            x0, x1 = year_span(row)
            if row["official"] and row["value"] == 0:
                # No admissions: a bar of no height could be neither seen nor pointed at; a bold tick on zero can.
                years_ax.hlines(0, x0 + 0.1, x1 - 0.1, colors=style.INK, linewidth=3, gid=gid(row["id"]), zorder=3,
                                clip_on=False)
            elif row["official"]:
                years_ax.add_patch(Rectangle((x0 + 0.1, 0), x1 - x0 - 0.2, row["value"], facecolor=style.SKY,
                                             edgecolor=style.INK, linewidth=0.4, gid=gid(row["id"]), zorder=2))
            else:
                point(years_ax, (x0 + x1) / 2, row["value"], row, *styles[row["source"]], size=6.5)
        spans = [year_span(r) for r in fiscal + totals]
        years_ax.set_xlim(int(min(s or e for s, e in spans)), int(max(e for _, e in spans)) + 1)
        years_ax.set_ylim(value_limits(fiscal, floor=0, headroom=0.1))
        years_ax.set_ylabel("People")
        years_ax.set_title("(a) Admitted as refugees,\nby US fiscal year")
        for row in totals:
            x = year_span(row)[1]
            if row["official"]:
                point(totals_ax, x, row["value"], row, style.INK, "o", size=4.5)
            else:
                point(totals_ax, x, row["value"], row, *styles[row["source"]])
                # Values are read off the axis (and the table view); only the one ambiguous total needs words.
                if row["series"] == AMBIGUOUS:
                    note(totals_ax, x, row["value"], "ambiguous", xytext=(0, -9), textcoords="offset points",
                         ha="left", va="top")
        totals_ax.set_xlim(years_ax.get_xlim())
        totals_ax.set_ylim(value_limits(totals, floor=0, headroom=0.25))
        totals_ax.set_ylabel("People")
        totals_ax.set_title("(b) Admitted since 2006,\nrunning total as reported")
        for ax in (years_ax, totals_ax):
            ax.xaxis.set_major_locator(MultipleLocator(5))
            ax.xaxis.set_minor_locator(MultipleLocator(1))
            ax.grid(axis="x", visible=False)
        # Periods run from a month to most of a fiscal year, so each is a labelled row, not a place on a time axis.
        for y, row in enumerate(admissions):
            point(middle, row["value"], y, row, *styles.get(row["source"], (style.INK, "o")))
            note(middle, row["value"], y, f"{row['value']:,}", xytext=(10, 0), textcoords="offset points",
                 va="center")
        middle.set_yticks(range(len(admissions)), [r["period"] for r in admissions])
        middle.set_ylim(len(admissions) - 0.5, -0.5)
        middle.set_xlim(value_limits(admissions, floor=0, headroom=0.15))
        middle.xaxis.set_major_locator(MaxNLocator(integer=True))  # people come whole
        middle.grid(axis="x")
        middle.grid(axis="y", visible=False)
        middle.tick_params(axis="y", length=0)
        middle.set_xlabel("People admitted in the period")
        middle.set_title("(c) Admitted in shorter periods", fontweight="normal")
        # Rows down the panel, dollars along x, as in (c): the support's names fit a phone as row labels.
        bottom.set_xscale("log")
        bottom.set_xlim(value_limits(support, log=True, headroom=0.2))
        for y, row in enumerate(support):
            colour = style.BLUE if row["series"].startswith("us-") else style.VERMILLION
            range_bar(bottom, y, row, colour, width=0.5, horizontal=True)
            value_note(bottom, y, row)
        bottom.xaxis.set_major_locator(LogLocator(numticks=20))  # every power of ten, none skipped
        bottom.xaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
        bottom.set_yticks(range(len(support)), [textwrap.fill(r["short"], 24) for r in support])
        bottom.tick_params(axis="y", length=0)
        bottom.set_ylim(len(support) - 0.5, -0.5)
        bottom.grid(axis="x")
        bottom.grid(axis="y", visible=False)
        bottom.set_xlabel("US dollars (log scale)")
        bottom.set_title("(d) Resettlement support,\nUS and South Korea")
        # One key for all four panels, below them: inside a phone-width panel it would cover the bars.
        legend(fig, [Patch(facecolor=style.SKY, edgecolor=style.INK, linewidth=0.4,
                           label="State Department, as relayed (a)"),
                     Line2D([], [], linestyle="None", marker="o", markersize=4.5, color=style.INK,
                            label="State Department, as relayed (b)"),
                     *source_handles(styles, press), derived_bar_handle()], loc="outside lower center", ncols=2)
    return fig


def title(rows) -> str:
    """The takeaway: the newest running total the State Department's figures give."""
    newest = max((r for r in _panel(rows, "totals") if r["official"]), key=lambda r: r["period_end"])
    return f"The US admitted {stated(newest)} North Korean refugees from 2006 to {newest['period']}"


def caption(rows) -> str:
    """What to see, in two sentences; the values are in the alt text and the chart's table."""
    return (
        "North Korean refugees admitted to the United States: (a) by US fiscal year, as the press relayed the "
        "State Department's figures, (b) the running total since 2006 as reported, (c) in shorter periods. "
        "(d) compares the US stipend with South Korea's resettlement support on a log scale, the stipend's "
        f"total over its months derived. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    fiscal, totals, admissions, support = (_panel(rows, p) for p in ("fiscal", "totals", "admissions", "support"))
    official = [r for r in fiscal if r["official"]]
    press = [r for r in fiscal if not r["official"]]
    return (
        "Four charts. First, North Korean refugees admitted to the United States by fiscal year: "
        f"{listed(official, '{value} in {period}')}; the archive's figures: {listed(press, '{value} in {period}')}. "
        f"Second, the running total admitted since 2006: {listed(totals, '{value} {when} ({source_label})')}. "
        f"Third, admissions in shorter periods: {listed(admissions, '{value} in {period}')}. Fourth, resettlement "
        f"support on a log scale: {listed(support, '{short} {value}')}."
    )
