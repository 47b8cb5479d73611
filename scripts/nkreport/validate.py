"""Validation of the data package: every problem names file, line and column.

Frictionless checks what Table Schema can express (types, required cells,
enums, patterns, unique and foreign keys: :mod:`nkreport.schema`);
:mod:`nkreport.rules` checks the rules it cannot express (ranges,
percentages, bibliography keys, periods).  Both report through
:class:`~nkreport.errors.Problem`, so a maintainer sees one format.
"""

from __future__ import annotations

from pathlib import Path

from . import inputrules, snapshots, versions
from .errors import DataError, Problem, display_path
from .rules import check_changelog, check_metadata, check_rules
from .schema import check_schema, check_schema_in_background, record_valid
from .tables import read_descriptor, read_table


def provenance_checks(data_dir: Path, tables: dict[str, list[dict]], descriptor: dict) -> list[Problem]:
    """Values re-read from the kept files of their releases, and the version that added each row."""
    return snapshots.check(data_dir, tables, descriptor) + versions.check(data_dir, tables, descriptor)


class Validation:
    """Every check of a package: the report's own made at once, Frictionless's when :meth:`result` asks.

    Frictionless's take a third of a second.  :meth:`check_in_background` starts them in a forked process,
    so that a build can do other work meanwhile (import the charts' code) before it writes anything.
    ``known_valid`` records the last package Frictionless found valid (see :mod:`nkreport.schema`).
    """

    def __init__(self, data_dir: Path, bib_keys: set[str], known_valid: Path | None = None):
        # Before any file is read: a pipe would never end, a link outside the repository would be published.
        unreadable = [Problem(display_path(path), 1, 1, problem) for path in snapshots.data_files(data_dir)
                      if (problem := inputrules.file_problem(path, data_dir.parent))]
        if unreadable:
            raise DataError(unreadable)
        self.data_dir, self.known_valid = data_dir, known_valid
        self.descriptor = read_descriptor(data_dir)
        self.tables: dict[str, list[dict]] = {}
        self.record_lines: dict[str, list[int]] = {}
        structural: list[Problem] = []
        for resource in self.descriptor["resources"]:
            self.tables[resource["name"]], found, self.record_lines[resource["path"]] = read_table(data_dir, resource)
            structural += found
        problems = structural + check_rules(data_dir, self.tables, self.descriptor, bib_keys)
        problems += check_metadata(data_dir, self.descriptor)
        problems += check_changelog(data_dir, self.descriptor)
        problems += provenance_checks(data_dir, self.tables, self.descriptor)
        self.problems, self._structural = problems, structural
        self._frictionless = None  # waits for the findings of Frictionless's checks in the background

    def check_in_background(self) -> None:
        """Start Frictionless's checks in a forked process, unless they have started."""
        if self._frictionless is None:
            self._frictionless = check_schema_in_background(
                self.data_dir, self.descriptor, self.record_lines, self.known_valid)

    def result(self) -> tuple[dict, dict[str, list[dict]]]:
        """The descriptor and tables, once every check has passed; else :class:`DataError` naming each problem."""
        found = (self._frictionless() if self._frictionless
                 else check_schema(self.data_dir, self.descriptor, self.record_lines, self.known_valid))
        # A malformed header or row is already reported above; frictionless would
        # report it again, less clearly, once per cell. A cell a rule already
        # named is reported once; every other problem of a row is reported too.
        broken_files = {p.path for p in self._structural if p.line == 1}
        broken_lines = {(p.path, p.line) for p in self._structural}
        named_cells = {(p.path, p.line, p.column) for p in self.problems}
        problems = self.problems + [
            p for p in found
            if p.path not in broken_files and (p.path, p.line) not in broken_lines
            and (p.path, p.line, p.column) not in named_cells
        ]
        if problems:
            raise DataError(problems)
        if self.known_valid:
            record_valid(self.data_dir, self.known_valid)
        return self.descriptor, self.tables
