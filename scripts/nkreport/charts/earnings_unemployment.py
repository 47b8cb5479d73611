"""Defectors' pay and unemployment in South Korea against the national average.

Two panels because won and percent share no axis; each sets the defectors'
figure beside the national one, and notes the source's ratio next to the
ratio recomputed here from the two figures (64% stated, 64.7% derived).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..derived import ratio, share
from . import style
from ._rows import cite, derived_row, figure_row, gid, stated

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TABLES = ("figures", "series")
LABEL = "fig-earnings-unemployment"

PANELS = {
    "earnings": ("earnings-defectors-2013-chosun2014", "earnings-national-2013-chosun2014",
                 "earnings-ratio-2013-chosun2014"),
    "unemployment": ("unemployment-defectors-2013-chosun2014", "unemployment-national-2013-chosun2014",
                     "unemployment-ratio-2013-chosun2014"),
}
GROUPS = ("defectors", "national", "ratio")
LABELS = {"defectors": "Defectors", "national": "National\naverage"}
TITLES = {"earnings": "Average pay (million won)", "unemployment": "Unemployment rate"}


def rows(ds) -> list[dict]:
    """Per panel: defectors, national average, stated ratio, recomputed ratio."""
    found = []
    for panel, ids in PANELS.items():
        defectors, national, stated_ratio = (ds.figure(i) for i in ids)
        for f, group in zip((defectors, national, stated_ratio), GROUPS, strict=True):
            found.append(figure_row(f, panel=panel, group=group, what=ds.series_info[f.series].title, note=f.note))
        # The source gives pay as a percentage of the average and unemployment as a multiple; recompute each alike.
        if stated_ratio.unit == "percent":
            value, formula = share(defectors.value, national.value), f"{defectors.id} / {national.id} × 100"
        else:
            value, formula = ratio(defectors.value, national.value, places=1), f"{defectors.id} / {national.id}"
        found.append(derived_row([defectors, national], formula, value=value, unit=stated_ratio.unit, panel=panel,
                                 group="ratio", what=ds.series_info[stated_ratio.series].title, note=""))
    return found


def _text(row) -> str:
    return f"{stated(row)} times" if row["unit"] == "ratio" else stated(row)


def draw(rows) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    from ._marks import note, note_lines

    with style.house_style():
        # One panel above the other: side by side, each would be half a phone's width.
        fig = Figure(figsize=(4.4, 5.6))
        axes = dict(zip(PANELS, fig.subplots(2, 1), strict=True))
        for panel, ax in axes.items():
            mine = [r for r in rows if r["panel"] == panel]
            bars = [r for r in mine if r["group"] != "ratio"]
            for x, row in enumerate(bars):
                colour = style.VERMILLION if row["group"] == "defectors" else style.BLUE
                ax.bar([x], [row["value"]], width=0.6, color=colour, gid=gid(row["id"]))
                note(ax, x, row["value"], f"{stated(row)}", ha="center", va="bottom", xytext=(0, 3),
                     textcoords="offset points")
            note_lines(ax, 0.98, 0.98, "Ratio, defectors to national:", [r for r in mine if r["group"] == "ratio"],
                       lambda r: f"{_text(r)} {'recomputed' if r['derived'] else 'as stated'}", ha="right")
            ax.set_xticks(range(len(bars)), [LABELS[r["group"]] for r in bars])
            ax.set_xlim(-0.6, len(bars) - 0.4)
            ax.set_ylim(0, max(r["value"] for r in bars) * 1.6)
            ax.tick_params(axis="x", length=0)
            ax.set_title(TITLES[panel])
        axes["earnings"].yaxis.set_major_formatter(FuncFormatter(lambda won, _: f"{won / 1e6:g}"))
        axes["unemployment"].yaxis.set_major_formatter(PercentFormatter(decimals=0))
    return fig


def _panel_words(rows, panel) -> tuple[dict, dict, dict, dict]:
    mine = {(r["group"], r["derived"]): r for r in rows if r["panel"] == panel}
    return mine["defectors", False], mine["national", False], mine["ratio", False], mine["ratio", True]


def title(rows) -> str:
    """The takeaway: the two ratios as the source states them."""
    pay, _, pay_ratio, _ = _panel_words(rows, "earnings")
    _, _, jobless_ratio, _ = _panel_words(rows, "unemployment")
    return (f"In {pay['period']}, defectors earned {stated(pay_ratio)} of the national average pay and were "
            f"{_text(jobless_ratio)} as likely to be unemployed")


def caption(rows) -> str:
    """What to see, in one sentence; the values are in the alt text and the chart's table."""
    pay, national_pay, _, _ = _panel_words(rows, "earnings")
    rate, national_rate, _, _ = _panel_words(rows, "unemployment")
    earned = "less" if pay["value"] < national_pay["value"] else "more"
    jobless = "more" if rate["value"] > national_rate["value"] else "less"
    return (
        f"In {pay['period']}, defectors in South Korea earned {earned} than the national average and were "
        f"{jobless} often unemployed; each panel gives the ratio the source states beside the one recomputed "
        f"here from the two figures (derived). Sources: {cite(rows)}."
    )


def alt_text(rows) -> str:
    pay, national_pay, pay_ratio, pay_derived = _panel_words(rows, "earnings")
    rate, national_rate, rate_ratio, rate_derived = _panel_words(rows, "unemployment")
    return (
        f"Two bar charts for {pay['period']}. Average pay: defectors {stated(pay)}, national average "
        f"{stated(national_pay)}; {stated(pay_ratio)} as stated, {stated(pay_derived)} recomputed. {pay['note']} "
        "Unemployment: "
        f"defectors {stated(rate)}, national {stated(national_rate)}; {_text(rate_ratio)} as stated, "
        f"{_text(rate_derived)} recomputed."
    )
