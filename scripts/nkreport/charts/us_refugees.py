"""North Korean refugees in the United States, and what each country gives them to resettle.

Panel (a) shows the few counts there are as points: totals admitted since
2006 at the dates they were reported, then admissions in periods of very
different lengths (fiscal years, a quarter, months), each a labelled row of
its own so that a month is not read as a year.  Panel (b) compares the US
stipend with South Korea's grant and housing support on a log scale, since
they differ fiftyfold; the stipend's total over its eight months is derived.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, StrMethodFormatter

from . import style
from ._marks import (
    cite,
    derived_bar_handle,
    derived_row,
    dodge,
    figure_row,
    listed,
    note,
    point,
    range_bar,
    source_handles,
    source_styles,
    stated,
    value_limits,
    when,
    year_axis,
    year_span,
)

TABLES = ("figures", "series")
LABEL = "fig-us-refugees"

AMBIGUOUS = "us-refugees-after-first-group"  # may or may not count the first nine; see its note
TOTALS = ("us-refugees-total", AMBIGUOUS)
SUPPORT = ("us-stipend-upi2015", "sk-resettlement-grant-upi2015", "sk-resettlement-housing-upi2015")


def _row(ds, f, panel):
    info = ds.series_info[f.series]
    return figure_row(f, panel=panel, series=f.series, short=info.label, what=info.title, note=f.note)


def _stipend_total(ds) -> dict:
    """The stipend over its whole duration: monthly low and high times the months."""
    stipend, months = ds.figure("us-stipend-upi2015"), ds.figure("us-stipend-months-upi2015")
    info = ds.series_info[stipend.series]
    return derived_row(
        [stipend, months], f"{stipend.id} × {months.id}", low=stipend.low * months.value,
        high=stipend.high * months.value, unit="USD", panel="support", series=stipend.series,
        short=f"{info.label} over {months.value} months", what=f"{info.title}, {months.value} months in all", note="",
    )


def rows(ds) -> list[dict]:
    """Totals, admissions by period, then the support compared (stipend, its derived total, grants, housing)."""
    totals = sorted((f for s in TOTALS for f in ds.press(s) if f.period_type == "as-of"),
                    key=lambda f: (f.period_end, f.id))
    stipend, *south_korea = (ds.figure(i) for i in SUPPORT)
    return [
        *(_row(ds, f, "totals") for f in totals),
        *(_row(ds, f, "admissions") for f in ds.press("us-admissions")),
        _row(ds, stipend, "support"),
        _stipend_total(ds),
        *(_row(ds, f, "support") for f in south_korea),
    ]


def _panel(rows, name):
    return [r for r in rows if r["panel"] == name]


def draw(rows) -> Figure:
    totals, admissions, support = (_panel(rows, p) for p in ("totals", "admissions", "support"))
    styles = source_styles(totals + admissions)
    with style.house_style():
        fig = Figure(figsize=(6.4, 8.2))
        top, middle, bottom = fig.subplots(3, 1, height_ratios=[1.2, 2.0, 1.8])
        years = [r["period_end"][:4] for r in totals]
        for row, offset in zip(totals, dodge(years, 0.4), strict=True):
            x = year_span(row)[1] + offset
            point(top, x, row["value"], row, *styles[row["source"]])
            ambiguous = "\n(ambiguous)" if row["series"] == AMBIGUOUS else ""
            note(top, x, row["value"], f"{row['value']:,}{ambiguous}", xytext=(0, 8), textcoords="offset points",
                 ha="center", va="bottom")
        year_axis(top, int(min(years)), int(max(years)))
        # Totals do not start at zero: the room below and above is for the labels.
        top.set_ylim(value_limits(totals, headroom=0.3, footroom=0.25))
        top.set_ylabel("People")
        top.set_title("(a) North Korean refugees in the US, total")
        # Periods run from a month to a fiscal year, so each is a labelled row rather than a place on a time axis.
        for y, row in enumerate(admissions):
            point(middle, row["value"], y, row, *styles[row["source"]])
            note(middle, row["value"], y, f"{row['value']:,}", xytext=(10, 0), textcoords="offset points",
                 va="center")
        middle.set_yticks(range(len(admissions)), [r["period"] for r in admissions])
        middle.set_ylim(len(admissions) - 0.5, -0.5)
        middle.set_xlim(value_limits(admissions, floor=0, headroom=0.15))
        middle.grid(axis="x")
        middle.grid(axis="y", visible=False)
        middle.tick_params(axis="y", length=0)
        middle.set_xlabel("People admitted in the period")
        middle.set_title("Admitted as refugees, by period", fontweight="normal")
        middle.legend(handles=source_handles(styles, totals + admissions), loc="lower right")
        for x, row in enumerate(support):
            colour = style.BLUE if row["series"].startswith("us-") else style.VERMILLION
            range_bar(bottom, x, row, colour, width=0.5)
            top_value = row["high"] if row["value"] is None else row["value"]
            note(bottom, x, top_value * 1.3, stated(row), ha="center", va="bottom")
        bottom.set_yscale("log")
        bottom.set_ylim(value_limits(support, log=True, headroom=0.2))
        bottom.yaxis.set_major_locator(LogLocator(numticks=20))  # every power of ten, none skipped
        bottom.yaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
        bottom.set_xticks(range(len(support)), [textwrap.fill(r["short"], 14) for r in support],
                          fontsize=style.NOTE_SIZE)
        bottom.tick_params(axis="x", length=0)
        bottom.set_xlim(-0.6, len(support) - 0.4)
        bottom.set_ylabel("US dollars (log scale)")
        bottom.set_title("(b) Resettlement support, US and South Korea")
        bottom.legend(handles=[derived_bar_handle()], loc="upper left")
    return fig


def caption(rows) -> str:
    totals, admissions, support = (_panel(rows, p) for p in ("totals", "admissions", "support"))
    ambiguous = "".join(f"The {stated(r)} {when(r)} is ambiguous: {r['note'].removeprefix('Ambiguous: ')} "
                        for r in totals if r["series"] == AMBIGUOUS)
    stipend, derived, *south_korea = support
    return (
        f"(a) {totals[0]['what']}: {listed(totals, '{value} {when} ({source_label})')}. {ambiguous}"
        "Below, admissions in periods of different lengths (US fiscal years run October to September): "
        f"{listed(admissions, '{period}: {value}')}. (b) Support on resettling, in US dollars on a log scale: the "
        f"US stipend of {stated(stipend)} and, derived, the {derived['short']}: {stated(derived)} (hatched), "
        f"against {listed(south_korea, '{what} of {value}')}. Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    totals, admissions, support = (_panel(rows, p) for p in ("totals", "admissions", "support"))
    return (
        "Three charts. First, North Korean refugees in the United States, total admitted: "
        f"{listed(totals, '{value} {when} ({source_label})')}. Second, admissions by period: "
        f"{listed(admissions, '{value} in {period}')}. Third, resettlement support on a log scale: "
        f"{listed(support, '{short} {value}')}."
    )
