"""Rows and words that several charts share: plain Python, no matplotlib.

Every chart's rows have the keys :func:`figure_row` gives them, plus the
chart's own; :func:`gid` names the artist that shows a row.  The positions on
a time or value axis are computed here too, so that a page reading a chart's
words never imports matplotlib.

>>> from nkreport.project import Project
>>> ds = Project.find().load()
>>> figure_row(ds.figure("arrivals-2013q1-dailynk2013"))["source_label"]
'Daily NK 2013'
>>> stated(figure_row(ds.figure("arrivals-2001-yonhap2013")))
'more than 1,000'
>>> cite([{"source": "b2014x", "based_on": ""}, {"source": "derived", "based_on": "a2013y"}])
'{cite:p}`a2013y,b2014x`'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from .. import formatting
from ..data import Dataset, Event, Figure
from ..formatting import period_label

LOWER_BOUND_QUALIFIERS = {"more than", "a little more than", "slightly over", "at least"}


# --- rows -------------------------------------------------------------------


def number(value: Decimal | None) -> int | float | None:
    """A dataset number as JSON can hold it, equal to the stated value."""
    if value is None:
        return None
    # The exponent keeps a computed 83.0 from reading as a stated 83.
    return int(value) if value.as_tuple().exponent >= 0 else float(value)


def _row(**fields) -> dict:
    keys = ("id", "source", "source_label", "derived", "based_on", "period", "period_type", "period_start",
            "period_end", "qualifier", "value", "low", "high", "unit")
    return {key: fields[key] for key in keys}


def figure_row(f: Figure, **extra) -> dict:
    """The row of a stated figure; ``extra`` holds the chart's own columns."""
    return _row(
        id=f.id, source=f.source, source_label=f.source_label, derived=False, based_on="",
        period=period_label(f), period_type=f.period_type,
        period_start=f.period_start.isoformat() if f.period_start else None,
        period_end=f.period_end.isoformat(), qualifier=f.qualifier,
        value=number(f.value), low=number(f.low), high=number(f.high), unit=f.unit,
    ) | extra


def derived_row(inputs: Sequence[Figure], formula: str, *, value=None, low=None, high=None,
                unit: str | None = None, **extra) -> dict:
    """The row of a value computed here from ``inputs``; ``formula`` names them, e.g. 'a - b'.

    Period and unit are those of the first input unless given; ``based_on``
    keeps the inputs' sources so the caption can cite them.
    """
    first = inputs[0]
    return _row(
        id=f"derived: {formula}", source="derived", source_label="derived", derived=True,
        based_on=",".join(sorted({f.source for f in inputs})),
        period=period_label(first), period_type=first.period_type,
        period_start=first.period_start.isoformat() if first.period_start else None,
        period_end=first.period_end.isoformat(), qualifier="",
        value=number(value), low=number(low), high=number(high), unit=unit or first.unit,
    ) | extra


def series_row(ds: Dataset, f: Figure, **extra) -> dict:
    """A figure's row with its series' reader-facing words from data/series.csv: title, label, description."""
    info = ds.series_info[f.series]
    return figure_row(f, **extra, short=capitalised(info.label), what=info.title, description=info.description)


def surveyed_row(ds: Dataset, f: Figure, **extra) -> dict:
    """A share's row with its series' words, who measured it and whom it describes ("{period}": the row's)."""
    info = ds.series_info[f.series]
    found = figure_row(f, what=info.title, short=info.label, said_by=info.measured_by, year=f.year, **extra)
    return found | {"population": info.population.format(period=found["period"])}


def of_part(rows: Iterable[dict], part: str) -> list[dict]:
    """The rows of one part of a chart (its ``part`` column): the totals, the shares, the other copies."""
    return [r for r in rows if r["part"] == part]


def event_row(e: Event, **extra) -> dict:
    return _row(
        id=e.id, source=e.source, source_label=e.source_label, derived=False, based_on="",
        period=e.date_label, period_type=e.date_precision,
        period_start=e.date_start.isoformat() if e.date_start else None,
        period_end=e.date_end.isoformat(), qualifier="", value=None, low=None, high=None, unit="",
    ) | extra


def span_row(first: Event, last: Event, **extra) -> dict:
    """One span from the start of ``first`` to the end of ``last`` (both as stated)."""
    return _row(
        id=f"{first.id} to {last.id}", source=",".join(sorted({first.source, last.source})),
        source_label=" / ".join(sorted({first.source_label, last.source_label})),
        derived=False, based_on="", period=f"{first.date_start.year}–{last.date_end.year}", period_type="years",
        period_start=first.date_start.isoformat(), period_end=last.date_end.isoformat(),
        qualifier="", value=None, low=None, high=None, unit="",
    ) | extra


def cite_keys(rows: Iterable[dict]) -> list[str]:
    """Every bibliography key behind the rows, derived ones through their inputs."""
    keys = set()
    for row in rows:
        for field in ("source", "based_on"):
            keys |= {k for k in row[field].split(",") if k and k != "derived"}
    return sorted(keys)


def cite(rows: Iterable[dict]) -> str:
    # sphinxcontrib-bibtex separates the keys of one role with commas.
    return f"{{cite:p}}`{','.join(cite_keys(rows))}`"


def is_lower_bound(row: dict) -> bool:
    return row["qualifier"] in LOWER_BOUND_QUALIFIERS


# --- numbers in words -------------------------------------------------------


def stated(row: dict) -> str:
    """The row's value or range as the report writes it, with its qualifier: 'more than 1,000'."""
    text = formatting.figure(SimpleNamespace(**row))
    return f"{row['qualifier']} {text}" if row["qualifier"] else text


def when(row: dict) -> str:
    """The row's period as a phrase: 'in H1 2013', 'each year 2012–2015', 'as of 4 Aug 2015'."""
    prefix = {"each-year": "each year", "as-of": "as of"}.get(row["period_type"], "in")
    return f"{prefix} {row['period']}"


def capitalised(words: str) -> str:
    """Words from the data, which read inside a sentence, made to stand alone.

    Only the first letter changes, so proper names keep their case:

    >>> capitalised("went to seek work"), capitalised("US stipend")
    ('Went to seek work', 'US stipend')
    """
    return words[:1].upper() + words[1:]


def listing(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def listed(rows: Iterable[dict], template: str) -> str:
    """The rows in words, each through ``template``: its keys plus {value} (as stated) and {when}."""
    return listing([template.format(**row | {"value": stated(row), "when": when(row)}) for row in rows])


# --- positions --------------------------------------------------------------


def decimal_year(day: date) -> float:
    """``day``'s start as a fractional year: 1 July 2011 is 2011.496."""
    first = date(day.year, 1, 1)
    return day.year + (day - first).days / (date(day.year + 1, 1, 1) - first).days


def year_span(row: dict) -> tuple[float | None, float]:
    """Where the row's period starts and ends on a time axis (its last day included)."""
    start = date.fromisoformat(row["period_start"]) if row["period_start"] else None
    end = date.fromisoformat(row["period_end"]) + timedelta(days=1)
    return (decimal_year(start) if start else None), decimal_year(end)


def year_runs(rows: Iterable[dict], min_gap: int = 3) -> list[tuple[int, int]]:
    """First and last year of each run of years the rows' periods cover, for :func:`split_year_axes`.

    Every row with a period counts, context rows (the crackdown, the
    accession) included; a period counts for each calendar year it touches.
    A new run starts only where at least ``min_gap`` years in a row are empty,
    so long empty stretches take no width while short ones stay on the axis.

    >>> rows = [{"period_start": f"{y}-01-01", "period_end": f"{y}-12-31"} for y in (2001, 2006, 2008, 2011, 2014)]
    >>> year_runs(rows)
    [(2001, 2001), (2006, 2014)]
    >>> year_runs([*rows, {"period_start": None, "period_end": "2003-06-30"}])  # 'before' mid-2003
    [(2001, 2014)]
    """
    years: set[int] = set()
    for row in rows:
        if not row.get("period_end"):
            continue
        start, end = year_span(row)
        last = math.ceil(end) - 1  # the year of the period's last day
        years.update(range(last if start is None else math.floor(start), last + 1))
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year - runs[-1][1] - 1 < min_gap:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [(first, last) for first, last in runs]


NICE_STEPS = (1, 2, 2.5, 5, 10)  # linear ticks: these times a power of ten
NICE_TOPS = (1, 1.5, 2, 3, 4, 5, 6, 8, 10)  # log axis tops: these times a power of ten


def _tidy(number: float) -> int | float:
    number = round(number, 9)
    return int(number) if number == int(number) else number


def value_limits(values: Iterable, *, floor: float | None = None, log: bool = False, headroom: float = 0.1,
                 footroom: float = 0.0, bounds: tuple[float, float] | None = None, bins: int = 10
                 ) -> tuple[int | float, int | float]:
    """Round axis limits that hold every value, with room above the highest for its label.

    ``values`` are numbers or rows, whose value, low and high all count
    (``None`` is skipped).  ``headroom`` and ``footroom`` are the shares of the
    axis kept clear above the highest and below the lowest value.  The axis
    starts at ``floor`` (0 where bars stand on it) unless a value lies below
    it, and never passes ``bounds`` (0 and 100 on a percent axis).  A linear
    axis ends on multiples of a round step (about ``bins`` of them in all); a
    log axis starts on a power of ten and ends on a round number.

    >>> value_limits([1000, 2929, 3000, 1396], floor=0, headroom=0.12)
    (0, 3500)
    >>> value_limits([50, 70, 83], headroom=0.1, footroom=0.15, bounds=(0, 100))
    (40, 90)
    >>> value_limits([{"value": None, "low": 30, "high": 50}, {"value": 9000, "low": None, "high": None}],
    ...              log=True, headroom=0.14)
    (10, 30000)
    """
    numbers = [float(n) for v in values
               for n in ((v["value"], v["low"], v["high"]) if isinstance(v, dict) else (v,)) if n is not None]
    if not numbers:
        raise ValueError("no values to set limits for")
    least, most = min(numbers), max(numbers)
    if log and least <= 0:
        raise ValueError(f"a log axis cannot show {least}")
    # Work along the axis as drawn: on a log axis, in powers of ten.
    lowest, highest = (math.log10(least), math.log10(most)) if log else (least, most)
    fixed = floor is not None and (math.log10(floor) if log else floor) <= lowest
    if fixed:
        bottom = math.log10(floor) if log else floor
    else:
        # Footroom and headroom are shares of the whole axis, which they lengthen.
        span = (highest - lowest) / (1 - headroom - footroom)
        bottom = lowest - footroom * span
        if log:
            bottom = math.floor(bottom + 1e-9)  # a log axis starts on a power of ten
    top = highest + headroom / (1 - headroom) * (highest - bottom)
    if top == bottom:  # a single value: a unit of room either side
        bottom, top = bottom - 1, top + 1
    if log:
        decade = 10 ** math.floor(top)
        low = 10 ** bottom
        high = next(m * decade for m in NICE_TOPS if m * decade >= 10 ** top * (1 - 1e-9))
    else:
        wanted = (top - bottom) / bins
        magnitude = 10 ** math.floor(math.log10(wanted))
        step = next(s * magnitude for s in NICE_STEPS if s * magnitude >= wanted * (1 - 1e-9))
        low = bottom if fixed else step * math.floor(bottom / step + 1e-9)
        high = step * math.ceil(top / step - 1e-9)
    if bounds is not None:
        low, high = max(low, min(bounds[0], least)), min(high, max(bounds[1], most))
    return _tidy(low), _tidy(high)


def dodge(keys: Sequence, step: float) -> list[float]:
    """Offsets that set marks sharing a key (a year, a period) side by side, centred on it."""
    counts, seen, offsets = Counter(keys), Counter(), []
    for key in keys:
        offsets.append((seen[key] - (counts[key] - 1) / 2) * step)
        seen[key] += 1
    return offsets


def gid(row_id: str, part: str = "") -> str:
    """An SVG-safe id for the artist showing a row (``part`` for its secondary artists)."""
    slug = re.sub(r"[^a-z0-9]+", "-", row_id.lower()).strip("-")
    return f"{slug}--{part}" if part else slug


# --- context: the border crackdown and Kim Jong-un's accession --------------


def context_rows(ds: Dataset, crackdown: bool = True, closure: bool = False, **extra) -> list[dict]:
    """The crackdown span (first patrols to the finished fence), the accession and, if asked, the 2020 closure."""
    rows = [event_row(ds.event("kim-jong-un-accession-2011"), kind="accession", **extra)]
    if crackdown:
        first, last = ds.event("border-patrols-2010"), ds.event("china-fence-complete-2012")
        rows.insert(0, span_row(first, last, kind="crackdown", **extra))
    if closure:
        rows.append(event_row(ds.event("border-closure-2020"), kind="closure", **extra))
    return rows


def context_words(rows: Iterable[dict]) -> str:
    """The key to the context marks, as a sentence, from the rows that draw them."""
    words = {"crackdown": "grey shading marks the border crackdown, {}",
             "accession": "a black bar along the foot marks Kim Jong-un's accession, {}",
             "closure": "a thin black band marks North Korea's border closure against COVID-19, {}"}
    parts = [words[r["kind"]].format(r["period"]) for r in rows if r["kind"] in words]
    sentence = "; ".join(parts)
    return f"{sentence[0].upper()}{sentence[1:]}."
