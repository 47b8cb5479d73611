"""The completeness check: every number of a source text is in the dataset or explained.

:func:`~nkreport.numbers.extract` finds every number of a text, in digits or
in words.  A number is *covered* when a dataset row quotes the phrase it
stands in and states it (or, for a year, covers it); it is *ignored* when an
entry of the ignore list (``data/completeness-ignore.csv``: ``phrase,reason``)
quotes the phrase it stands in and says why it is not a figure.  Whatever is neither is *missing*:
a figure the dataset lacks, or a non-figure the ignore list does not explain.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .data import Dataset
from .errors import DataError, Problem, display_path
from .numbers import Number, extract
from .paths import DATA_DIR

IGNORE_LIST = DATA_DIR / "completeness-ignore.csv"


# --- where phrases occur -------------------------------------------------------


class Collapsed:
    """A text with every run of whitespace collapsed to one space, mapped back to the original.

    Quotes and ignore phrases are compared after collapsing whitespace, so a
    line break in the source does not hide a phrase.
    """

    def __init__(self, text: str):
        pieces = []
        self.origin: list[int] = []
        for match in re.finditer(r"\s+|\S+", text):
            piece = " " if match.group().isspace() else match.group()
            pieces.append(piece)
            self.origin += range(match.start(), match.start() + len(piece))
        self.text = "".join(pieces)

    def spans(self, phrase: str) -> list[tuple[int, int]]:
        """Start and end offsets, in the original text, of every occurrence of ``phrase``."""
        wanted = " ".join(phrase.split())
        spans = []
        found = self.text.find(wanted) if wanted else -1
        while found >= 0:
            end = found + len(wanted)
            spans.append((self.origin[found], self.origin[end - 1] + 1))
            found = self.text.find(wanted, found + 1)
        return spans


def _inside(number: Number, spans: list[tuple[int, int]]) -> bool:
    return any(start <= number.offset and number.end <= end for start, end in spans)


def _year_within(number: Number, start: date | None, end: date) -> bool:
    """Whether ``number`` is a year from ``start`` (or, without one, ``end``) to ``end``."""
    return number.year is not None and (start or end).year <= number.year <= end.year


# --- the dataset's side: rows that quote the text ---------------------------------


@dataclass(frozen=True)
class Quoting:
    """A dataset row reduced to what covers a number: its quote, values and years."""

    id: str
    quote: str
    values: frozenset[Decimal]
    start: date | None
    end: date

    def states(self, number: Number) -> bool:
        """Whether the row states ``number``: one of its values, or a year of its period."""
        return bool(number.values & self.values) or _year_within(number, self.start, self.end)


def quotings(ds: Dataset, relayed_by_archive: bool = False) -> list[Quoting]:
    """Figures cover by value or period year; events by date year only.

    Every row with a quote counts, whichever text it quotes, so the check
    works on any source text; ``relayed_by_archive`` keeps only the rows that
    name an archive post.
    """
    figures = [
        Quoting(f.id, f.quote, frozenset(abs(v) for v in (f.value, f.low, f.high) if v is not None),
                f.period_start, f.period_end)
        for f in ds.figures.values() if f.quote and (f.post or not relayed_by_archive)
    ]
    events = [Quoting(e.id, e.quote, frozenset(), e.date_start, e.date_end)
              for e in ds.events.values() if e.post or not relayed_by_archive]
    return figures + events


def unquoted(text: str, ds: Dataset) -> list[Quoting]:
    """The rows relayed by an archive post whose quote does not occur in ``text`` (the archive)."""
    collapsed = Collapsed(text)
    return [row for row in quotings(ds, relayed_by_archive=True) if not collapsed.spans(row.quote)]


# --- the ignore list ---------------------------------------------------------------


@dataclass(frozen=True)
class IgnoreEntry:
    """A phrase of the text whose numbers are not figures, and why."""

    phrase: str
    reason: str
    line: int


def read_ignore_list(path: Path = IGNORE_LIST) -> list[IgnoreEntry]:
    """The entries of an ignore list; raise :class:`DataError` on a missing phrase or reason."""
    entries, problems, shown = [], [], display_path(Path(path))
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if next(reader, None) != ["phrase", "reason"]:
            raise DataError([Problem(shown, 1, 1, "header: expected phrase,reason")])
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            phrase, reason = [*cells, "", ""][:2]
            if len(cells) > 2:
                problems.append(Problem(shown, start, 3, f"{len(cells)} cells where 2 are expected"))
            elif not phrase.strip():
                problems.append(Problem(shown, start, 1, "empty phrase: quote the text whose numbers are ignored"))
            elif not reason.strip():
                problems.append(Problem(shown, start, 2, f"{phrase!r} has no reason: say why it is not a figure"))
            else:
                entries.append(IgnoreEntry(phrase, reason, start))
    if problems:
        raise DataError(problems)
    return entries


# --- the check -----------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """Every number found, sorted by what accounts for it, and the stale ignore entries."""

    numbers: list[Number]
    covered: list[Number]
    ignored: list[Number]
    missing: list[Number]
    stale: list[IgnoreEntry]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.stale

    def summary(self) -> str:
        return (
            f"{len(self.numbers)} numbers found, {len(self.covered)} covered by the dataset, "
            f"{len(self.ignored)} ignored, {len(self.missing)} missing"
        )


def check(
    text: str, ds: Dataset, ignore_path: Path = IGNORE_LIST, *, report_stale_ignores: bool = False
) -> Result:
    """Sort every number of ``text`` into covered, ignored and missing.

    With ``report_stale_ignores`` (for the text the ignore list is written
    for), an entry whose phrase occurs nowhere in ``text`` is stale.
    """
    collapsed = Collapsed(text)
    rows = [(row, collapsed.spans(row.quote)) for row in quotings(ds)]
    entries = [(entry, collapsed.spans(entry.phrase)) for entry in read_ignore_list(ignore_path)]
    numbers = extract(text)
    covered, ignored, missing = [], [], []
    for number in numbers:
        if any(_inside(number, spans) and row.states(number) for row, spans in rows):
            covered.append(number)
        elif any(_inside(number, spans) for _, spans in entries):
            ignored.append(number)
        else:
            missing.append(number)
    stale = [entry for entry, spans in entries if not spans] if report_stale_ignores else []
    return Result(numbers, covered, ignored, missing, stale)


def context(text: str, number: Number, width: int = 40) -> str:
    """The phrase around ``number``: up to ``width`` characters of its line each side, cut at words."""
    line_start = text.rfind("\n", 0, number.offset) + 1
    line_end = len(text) if (found := text.find("\n", number.end)) < 0 else found
    before, after = text[line_start:number.offset], text[number.end:line_end]
    if len(before) > width:
        before = "… " + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + " …"
    return " ".join(f"{before}{number.text}{after}".split())


def report_lines(result: Result, text: str, shown: str, data_shown: str, ignore_shown: str) -> Iterator[str]:
    """One line per missing number and per stale ignore entry, in the format of compilers."""
    for number in result.missing:
        yield (
            f"{shown}:{number.line}:{number.column}: '{context(text, number)}' — number {number.text} "
            f"is neither in {data_shown} nor in {ignore_shown}"
        )
    for entry in result.stale:
        yield f"{ignore_shown}:{entry.line}: stale entry: {entry.phrase!r} occurs nowhere in {shown}"
