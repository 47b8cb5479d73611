"""Validation of the data package: every problem names file, line and column.

Frictionless checks what Table Schema can express (types, required cells,
enums, patterns, unique and foreign keys); the rules it cannot express
(ranges, percentages, bibliography keys, periods) are checked here.  Both
report through :class:`Problem`, so a maintainer sees one format.
"""

from __future__ import annotations

import csv
import io
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
        # One line whatever the data holds: control characters and line separators are shown escaped.
        message = _LINE_BREAKING.sub(lambda c: repr(c[0])[1:-1], self.message)
        return f"{self.path}:{self.line}:{self.column}: {message}"


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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


def read_text(path: Path) -> str:
    """A file's text; DataError naming the line and column of a byte that is not UTF-8, or a missing file."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        problem = Problem(display_path(path), 1, 1, f"cannot read: {err.strerror}: expected a readable file")
        raise DataError([problem]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError([Problem(
            display_path(path), line, column, f"byte 0x{raw[err.start]:02x} is not UTF-8: expected UTF-8 text",
        )]) from None


def read_descriptor(data_dir: Path) -> dict:
    path = data_dir / "datapackage.json"
    text = read_text(path)
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError([Problem(display_path(path), err.lineno, err.colno, f"invalid JSON: {err.msg}")]) from None
    problems = check_descriptor(path, text, descriptor)
    if problems:
        raise DataError(problems)
    return descriptor


def check_descriptor(path: Path, text: str, descriptor) -> list[Problem]:
    """What validation reads of the descriptor before frictionless can: resources, their paths and fields."""

    def problem(key: str, what: str, after: int = 0) -> Problem:
        found = re.compile(rf'"{key}"\s*:\s*').search(text, after)
        line, column = _position(text, found.end()) if found else (1, 1)
        return Problem(display_path(path), line, column, what)

    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        return [problem("resources", "resources: expected a list of resources, each with a name, path and schema")]
    problems = []
    for index, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        where = text.find(f'"name": {json.dumps(name)}') if isinstance(name, str) else -1
        if where < 0:
            problems.append(problem("resources", f"resources[{index}]: expected an object with a string name"))
            continue
        table = resource.get("path")
        if not isinstance(table, str) or "/" in table or not (path.parent / table).is_file():
            expected = f"expected the name of a file in {display_path(path.parent)}"
            problems.append(problem("path", f"{name}: path {json.dumps(table)}: {expected}", where))
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                                                   for f in fields):
            problems.append(problem("schema", f"{name}: schema: expected fields, each with a name", where))
    return problems


def read_table(data_dir: Path, resource: dict) -> tuple[list[dict], list[Problem], list[int]]:
    """Rows of a resource as dicts with their line numbers, structural problems, and each record's first line.

    A row with too few or too many cells (a missing column, a stray
    delimiter) is reported and left out, so later checks never misread it.
    A quoted cell may span lines, so record *n* starts on line
    ``record_lines[n - 1]``, not line *n*.
    """
    path = data_dir / resource["path"]
    shown = display_path(path)
    expected = [f["name"] for f in resource["schema"]["fields"]]
    problems: list[Problem] = []
    rows: list[dict] = []
    record_lines = [1]
    with io.StringIO(read_text(path), newline="") as handle:
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
            return rows, problems, record_lines
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            record_lines.append(start)
            if len(cells) != len(expected):
                what = "stray delimiter or extra cell" if len(cells) > len(expected) else "missing cell(s)"
                problems.append(Problem(
                    shown, start, min(len(cells), len(expected)) + 1,
                    f"{len(cells)} cells where {len(expected)} are expected ({what})",
                ))
                continue
            rows.append({"_line": start, **dict(zip(expected, cells, strict=True))})
    return rows, problems, record_lines


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


VALUE_FIELDS = ("value", "low", "high")


def _values(row: dict):
    """(field, number) for each numeric cell of ``row`` that parses (frictionless reports the rest)."""
    for field in VALUE_FIELDS:
        number = _number(row.get(field) or "")
        if number is not None:
            yield field, number


def value_domain(row: dict):
    """(field, message) for each value outside its unit's domain, in any table with value/low/high and unit."""
    unit = row.get("unit", "")
    for field, number in _values(row):
        if not number.is_finite():
            yield field, f"{row[field]} is not a finite number: expected digits, such as 1396 or 75.6"
        elif unit.startswith("people") and number < 0:
            yield field, f"{row[field]} is not a number of people: expected 0 or more"
        elif unit == "people" and number != number.to_integral_value():
            yield field, f"{row[field]} is not a whole number of people: expected a count such as 1396"
        elif unit == "percent" and not 0 <= number <= 100:
            yield field, f"{row[field]} is not a percentage between 0 and 100"


def quote_states_value(row: dict):
    """(field, message) for each value its own quote does not state, when the quote states numbers in digits.

    A quote in words only ("a dozen", "half") is not checked; where it has
    digits, every value must be one of the numbers it states, in digits or
    words (a change may be stated without its sign: "fell 48 percent").
    """
    from .completeness import extract  # deferred: completeness imports this module

    numbers = list(extract(row.get("quote", "")))
    if not any(n.text[:1].isdigit() for n in numbers):
        return
    stated = set().union(*(n.values for n in numbers))
    for field, number in _values(row):
        if number.is_finite() and number not in stated and -number not in stated:
            said = ", ".join(dict.fromkeys(n.text for n in numbers))
            yield field, f"{row[field]} is not stated by the row's quote: expected one of its numbers ({said})"


def _row_rules(table: str, row: dict, bib_keys: set[str]):
    """(field, message) for each rule the row breaks."""
    for field in ("source", "post"):
        # A post is named only for rows the archive relays.
        if field == "source" and field in row and not row[field]:
            yield field, "empty source key: expected a key of references.bib"
        elif row.get(field) and row[field] not in bib_keys:
            yield field, f"unknown source key {row[field]!r}: expected a key of references.bib"
    if table == "official" and not (row["cell"] or row["quote"]):
        yield "cell", "expected where the value stands in the copy (cell) or the phrase that states it (quote)"
    for start, end in (("period_start", "period_end"), ("date_start", "date_end")):
        if row.get(start) and row.get(end) and row[start] > row[end]:
            yield start, f"{row[start]} is after {end} {row[end]}"
    yield from value_domain(row)
    if table != "figures":
        return
    low, high = _number(row["low"]), _number(row["high"])
    if row["value"] and (row["low"] or row["high"]):
        yield "value", "give either value or low and high, not both"
    elif not row["value"] and not (row["low"] and row["high"]):
        yield "value", "expected a value, or both low and high for a range"
    if low is not None and high is not None and low > high:
        yield "low", f"low {row['low']} is above high {row['high']}"
    yield from quote_states_value(row)


def check_rules(data_dir: Path, tables: dict[str, list[dict]], descriptor: dict, bib_keys: set[str]) -> list[Problem]:
    """The rules Table Schema cannot express."""
    problems: list[Problem] = []
    # Press and official figures share one namespace of ids (the {fig} role looks in both).
    press_ids = {row["id"] for row in tables.get("figures", [])}
    for resource in descriptor["resources"]:
        if resource["name"] == "official":
            shown = display_path(data_dir / resource["path"])
            problems += [
                Problem(shown, row["_line"], 1,
                        f"id: {row['id']!r} is already a figure of figures.csv: expected a new id")
                for row in tables["official"] if row["id"] in press_ids
            ]
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        shown = display_path(data_dir / resource["path"])
        for row in tables[resource["name"]]:
            # Each cell once, by the first rule it breaks (756 percent is out of range before it is unquoted).
            broken = dict(reversed(list(_row_rules(resource["name"], row, bib_keys))))
            problems += [
                Problem(shown, row["_line"], fields.index(field) + 1, f"{field}: {message}")
                for field, message in broken.items()
            ]
    return problems


def check_schema(data_dir: Path, descriptor: dict, record_lines: dict[str, list[int]]) -> list[Problem]:
    """Frictionless validation of types, constraints and keys; its row numbers become file lines."""
    from frictionless import FrictionlessException, Package  # deferred: importing it costs a third of a second

    descriptor_path = data_dir / "datapackage.json"
    problems = check_table_schemas(descriptor_path, descriptor)
    if problems:
        return problems
    try:
        report = Package(str(descriptor_path)).validate()
    except FrictionlessException as err:
        shown = display_path(descriptor_path)
        return [Problem(shown, 1, 1, f"{err.error.type}: {note}: expected a valid Data Package")
                for note in _notes(err)]
    except Exception as err:  # frictionless can fail on a descriptor it accepted: still one line, no traceback
        shown = display_path(descriptor_path)
        return [Problem(shown, 1, 1, f"frictionless cannot validate the package: {type(err).__name__}: {err}: "
                                     "expected a valid Data Package")]
    schemas = {r["path"]: r["schema"] for r in descriptor["resources"]}
    problems = []
    for task in report.tasks:
        shown = display_path(data_dir / task.place)
        schema = schemas[task.place]
        fields = [f["name"] for f in schema["fields"]]
        lines = record_lines.get(task.place, [])
        # A table that no longer matches its hash is reported by nkreport.stamp, with what to do.
        for error in (e for e in task.errors if e.type != "hash-count"):
            # Row-level errors (keys) name fields rather than a cell.
            key = getattr(error, "field_names", None) or (schema["primaryKey"] if error.type == "primary-key" else [])
            named = getattr(error, "field_name", None) or next(iter(key), None)
            column = getattr(error, "field_number", None) or (fields.index(named) + 1 if named in fields else 1)
            note = getattr(error, "note", "") or error.message
            row = getattr(error, "row_number", None) or 1
            problems.append(Problem(
                shown,
                lines[row - 1] if row <= len(lines) else row,
                column,
                f"{named + ': ' if named else ''}{error.type}: {note}",
            ))
    return problems


def _notes(err) -> list[str]:
    """What frictionless found wrong, one note per reason ("descriptor is not valid" alone says nothing)."""
    return [reason.note for reason in err.reasons] or [err.error.note or err.error.message]


# Constraints frictionless compares cells with: a value it cannot read as the field's type makes it fail,
# as does a pattern that is not a regular expression.
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


# Where a schema's key is wrong, by what frictionless's note calls it.
SCHEMA_KEYS = {"primaryKey": "primary key", "foreignKeys": "foreign key"}


def check_table_schemas(path: Path, descriptor: dict) -> list[Problem]:
    """Each resource's Table Schema, field by field, named at the field's line. Frictionless, reading
    the package, stops at its first mistake with no line, and fails outright on a bound it cannot read."""
    from frictionless import Field, FrictionlessException, Schema

    text = path.read_text(encoding="utf-8")
    problems = []

    def find(key: str, value: str | None = None, after: int = 0) -> int:
        pattern = rf'"{key}"\s*:\s*' + (re.escape(value) if value is not None else "")
        found = re.compile(pattern).search(text, after)
        return found.end() - len(value or "") if found else after

    def problem(at: int, what: str) -> Problem:
        return Problem(display_path(path), *_position(text, at), what)

    for resource in descriptor["resources"]:
        name = resource["name"]
        start = find("name", json.dumps(name))
        fields_valid = True
        for spec in resource["schema"]["fields"]:
            at = find("name", json.dumps(spec["name"]), start)
            where = f"{name}: field {spec['name']!r}"
            try:
                field = Field.from_descriptor(spec)
            except FrictionlessException as err:
                fields_valid = False
                for note in _notes(err):
                    named = re.search(r"at property '([^']*)'", note)
                    key = named[1].split("/")[-1] if named else "type" if "field type" in note else None
                    problems.append(problem(find(key, after=at) if key else at,
                                            f"{where}: {note}: expected a Table Schema field"))
                continue
            constraints = spec.get("constraints", {})
            for bound in (b for b in BOUNDS if b in constraints):
                if field.read_cell(constraints[bound])[0] is None:
                    problems.append(problem(find(bound, after=at), f"{where}: {bound} "
                                            f"{json.dumps(constraints[bound])}: expected a {field.type} value"))
            if "pattern" in constraints:
                try:
                    re.compile(constraints["pattern"])
                except re.error as err:
                    shown = json.dumps(constraints["pattern"])
                    problems.append(problem(find("pattern", after=at),
                                            f"{where}: pattern {shown}: {err}: expected a regular expression"))
        if fields_valid:
            try:
                Schema.from_descriptor(resource["schema"])
            except FrictionlessException as err:
                for note in _notes(err):
                    key = next((k for k, said in SCHEMA_KEYS.items() if said in note), "schema")
                    problems.append(problem(find(key, after=start), f"{name}: {note}: expected a valid Table Schema"))
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
    text = read_text(path)
    newest = CHANGELOG_ENTRY.search(text)
    if newest and newest.groups() == (descriptor.get("version"), descriptor.get("updated")):
        return []
    line = text.count("\n", 0, newest.start()) + 1 if newest else 1
    found = f"'{newest[0].strip()}'" if newest else "no '## VERSION — DATE' entry"
    return [Problem(
        display_path(path), line, 1,
        f"newest entry is {found}, but datapackage.json has version and updated '{stamp}': add an entry for it",
    )]


def provenance_checks(data_dir: Path, tables: dict[str, list[dict]], descriptor: dict) -> list[Problem]:
    """Values re-read from the kept files of their releases, and the version that added each row."""
    from . import snapshots, versions  # deferred: both import this module

    return snapshots.check(data_dir, tables, descriptor) + versions.check(data_dir, tables, descriptor)


def validate(data_dir: Path, bib_keys: set[str]) -> tuple[dict, dict[str, list[dict]]]:
    """Validate the package and return its descriptor and tables, or raise :class:`DataError`."""
    descriptor = read_descriptor(data_dir)
    tables: dict[str, list[dict]] = {}
    record_lines: dict[str, list[int]] = {}
    structural: list[Problem] = []
    for resource in descriptor["resources"]:
        tables[resource["name"]], found, record_lines[resource["path"]] = read_table(data_dir, resource)
        structural += found
    problems = structural + check_rules(data_dir, tables, descriptor, bib_keys)
    problems += check_metadata(data_dir, descriptor)
    problems += check_changelog(data_dir, descriptor)
    problems += provenance_checks(data_dir, tables, descriptor)
    # A malformed header or row is already reported above; frictionless would
    # report it again, less clearly, once per cell. A cell a rule already
    # named is reported once; every other problem of a row is reported too.
    broken_files = {p.path for p in structural if p.line == 1}
    broken_lines = {(p.path, p.line) for p in structural}
    named_cells = {(p.path, p.line, p.column) for p in problems}
    problems += [
        p for p in check_schema(data_dir, descriptor, record_lines)
        if p.path not in broken_files and (p.path, p.line) not in broken_lines
        and (p.path, p.line, p.column) not in named_cells
    ]
    if problems:
        raise DataError(problems)
    return descriptor, tables
