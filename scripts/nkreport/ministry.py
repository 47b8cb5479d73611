"""The ministry's table of arrivals by year and sex as it publishes it: its period labels and its records.

The labels are read as the Ministry of Unification means them:

>>> [p.words for p in read_periods(["~98", "~01", "02", "25.12(잠정)"])]
['to the end of 1998', '1999–2001', '2002', '2025, provisional']
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from . import formatting, snapshots
from .errors import display_path

# The table's count columns and the official series each one is.
SERIES = {"total": "arrivals", "male": "men-arrivals", "female": "women-arrivals"}
SERIES_WORDS = {"arrivals": "arrivals", "men-arrivals": "men", "women-arrivals": "women"}
PRODUCER = "Ministry of Unification (Republic of Korea)"
PROVISIONAL = "(잠정)"
# "~98", "02", "2025", "25.12(잠정)"; a leading apostrophe as the ministry's English tables write it ("~’98").
_LABEL = re.compile(r"^(?P<upto>~)?['’]?(?P<year>\d{2}|\d{4})(?:\.(?P<month>\d{1,2}))?(?P<mark>\(잠정\))?$")
_COUNT = re.compile(r"^\d+$|^\d{1,3}(,\d{3})+$")
EXPECTED_LABELS = "a label of the ministry's: '~98' (to the end of 1998), '02' (a year), '25.12(잠정)' (provisional)"


@dataclass(frozen=True)
class Period:
    """A period as the ministry means its label: ``~98`` is everyone to the end of 1998, a second ``~01``
    is 1999–2001 together, ``25.12(잠정)`` is 2025 to December, provisional."""

    label: str
    period_type: str
    start: date | None
    end: date
    provisional: bool

    @property
    def quantity(self) -> tuple:
        return (self.period_type, "calendar", self.start, self.end)

    @property
    def words(self) -> str:
        said = formatting.period_words(SimpleNamespace(period_type=self.period_type, period_start=self.start,
                                                       period_end=self.end))
        said = f"to the end of {self.end.year}" if self.period_type == "before" else said
        return f"{said}, provisional" if self.provisional else said

    @property
    def slug(self) -> str:
        """The period in a row id: ``to-1998``, ``1999-2001``, ``2002``, ``2026-01-06``."""
        if self.period_type == "before":
            return f"to-{self.end.year}"
        if self.period_type == "year":
            return str(self.end.year)
        if (self.start.month, self.end.month) == (1, 12):
            return f"{self.start.year}-{self.end.year}"
        return f"{self.end.year}-{self.start.month:02}-{self.end.month:02}"

    def note(self) -> str:
        years = list(range(self.start.year, self.end.year + 1)) if self.start else []
        if self.period_type == "before":
            said = (f"The ministry's first cell covers every arrival up to and including {self.end.year}, "
                    f"not the year {self.end.year}.")
        elif self.period_type == "date-range" and len(years) > 1:
            listed = ", ".join(map(str, years[:-1])) + f" and {years[-1]}"
            said = f"One cell of the ministry's table covers {listed} together."
        elif self.period_type == "date-range":
            said = f"The ministry's table counts {self.end.year} to the end of {calendar.month_name[self.end.month]}."
        else:
            said = ""
        return " ".join(filter(None, (said, "Marked provisional in this release." if self.provisional else "")))


def _year(text: str) -> int:
    year = int(text)
    return year if len(text) == 4 else (1900 if year >= 50 else 2000) + year


def read_period(label: str, previous_end: date | None) -> Period:
    """One label, given where the table's previous period ended; ValueError saying what was expected."""
    match = _LABEL.match(label.strip())
    if not match:
        raise ValueError(f"unknown period label {label!r}: expected {EXPECTED_LABELS}")
    year, month = _year(match["year"]), int(match["month"] or 12)
    if not 1 <= month <= 12 or (match["upto"] and month != 12):
        raise ValueError(f"unknown period label {label!r}: expected {EXPECTED_LABELS}")
    end = date(year, month, calendar.monthrange(year, month)[1])
    provisional = bool(match["mark"])
    if match["upto"]:
        start = previous_end + timedelta(days=1) if previous_end else None
        return Period(label, "before" if start is None else "date-range", start, end, provisional)
    return Period(label, "year" if month == 12 else "date-range", date(year, 1, 1), end, provisional)


def read_periods(labels: list[str]) -> list[Period]:
    """The labels of a table in order (doctest helper; :func:`read_records` names problems by record)."""
    periods: list[Period] = []
    for label in labels:
        periods.append(read_period(label, periods[-1].end if periods else None))
    return periods


@dataclass(frozen=True)
class Value:
    """One count of the new release: its series, period, value and the cell it stands in."""

    series: str
    period: Period
    value: int
    cell: str


def _count(text: str | None) -> int | None:
    return int(text.replace(",", "")) if text is not None and _COUNT.match(text.strip()) else None


def read_records(table: snapshots.Table) -> tuple[list[Value], list[str]]:
    """The table's counts, and one line per problem naming the file, line and record."""
    values, problems, seen = [], [], {}
    previous_end = None
    shown = display_path(table.path)
    if not table.records:
        return [], [f"{shown}:1: no records: expected one record per period"]
    for record in table.records:
        where = f"{shown}:{record.line}: {record.where()}"
        try:
            period = read_period(record.period, previous_end)
        except ValueError as err:
            problems.append(f"{where}: {err}")
            continue
        if (period.start, period.end) in seen:
            problems.append(f"{where}: period listed twice (also record {seen[(period.start, period.end)]}): "
                            "expected each period once")
            continue
        if previous_end and period.end <= previous_end:
            problems.append(f"{where}: period {period.words} comes after a later one: expected periods in order")
            continue
        seen[(period.start, period.end)] = record.number
        previous_end = period.end
        counts = {}
        for column in SERIES:
            if column not in record.cells:
                problems.append(f"{where}: no {column!r}: expected a count of people")
                continue
            written = record.cells[column]
            counted = _count(written)
            if counted is None:
                kind = "negative" if written and written.strip().startswith("-") else "not a count"
                problems.append(f"{where}: {column} {json.dumps(written, ensure_ascii=False)} is {kind}: "
                                "expected a whole number of people, 0 or more")
                continue
            counts[column] = counted
            values.append(Value(SERIES[column], period, counted, table.cell_label(record.period, column)))
        if len(counts) == len(SERIES) and counts["total"] != counts["male"] + counts["female"]:
            problems.append(f"{where}: total {counts['total']} is not men plus women "
                            f"({counts['male']} + {counts['female']} = {counts['male'] + counts['female']})")
        problems += _share_problems(where, record.cells.get("female_pct"), counts)
    return values, problems


def _share_problems(where: str, share: str | None, counts: dict[str, int]) -> list[str]:
    """``female_pct`` is women's share of the total, as the ministry rounds it (to its last written decimal)."""
    if share is None:
        return []
    if not re.fullmatch(r"\d{1,3}(\.\d+)?", share.strip()):
        return [f"{where}: female_pct {json.dumps(share)} is not a percentage: expected a number such as 88.8"]
    if len(counts) < len(SERIES) or not counts["total"] or counts["total"] != counts["male"] + counts["female"]:
        return []  # a count that is wrong or missing is named already
    stated, computed = Decimal(share.strip()), Decimal(counts["female"]) * 100 / counts["total"]
    half_unit = Decimal(1).scaleb(stated.as_tuple().exponent) / 2
    if abs(stated - computed) > half_unit:
        return [f"{where}: female_pct {share.strip()} is not women's share of the total "
                f"({counts['female']} of {counts['total']} is {computed:.2f}%): expected the share the counts give"]
    return []
