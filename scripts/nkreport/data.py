"""The data API: load the package once, look figures up, derive new ones.

Everything that shows or checks a number (charts, chapter roles, doctests,
tests) goes through here, so a change to ``data/`` reaches all of them.

>>> ds = load()
>>> ds.figure("arrivals-2011-yonhap2013").value
Decimal('2706')
>>> percent_change(2706, 1396)
Decimal('-48.4')
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from . import bib
from .paths import BIBLIOGRAPHY, DATA_DIR
from .validate import validate

Number = Decimal | int | float


class UnknownFigureError(KeyError):
    """No row has this id; the message suggests the nearest ids."""

    def __init__(self, kind: str, wanted: str, known: list[str]):
        close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        self.message = f"no {kind} with id {wanted!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Figure:
    """One stated number, with its period, source and the phrase it came from."""

    id: str
    series: str
    period_type: str
    year_basis: str
    period_start: date | None
    period_end: date
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    unit: str
    qualifier: str
    source: str
    post: str
    quote: str
    note: str
    line: int

    @property
    def is_range(self) -> bool:
        return self.value is None

    @property
    def year(self) -> int:
        return self.period_end.year


@dataclass(frozen=True)
class Event:
    id: str
    category: str
    date_start: date | None
    date_end: date
    date_precision: str
    date_label: str
    description: str
    source: str
    post: str
    quote: str
    line: int


@dataclass(frozen=True)
class Series:
    """A quantity's reader-facing words: its title, short label and description.

    ``label`` reads inside a sentence (lower case but for proper names);
    ``measured_by`` and ``population`` are empty unless a chart names them, and
    ``population`` may hold "{period}" for the chart to fill in.
    """

    id: str
    title: str
    label: str
    description: str
    measured_by: str
    population: str


def _columns(row: dict) -> dict:
    """A validated row's cells, without the bookkeeping ("_line") validation adds."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


class Dataset:
    """The validated tables, indexed by id."""

    def __init__(self, data_dir: Path, tables: dict[str, list[dict]], descriptor: dict):
        self.data_dir = data_dir
        self.descriptor = descriptor
        self.figures = {
            row["id"]: Figure(
                **_columns(row) | {
                    "period_start": _date(row["period_start"]),
                    "period_end": _date(row["period_end"]),
                    "value": _decimal(row["value"]),
                    "low": _decimal(row["low"]),
                    "high": _decimal(row["high"]),
                },
                line=row["_line"],
            )
            for row in tables["figures"]
        }
        self.events = {
            row["id"]: Event(
                **_columns(row) | {
                    "date_start": _date(row["date_start"]),
                    "date_end": _date(row["date_end"]),
                },
                line=row["_line"],
            )
            for row in tables["events"]
        }
        self.series_info = {
            row["id"]: Series(**_columns(row))
            for row in tables["series"]
        }

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    def figure(self, figure_id: str) -> Figure:
        try:
            return self.figures[figure_id]
        except KeyError:
            raise UnknownFigureError("figure", figure_id, list(self.figures)) from None

    def value(self, figure_id: str) -> Decimal:
        """The stated value of a single-valued figure."""
        found = self.figure(figure_id)
        if found.value is None:
            raise ValueError(f"figure {figure_id!r} is a range ({found.low} to {found.high}); use .low and .high")
        return found.value

    def event(self, event_id: str) -> Event:
        try:
            return self.events[event_id]
        except KeyError:
            raise UnknownFigureError("event", event_id, list(self.events)) from None

    def series(self, series_id: str) -> list[Figure]:
        """All figures of a series, ordered by period end then id."""
        if series_id not in self.series_info:
            raise UnknownFigureError("series", series_id, list(self.series_info))
        found = [f for f in self.figures.values() if f.series == series_id]
        return sorted(found, key=lambda f: (f.period_end, f.id))

    def sources(self) -> set[str]:
        """Every bibliography key the data uses."""
        rows = [*self.figures.values(), *self.events.values()]
        return {r.source for r in rows} | {r.post for r in rows}


@lru_cache(maxsize=8)
def _load(data_dir: Path, bibliography: Path, stamp: tuple) -> Dataset:
    descriptor, tables = validate(data_dir, bib.keys(bibliography))
    return Dataset(data_dir, tables, descriptor)


def load(data_dir: Path = DATA_DIR, bibliography: Path = BIBLIOGRAPHY) -> Dataset:
    """Validate and load the package; cached until one of its files changes."""
    data_dir, bibliography = Path(data_dir).resolve(), Path(bibliography).resolve()
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(data_dir.iterdir()) + [bibliography] if p.is_file()
    )
    return _load(data_dir, bibliography, stamp)


# --- derived figures --------------------------------------------------------
# Rounding is half away from zero ("half up" on magnitudes), the rule most
# readers and the press use, not Python's round-half-to-even.


def rounded(number: Number, places: int = 0) -> Decimal:
    """``number`` rounded to ``places`` decimals, halves away from zero."""
    return Decimal(str(number)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def difference(old: Number, new: Number, places: int = 0) -> Decimal:
    return rounded(Decimal(str(new)) - Decimal(str(old)), places)


def percent_change(old: Number, new: Number, places: int = 1) -> Decimal:
    """Change from ``old`` to ``new`` in percent of ``old``."""
    return rounded((Decimal(str(new)) - Decimal(str(old))) * 100 / Decimal(str(old)), places)


def share(part: Number, whole: Number, places: int = 1) -> Decimal:
    """``part`` as a percentage of ``whole``."""
    return rounded(Decimal(str(part)) * 100 / Decimal(str(whole)), places)


def ratio(numerator: Number, denominator: Number, places: int = 2) -> Decimal:
    return rounded(Decimal(str(numerator)) / Decimal(str(denominator)), places)


def total(*parts: Number) -> Decimal:
    return sum((Decimal(str(p)) for p in parts), Decimal(0))


def product(*factors: Number) -> Decimal:
    result = Decimal(1)
    for factor in factors:
        result *= Decimal(str(factor))
    return result
