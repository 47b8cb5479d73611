"""The data API: load the package once, look figures up, select a series.

Everything that shows or checks a number (charts, chapter roles, doctests,
tests) goes through here, so a change to ``data/`` reaches all of them; the
arithmetic on what it returns is :mod:`nkreport.derived`.

>>> from nkreport.project import Project
>>> ds = Project.find().load()
>>> ds.figure("arrivals-2011-yonhap2013").value
Decimal('2706')
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path

from . import bib, derived
from .errors import UnknownFigureError
from .validate import Validation


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
    # Official series (official.csv): the release read, the cell in it, and the table the row is in.
    release: str = ""
    cell: str = ""
    table: str = "figures"
    # The date the source published this value: the release's date, or the report's (from references.bib).
    published: str = ""
    # The source as charts and tables name it, from references.bib: "Yonhap 2015".
    source_label: str = ""
    # The data version that added the row.
    added_in: str = ""

    @property
    def is_range(self) -> bool:
        return self.value is None

    @property
    def is_official(self) -> bool:
        return self.table == "official"

    @property
    def quantity(self) -> tuple:
        """What the figure measures, whoever states it: two figures with the same quantity are versions."""
        return (self.series, self.period_type, self.year_basis, self.period_start, self.period_end, self.unit)

    @property
    def year(self) -> int:
        return self.period_end.year

    @property
    def provisional(self) -> bool:
        """Marked provisional by its release: the ministry's "(잠정)" in the cell, or the row's note."""
        return "잠정" in self.cell or "provisional" in self.note.lower()


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
    source_label: str = ""
    added_in: str = ""


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
    added_in: str = ""


def _columns(row: dict) -> dict:
    """A validated row's cells, without the bookkeeping ("_line") validation adds."""
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


@dataclass(frozen=True)
class Release:
    """A release of official figures as it was read: its producer, dates and the copy (OWID's "origin")."""

    id: str
    source: str
    producer: str
    title: str
    date_published: date
    date_accessed: date
    url: str
    repository: str
    path: str
    commit: str
    snapshot: str
    sha256: str
    licence: str
    note: str
    added_in: str
    line: int


ANNUAL = ("year", "fiscal-year")
_SELECTOR = re.compile(r"^(?P<series>[a-z0-9-]+)@(?:(?P<year>\d{4})|(?P<peak>peak)|latest(?:-(?P<back>\d+))?)$")


class Dataset:
    """The validated tables, indexed by id.

    Press figures (figures.csv) and official values (official.csv) are both
    :class:`Figure` objects; two figures of the same quantity (series, period
    and unit) are versions of it, dated by when their source published them.
    """

    def __init__(self, data_dir: Path, tables: dict[str, list[dict]], descriptor: dict,
                 sources: dict[str, bib.Source] | None = None):
        self.data_dir = data_dir
        self.descriptor = descriptor
        sources = sources or {}
        published = {key: source.date for key, source in sources.items()}
        labels = {key: source.label for key, source in sources.items()}
        self.releases = {
            row["id"]: Release(**_columns(row) | {"date_published": _date(row["date_published"]),
                                                  "date_accessed": _date(row["date_accessed"])}, line=row["_line"])
            for row in tables.get("releases", [])
        }
        press = [
            _figure(row, published=published.get(row["source"], ""), source_label=labels.get(row["source"], ""))
            for row in tables["figures"]
        ]
        official = [
            _figure(
                row | {"low": "", "high": "", "source": release.source, "post": ""},
                table="official", published=release.date_published.isoformat(),
                source_label=labels.get(release.source, ""),
            )
            for row in tables.get("official", [])
            for release in [self.releases[row["release"]]]
        ]
        self.figures = {f.id: f for f in [*press, *official]}
        self.events = {
            row["id"]: Event(**_columns(row) | {"date_start": _date(row["date_start"]),
                                                "date_end": _date(row["date_end"])},
                             line=row["_line"], source_label=labels.get(row["source"], ""))
            for row in tables["events"]
        }
        self.series_info = {row["id"]: Series(**_columns(row)) for row in tables["series"]}
        # Each current official series, worked out once: chapters name them hundreds of times (series@latest).
        self._official: dict[tuple, list[Figure]] = {}

    @property
    def version(self) -> str:
        return self.descriptor["version"]

    def figure(self, figure_id: str) -> Figure:
        """A figure by id, or by ``series@YEAR``, ``series@latest`` or ``series@latest-N`` (official values)."""
        if "@" in figure_id:
            return self.select(figure_id)
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
        """All figures of a series, press and official, ordered by period end then id."""
        if series_id not in self.series_info:
            raise UnknownFigureError("series", series_id, list(self.series_info))
        found = [f for f in self.figures.values() if f.series == series_id]
        return sorted(found, key=lambda f: (f.period_end, f.id))

    def press(self, series_id: str) -> list[Figure]:
        """The figures of a series as the press stated them (figures.csv), ordered by period end then id."""
        return [f for f in self.series(series_id) if not f.is_official]

    def versions(self, figure_id: str) -> list[Figure]:
        """Every exact statement of the figure's quantity, press and official, oldest publication first."""
        figure = self.figure(figure_id)
        return sorted(
            (f for f in self.figures.values()
             if f.quantity == figure.quantity and f.value is not None and not f.qualifier),
            key=lambda f: (f.published, f.id),
        )

    def official(self, series_id: str, period_types: tuple[str, ...] | None = ANNUAL) -> list[Figure]:
        """The current official series: for each period, the value of the newest release.

        ``period_types`` keeps periods of those kinds (annual by default); ``None`` keeps every kind.
        """
        key = (series_id, period_types)
        if key not in self._official:
            newest: dict[tuple, Figure] = {}
            for f in sorted(self.series(series_id), key=lambda f: (f.published, f.release)):
                if f.is_official and (period_types is None or f.period_type in period_types):
                    if f.quantity not in newest or not derived.only_rounds(f.value, newest[f.quantity].value):
                        newest[f.quantity] = f
            self._official[key] = sorted(newest.values(), key=lambda f: (f.period_end, f.id))
        return list(self._official[key])

    def revisions(self) -> list[list[Figure]]:
        """Quantities stated with more than one value, each as its versions (as :meth:`versions`), oldest first."""
        stated: dict[tuple, list[Figure]] = {}  # one pass: the figures of each quantity, in order of its first
        for f in sorted(self.figures.values(), key=lambda f: (f.series, f.period_end, f.id)):
            if f.value is not None and not f.qualifier:
                stated.setdefault(f.quantity, []).append(f)
        return [sorted(versions, key=lambda f: (f.published, f.id))
                for versions in stated.values() if len({f.value for f in versions}) > 1]

    def peak(self, series_id: str) -> Figure:
        """The highest of the series' current annual values (the earliest, if years tie): ``series@peak``.

        Read from the current official series, so the peak and the newest value compared with it come
        from one vintage (the newest release of each year), never a press figure of another.
        """
        return self.select(f"{series_id}@peak")

    def total_since_start(self, series_id: str, until: date | None = None) -> Decimal:
        """Everyone the current official series counts, from its first cell to its newest period (or ``until``).

        Every period kind counts (a first cell "up to 1998", a cell of several years, then the years),
        so the periods must follow one another without overlapping; ValueError names two that overlap.
        """
        current = [f for f in self.official(series_id, None) if until is None or f.period_end <= until]
        if not current:
            raise UnknownFigureError("official series", series_id,
                                     sorted({f.series for f in self.figures.values() if f.is_official}))
        for earlier, later in itertools.pairwise(current):
            if later.period_start is None or later.period_start <= earlier.period_end:
                raise ValueError(f"{series_id}: {later.id} overlaps {earlier.id}: a total since the start "
                                 "needs periods that follow one another")
        return sum((f.value for f in current), Decimal(0))

    def select(self, selector: str) -> Figure:
        """``series@2019``, ``series@peak``, ``series@latest``, ``series@latest-1``: a current official value.

        The series' annual values where it has them, otherwise all its values by date (a running total).
        """
        match = _SELECTOR.match(selector)
        if not match:
            raise UnknownFigureError("figure", selector, list(self.figures))
        series = match["series"]
        # Annual values where the series has them; otherwise every dated value (a running total).
        current = (self.official(series) or self.official(series, None)) if series in self.series_info else []
        if not current:
            raise UnknownFigureError("official series", match["series"],
                                     sorted({f.series for f in self.figures.values() if f.is_official}))
        if match["peak"]:
            return max(current, key=lambda f: (f.value, -f.period_end.toordinal()))
        if match["year"]:
            found = [f for f in current if f.period_end.year == int(match["year"])]
            if not found:
                years = ", ".join(str(f.period_end.year) for f in current)
                raise KeyError(f"{selector}: no official value for {match['year']}; the series has {years}")
            return found[-1]
        back = int(match["back"] or 0)
        if back >= len(current):
            raise KeyError(f"{selector}: the series has only {len(current)} annual values")
        return current[-1 - back]

    def sources(self) -> set[str]:
        """Every bibliography key the data uses."""
        rows = [*self.figures.values(), *self.events.values()]
        return ({r.source for r in rows} | {r.post for r in rows} | {r.source for r in self.releases.values()}) - {""}


def _figure(row: dict, *, table: str = "figures", published: str = "", source_label: str = "") -> Figure:
    return Figure(
        **{k: v for k, v in _columns(row).items() if k in Figure.__dataclass_fields__} | {
            "period_start": _date(row["period_start"]),
            "period_end": _date(row["period_end"]),
            "value": _decimal(row["value"]),
            "low": _decimal(row["low"]),
            "high": _decimal(row["high"]),
            "cell": row.get("cell", ""),
        },
        line=row["_line"], table=table, published=published, source_label=source_label,
    )


def _identity(path: Path) -> tuple[int, ...]:
    """What changes whenever a file's bytes do, without reading them."""
    status = path.stat()
    return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


@lru_cache(maxsize=8)
def _validation(data_dir: Path, bibliography: Path, stamp: tuple, known_valid: Path | None) -> Validation:
    return Validation(data_dir, bib.keys(bibliography), known_valid)


@lru_cache(maxsize=8)
def _load(data_dir: Path, bibliography: Path, stamp: tuple, known_valid: Path | None) -> Dataset:
    descriptor, tables = _validation(data_dir, bibliography, stamp, known_valid).result()
    return Dataset(data_dir, tables, descriptor, bib.sources(bibliography))


def load(data_dir: Path, bibliography: Path, known_valid: Path | None = None) -> Dataset:
    """Validate and load the package; cached until one of its files changes.

    A file's change time and inode change with every write or replacement, even
    one that restores an old modification time (``cp -p``, ``tar x``).
    ``known_valid`` records the last package Frictionless found valid, so that a build need not read it
    again (see :mod:`nkreport.schema`); without it, every check runs.
    """
    return _load(*_key(data_dir, bibliography, known_valid))


def load_while_checking(data_dir: Path, bibliography: Path,
                        known_valid: Path | None = None) -> tuple[Dataset, Callable[[], Dataset]]:
    """The dataset as the report's own checks find it, Frictionless's checks running meanwhile in a forked
    process, and ``confirmed()``: :func:`load`'s dataset or error, once they end.  A build reads its pages
    from the first and calls the second before it writes any.  When the own checks fail, or the tables make
    no dataset (a cell only Frictionless names), :func:`load`'s error is raised at once."""
    key = _key(data_dir, bibliography, known_valid)
    confirmed = partial(_load, *key)
    validation = _validation(*key)
    validation.check_in_background()
    if validation.problems:
        confirmed()  # raises
    try:
        return Dataset(key[0], validation.tables, validation.descriptor, bib.sources(key[1])), confirmed
    except Exception:
        confirmed()  # the cell that broke it, as Frictionless names it
        raise


def _key(data_dir: Path, bibliography: Path, known_valid: Path | None) -> tuple:
    data_dir, bibliography = Path(data_dir).resolve(), Path(bibliography).resolve()
    return data_dir, bibliography, files_stamp(data_dir, bibliography), known_valid


def files_stamp(data_dir: Path, *others: Path) -> tuple:
    """What changes whenever a file of ``data_dir`` (or ``others``) changes: a cache key for what is read from them."""
    return tuple((str(p), *_identity(p)) for p in sorted(data_dir.rglob("*")) + list(others) if p.is_file())
