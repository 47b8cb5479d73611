"""Validation of the data package: every problem names file, line and column.

Frictionless checks what Table Schema can express (types, required cells,
enums, patterns, unique and foreign keys: :mod:`nkreport.schema`);
:mod:`nkreport.rules` checks the rules it cannot express (ranges,
percentages, bibliography keys, periods).  Both report through
:class:`~nkreport.errors.Problem`, so a maintainer sees one format.
"""

from __future__ import annotations

from pathlib import Path

from . import inputrules
from .errors import DataError, Problem, display_path
from .rules import check_changelog, check_metadata, check_rules
from .schema import check_schema
from .tables import read_descriptor, read_table


def validate(data_dir: Path, bib_keys: set[str]) -> tuple[dict, dict[str, list[dict]]]:
    """Validate the package and return its descriptor and tables, or raise :class:`DataError`."""
    # Before any file is read: a pipe would never end, a link outside the repository would be published.
    unreadable = [Problem(display_path(path), 1, 1, problem) for path in sorted(data_dir.iterdir())
                  if not path.name.startswith(".") and (problem := inputrules.file_problem(path, data_dir.parent))]
    if unreadable:
        raise DataError(unreadable)
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
