"""The row every US refugee chart gives a figure: its series' words, its note and whether it is official."""

from __future__ import annotations

from ._rows import figure_row


def us_row(ds, f, **extra) -> dict:
    info = ds.series_info[f.series]
    return figure_row(f, series=f.series, short=info.label, what=info.title, note=f.note, official=f.is_official,
                      **extra)


def fiscal_press(ds) -> list:
    """The archive's press figures for whole fiscal years."""
    return [f for f in ds.press("us-admissions") if f.period_type == "fiscal-year"]
