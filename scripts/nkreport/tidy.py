"""The official series as a reader downloads them: one table per series, one row per period, its current
value (the newest release's) with its unit, source and release date.

>>> from nkreport.project import Project
>>> rows = current_rows(Project.find().load(), "arrivals")
>>> len(rows) == len({(row["period_start"], row["period_end"]) for row in rows})
True
"""

from __future__ import annotations

from . import formatting
from .data import Dataset


def official_series(ds: Dataset) -> list[str]:
    """Every series with official values, in the order of the series table."""
    return [series for series in ds.series_info if any(f.is_official and f.series == series
                                                       for f in ds.figures.values())]


def current_rows(ds: Dataset, series: str) -> list[dict[str, str]]:
    """The current value of each period of an official series, oldest period first."""
    rows = []
    for figure in ds.official(series, None):
        release = ds.releases[figure.release]
        rows.append({
            "period": formatting.period_words(figure),
            "period_start": figure.period_start.isoformat() if figure.period_start else "",
            "period_end": figure.period_end.isoformat(),
            "value": str(figure.value),
            "unit": figure.unit,
            "qualifier": figure.qualifier,
            "source": figure.source_label,
            "producer": release.producer,
            "release": release.title,
            "release_date": release.date_published.isoformat(),
            "note": figure.note,
            "reference": figure.source,  # the key of references.bib
            "id": figure.id,  # the row of official.csv, beside every earlier version of it
        })
    return rows
