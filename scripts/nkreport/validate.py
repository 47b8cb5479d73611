"""Validation of the data package: every problem names file, line and column.

Frictionless checks what Table Schema can express (types, required cells,
enums, patterns, unique and foreign keys); the rules it cannot express
(ranges, percentages, bibliography keys, periods) are checked here.  Both
report through :class:`Problem`, so a maintainer sees one format.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DataError(Exception):
    """The data package is invalid; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(
            f"{len(self.problems)} problem(s) in the data package:\n"
            + "\n".join(str(p) for p in self.problems)
        )


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_descriptor(data_dir: Path) -> dict:
    path = data_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError([Problem(display_path(path), err.lineno, err.colno, f"invalid JSON: {err.msg}")]) from None


def read_table(data_dir: Path, resource: dict) -> tuple[list[dict], list[Problem]]:
    """Rows of a resource as dicts with their line numbers, and structural problems.

    A row with too few or too many cells (a missing column, a stray
    delimiter) is reported and left out, so later checks never misread it.
    """
    path = data_dir / resource["path"]
    shown = display_path(path)
    expected = [f["name"] for f in resource["schema"]["fields"]]
    problems: list[Problem] = []
    rows: list[dict] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != expected:
            missing = [name for name in expected if name not in (header or [])]
            extra = [name for name in header or [] if name not in expected]
            detail = []
            if missing:
                detail.append("missing column(s) " + ", ".join(repr(n) for n in missing))
            if extra:
                detail.append("unexpected column(s) " + ", ".join(repr(n) for n in extra))
            if not detail:
                detail.append("columns out of order")
            pairs = zip(header or [], expected, strict=False)
            column = next((i + 1 for i, (a, b) in enumerate(pairs) if a != b), len(header or []) + 1)
            problems.append(Problem(shown, 1, column, f"header: {'; '.join(detail)}; expected: {','.join(expected)}"))
            return rows, problems
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if len(cells) != len(expected):
                what = "stray delimiter or extra cell" if len(cells) > len(expected) else "missing cell(s)"
                problems.append(Problem(
                    shown, start, min(len(cells), len(expected)) + 1,
                    f"{len(cells)} cells where {len(expected)} are expected ({what})",
                ))
                continue
            rows.append({"_line": start, **dict(zip(expected, cells, strict=True))})
    return rows, problems


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _row_rules(table: str, row: dict, bib_keys: set[str]):
    """(field, message) for each rule the row breaks."""
    for field in ("source", "post"):
        if field in row and not row[field]:
            yield field, "empty source key: expected a key of references.bib"
        elif field in row and row[field] not in bib_keys:
            yield field, f"unknown source key {row[field]!r}: expected a key of references.bib"
    for start, end in (("period_start", "period_end"), ("date_start", "date_end")):
        if row.get(start) and row.get(end) and row[start] > row[end]:
            yield start, f"{row[start]} is after {end} {row[end]}"
    if table != "figures":
        return
    value, low, high = (_number(row[f]) for f in ("value", "low", "high"))
    if row["value"] and (row["low"] or row["high"]):
        yield "value", "give either value or low and high, not both"
    elif not row["value"] and not (row["low"] and row["high"]):
        yield "value", "expected a value, or both low and high for a range"
    if low is not None and high is not None and low > high:
        yield "low", f"low {row['low']} is above high {row['high']}"
    if row["unit"] == "percent":
        for field, number in (("value", value), ("low", low), ("high", high)):
            if number is not None and not 0 <= number <= 100:
                yield field, f"{row[field]} is not a percentage between 0 and 100"


def check_rules(data_dir: Path, tables: dict[str, list[dict]], descriptor: dict, bib_keys: set[str]) -> list[Problem]:
    """The rules Table Schema cannot express."""
    problems: list[Problem] = []
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        shown = display_path(data_dir / resource["path"])
        for row in tables[resource["name"]]:
            problems += [
                Problem(shown, row["_line"], fields.index(field) + 1, f"{field}: {message}")
                for field, message in _row_rules(resource["name"], row, bib_keys)
            ]
    return problems


def check_schema(data_dir: Path, descriptor: dict) -> list[Problem]:
    """Frictionless validation of types, constraints and keys."""
    from frictionless import Package  # deferred: importing it costs a third of a second

    report = Package(str(data_dir / "datapackage.json")).validate()
    schemas = {r["path"]: r["schema"] for r in descriptor["resources"]}
    problems = []
    for task in report.tasks:
        shown = display_path(data_dir / task.place)
        schema = schemas[task.place]
        fields = [f["name"] for f in schema["fields"]]
        for error in task.errors:
            # Row-level errors (keys) name fields rather than a cell.
            key = getattr(error, "field_names", None) or (schema["primaryKey"] if error.type == "primary-key" else [])
            named = getattr(error, "field_name", None) or next(iter(key), None)
            column = getattr(error, "field_number", None) or (fields.index(named) + 1 if named in fields else 1)
            note = getattr(error, "note", "") or error.message
            problems.append(Problem(
                shown,
                getattr(error, "row_number", None) or 1,
                column,
                f"{named + ': ' if named else ''}{error.type}: {note}",
            ))
    return problems


# What the report prints from the package's metadata, and the form each must have.
METADATA_FORMATS = {
    "version": (re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"), "a version MAJOR.MINOR.PATCH such as 2.0.1"),
    "updated": (re.compile(r"\d{4}-\d\d-\d\d"), "a date YYYY-MM-DD"),
}


def check_metadata(data_dir: Path, descriptor: dict) -> list[Problem]:
    """The version and date the report prints on every page: exactly their form, nothing else."""
    path = data_dir / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    problems = []
    for key, (form, expected) in METADATA_FORMATS.items():
        value = descriptor.get(key)
        if isinstance(value, str) and form.fullmatch(value) and (key != "updated" or _is_date(value)):
            continue
        found = re.search(rf'"{key}"\s*:\s*', text)
        line, column = _position(text, found.end()) if found else (1, 1)
        shown = "missing" if value is None else f"{json.dumps(value)}"
        problems.append(Problem(display_path(path), line, column, f"{key}: {shown}: expected {expected}"))
    return problems


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


CHANGELOG_ENTRY = re.compile(r"^## (\S+) — (\d{4}-\d\d-\d\d)\s*$", re.M)


def check_changelog(data_dir: Path, descriptor: dict) -> list[Problem]:
    """The newest CHANGELOG.md entry must name the package's version and date (the report's stamp)."""
    path = data_dir / "CHANGELOG.md"
    stamp = f"{descriptor.get('version')} — {descriptor.get('updated')}"
    if not path.exists():
        expected = f"missing: expected a data changelog whose newest entry is '## {stamp}'"
        return [Problem(display_path(path), 1, 1, expected)]
    text = path.read_text(encoding="utf-8")
    newest = CHANGELOG_ENTRY.search(text)
    if newest and newest.groups() == (descriptor.get("version"), descriptor.get("updated")):
        return []
    line = text.count("\n", 0, newest.start()) + 1 if newest else 1
    found = f"'{newest[0].strip()}'" if newest else "no '## VERSION — DATE' entry"
    return [Problem(
        display_path(path), line, 1,
        f"newest entry is {found}, but datapackage.json has version and updated '{stamp}': add an entry for it",
    )]


def validate(data_dir: Path, bib_keys: set[str]) -> tuple[dict, dict[str, list[dict]]]:
    """Validate the package and return its descriptor and tables, or raise :class:`DataError`."""
    descriptor = read_descriptor(data_dir)
    tables: dict[str, list[dict]] = {}
    problems: list[Problem] = []
    for resource in descriptor["resources"]:
        tables[resource["name"]], structural = read_table(data_dir, resource)
        problems += structural
    problems += check_rules(data_dir, tables, descriptor, bib_keys)
    problems += check_metadata(data_dir, descriptor)
    problems += check_changelog(data_dir, descriptor)
    # A malformed header or row is already reported above; frictionless would
    # report it again, less clearly, once per cell.
    broken_files = {p.path for p in problems if p.line == 1}
    broken_lines = {(p.path, p.line) for p in problems}
    problems += [
        p for p in check_schema(data_dir, descriptor)
        if p.path not in broken_files and (p.path, p.line) not in broken_lines
    ]
    if problems:
        raise DataError(problems)
    return descriptor, tables
