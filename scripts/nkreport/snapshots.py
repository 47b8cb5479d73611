"""Kept copies of the statistics tables the data was read from, and the cells its rows name.

A release read as a file (a table in a repository, a download, a page saved
as HTML) is kept unchanged in ``data/snapshots/``, with its sha256 beside the
release's origin in ``releases.csv`` (producer, title, dates, where it was
read, licence: Our World in Data's snapshot metadata). Every official value
of such a release is read again from the file, by the cell its row names,
whenever the data is validated, so a typed cell label is a checked claim.

A table is a list of records, one per period, in one of three forms:

- JSON: a list of objects; a cell is ``object period "~98", key "male"``;
- CSV: a header row, then one row per record; a cell is ``row period "~98", column "male"``;
- HTML: the first ``<table>``, its first row the header; cells are named as in CSV.

>>> table = read_table(Path("t.json"), '[{"period": "~98", "male": 831}]')
>>> table.cell('object period "~98", key "male"')
'831'
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import Problem, display_path

SNAPSHOT_DIR = "snapshots"
FORMATS = (".json", ".csv", ".html")
# The column that names each record's period.
PERIOD = "period"
_CELL = re.compile(r'^(?P<kind>object|row) period "(?P<period>[^"]*)", (?:key|column) "(?P<key>[^"]*)"$')


def data_files(data_dir: Path) -> list[Path]:
    """Every entry of the data folder a reader is given, the kept files inside its snapshots folder included."""
    kept = data_dir / SNAPSHOT_DIR
    entries = [p for p in sorted(data_dir.iterdir()) if p != kept or kept.is_symlink() or not kept.is_dir()]
    if kept.is_dir() and not kept.is_symlink():
        entries += sorted(kept.iterdir())
    return [p for p in entries if not p.name.startswith(".")]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TableError(Exception):
    """A file that cannot be read as a table of records: one problem per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Record:
    """One record of a table: its number (1-based), the line it starts on, and its cells as written."""

    number: int
    line: int
    cells: dict[str, str | None]

    @property
    def period(self) -> str:
        return str(self.cells.get(PERIOD) or "")

    def where(self) -> str:
        """How a maintainer finds it: its number and its period label."""
        return f"record {self.number} (period {json.dumps(self.period, ensure_ascii=False)})"


@dataclass(frozen=True)
class Table:
    path: Path
    kind: str  # "object" for JSON records, "row" for CSV and HTML rows
    records: list[Record]

    def cell_label(self, period: str, column: str) -> str:
        """The name of a cell, as a row of official.csv records it."""
        key = "key" if self.kind == "object" else "column"
        return f'{self.kind} period "{period}", {key} "{column}"'

    def cell(self, label: str) -> str | None:
        """The text of the named cell; KeyError saying what is missing."""
        match = _CELL.match(label)
        if not match or match["kind"] != self.kind:
            raise KeyError(f"cell {label!r} names no cell of this table: expected {self.cell_label('~98', 'male')!r}")
        found = [r for r in self.records if r.period == match["period"]]
        if not found:
            raise KeyError(f"no record has period {match['period']!r}")
        if match["key"] not in found[0].cells:
            raise KeyError(f"record {found[0].number} has no {match['key']!r}")
        return found[0].cells[match["key"]]


def _text(value) -> str | None:
    """A JSON value as the text it was written as (numbers are kept as text by the parser)."""
    return None if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _object_lines(text: str) -> list[int]:
    """The line each object of a top-level JSON list starts on."""
    lines, depth, in_string, escaped, line = [], 0, False, False, 1
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth == 2 and char == "{":
                lines.append(line)
        elif char in "]}":
            depth -= 1
    return lines


def _read_json(path: Path, text: str) -> Table:
    shown = display_path(path)
    try:
        records = json.loads(text, parse_int=str, parse_float=str)
    except json.JSONDecodeError as err:
        raise TableError([Problem(shown, err.lineno, err.colno, f"invalid JSON: {err.msg}")]) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TableError([Problem(shown, 1, 1, "expected a JSON list of records, one object per period")])
    lines = _object_lines(text)
    return Table(path, "object", [
        Record(number, lines[number - 1] if number <= len(lines) else 1, {k: _text(v) for k, v in record.items()})
        for number, record in enumerate(records, start=1)
    ])


def _rows(path: Path, header: list[str], rows: list[tuple[int, list[str]]]) -> Table:
    shown = display_path(path)
    if PERIOD not in header:
        raise TableError([Problem(shown, 1, 1, f"header {header!r}: expected a column {PERIOD!r}")])
    problems = [Problem(shown, line, 1, f"record {number}: {len(cells)} cells, but the header has {len(header)}")
                for number, (line, cells) in enumerate(rows, start=1) if len(cells) != len(header)]
    if problems:
        raise TableError(problems)
    return Table(path, "row", [Record(number, line, dict(zip(header, cells, strict=True)))
                               for number, (line, cells) in enumerate(rows, start=1)])


def _read_csv(path: Path, text: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = []
    for cells in reader:
        if cells:
            rows.append((reader.line_num, [c.strip() for c in cells]))
    return _rows(path, [h.strip() for h in header], rows)


def _read_html(path: Path, text: str) -> Table:
    # Beautiful Soup with the standard library's parser: a saved page's markup is rarely well formed.
    from bs4 import BeautifulSoup

    table = BeautifulSoup(text, "html.parser").find("table")
    if table is None:
        raise TableError([Problem(display_path(path), 1, 1, "no <table> in the page: expected the statistics table")])
    rows = [(tr.sourceline or 1, [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])])
            for tr in table.find_all("tr")]
    if not rows:
        raise TableError([Problem(display_path(path), 1, 1, "the table has no rows")])
    return _rows(path, rows[0][1], [row for row in rows[1:] if row[1]])


def read_table(path: Path, text: str | None = None) -> Table:
    """The records of a kept or new table file, by its extension; TableError naming file and line."""
    reader = {".json": _read_json, ".csv": _read_csv, ".html": _read_html}.get(path.suffix.lower())
    if reader is None:
        expected = ", ".join(FORMATS)
        raise TableError([Problem(display_path(path), 1, 1, f"unknown kind of file: expected one of {expected}")])
    if text is None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise TableError([Problem(display_path(path), 1, 1, f"not UTF-8 text ({err.reason})")]) from None
    return reader(path, text)


def _same(written: str | None, value: str) -> bool:
    try:
        # A saved page may group thousands ("1,043").
        return written is not None and Decimal(written.replace(",", "")) == Decimal(value)
    except InvalidOperation:
        return False


def check(data_dir: Path, tables: dict[str, list[dict]], descriptor: dict) -> list[Problem]:
    """Each kept file against its checksum, and each value of its release against the cell its row names."""
    paths = {r["name"]: data_dir / r["path"] for r in descriptor["resources"]}
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    if "snapshot" not in fields.get("releases", []) or "official" not in tables:
        return []
    releases_shown, official_shown = display_path(paths["releases"]), display_path(paths["official"])
    problems, kept = [], {}
    for release in tables["releases"]:
        if not release["snapshot"]:
            continue
        path = data_dir / release["snapshot"]
        shown = display_path(path)
        column = fields["releases"].index("snapshot") + 1
        if not path.is_file():
            problems.append(Problem(releases_shown, release["_line"], column,
                                    f"snapshot: {shown} is missing: expected the release's file, kept as read"))
            continue
        found = sha256(path)
        if found != release["sha256"]:
            problems.append(Problem(
                releases_shown, release["_line"], fields["releases"].index("sha256") + 1,
                f"sha256: {shown} now has sha256 {found}, but release {release['id']!r} recorded "
                f"{release['sha256'] or 'none'}: a snapshot is kept as it was read; restore it, or record a new "
                "release with `nkreport update`",
            ))
        try:
            kept[release["id"]] = read_table(path)
        except TableError as err:
            problems += err.problems
    for row in tables["official"]:
        table = kept.get(row["release"])
        if table is None:
            continue
        column = fields["official"].index("cell") + 1
        try:
            written = table.cell(row["cell"])
        except KeyError as err:
            problems.append(Problem(official_shown, row["_line"], column,
                                    f"cell: {str(err).strip(chr(34))} in {display_path(table.path)}"))
            continue
        if not _same(written, row["value"]):
            problems.append(Problem(
                official_shown, row["_line"], fields["official"].index("value") + 1,
                f"value: {row['value']}, but {display_path(table.path)} has {written} at {row['cell']}: "
                "expected the value of the cell the row names",
            ))
    return problems
