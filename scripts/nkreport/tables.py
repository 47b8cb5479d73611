"""Reading the data package: its descriptor and its tables, each row with its line.

What the descriptor must hold before anything else can read it, and rows
with too few or too many cells, are reported here as :class:`Problem`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

from .errors import DataError, Problem, display_path, position, read_text
from .inputrules import MAX_ROWS


def read_descriptor(data_dir: Path) -> dict:
    path = data_dir / "datapackage.json"
    text = read_text(path)
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError([Problem(display_path(path), err.lineno, err.colno, f"invalid JSON: {err.msg}")]) from None
    except RecursionError:
        too_deep = True
    else:
        too_deep = _depth(descriptor) > MAX_DEPTH
    if too_deep:
        raise DataError([Problem(display_path(path), 1, 1, f"JSON nested more than {MAX_DEPTH} levels deep: "
                                 "expected the descriptor's few levels of objects and lists")])
    problems = check_descriptor(path, text, descriptor)
    if problems:
        raise DataError(problems)
    return descriptor


MAX_DEPTH = 32  # a Data Package needs about eight; deeper nesting only threatens the readers' recursion


def _depth(value) -> int:
    """How deeply ``value`` nests objects and lists, counted without recursion."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                todo += [(child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def check_descriptor(path: Path, text: str, descriptor) -> list[Problem]:
    """What validation reads of the descriptor before frictionless can: resources, their paths and fields."""

    def problem(key: str, what: str, after: int = 0) -> Problem:
        found = re.compile(rf'"{key}"\s*:\s*').search(text, after)
        line, column = position(text, found.end()) if found else (1, 1)
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


def file_hash(path: Path) -> str:
    """A table's checksum as the descriptor records it (``hash``)."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


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
        for cells in _records(reader, shown, problems):
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
            if len(rows) > MAX_ROWS:
                problems.append(Problem(shown, start, 1, f"more than {MAX_ROWS:,} rows: expected at most "
                                        f"{MAX_ROWS:,} rows in a table (the PDF lists every row)"))
                break
    return rows, problems, record_lines


def _records(reader, shown: str, problems: list[Problem]):
    """The reader's records, until one it cannot read (a cell longer than the csv module's limit)."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            limit = csv.field_size_limit()
            problems.append(Problem(shown, reader.line_num, 1, f"cannot read the record ({err}): expected "
                                    f"cells of at most {limit:,} characters and well-formed quoting"))
            return
