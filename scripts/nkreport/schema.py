"""Frictionless validation of types, constraints and keys, reported as :class:`Problem` at file lines.

Frictionless is imported only when validation runs: importing it costs a third of a second, and
reading the package with it most of a second more, the better part of a build that changed nothing.
So a build records the package it found valid, and does not read the same files again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import re
import signal
from collections.abc import Callable
from pathlib import Path

from .chartfiles import write_if_changed
from .errors import Problem, display_path, position


def check_schema(
    data_dir: Path, descriptor: dict, record_lines: dict[str, list[int]], known_valid: Path | None = None
) -> list[Problem]:
    """Frictionless's problems with the package, unless ``known_valid`` records these very files as valid.

    ``known_valid`` holds the digest of the last package found valid: its
    files, the Frictionless version and the code that reads them.
    """
    if _recorded_valid(data_dir, known_valid):
        return []
    return frictionless_problems(data_dir, descriptor, record_lines)


def check_schema_in_background(
    data_dir: Path, descriptor: dict, record_lines: dict[str, list[int]], known_valid: Path | None = None
) -> Callable[[], list[Problem]]:
    """:func:`check_schema` in a forked process; the function returned waits for its problems.

    A process that ends without saying (killed) has its checks made again here: a build never goes on
    unchecked.
    """
    if _recorded_valid(data_dir, known_valid):
        return lambda: []
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_send_problems, args=(sending, data_dir, descriptor, record_lines), daemon=True)
    process.start()
    sending.close()

    @functools.cache
    def wait() -> list[Problem]:
        try:
            return receiving.recv()
        except EOFError:
            return frictionless_problems(data_dir, descriptor, record_lines)
        finally:
            receiving.close()
            process.join()

    return wait


def _recorded_valid(data_dir: Path, known_valid: Path | None) -> bool:
    return bool(known_valid and known_valid.is_file()
                and known_valid.read_text(encoding="utf-8") == inputs_digest(data_dir))


def _send_problems(sending, data_dir: Path, descriptor: dict, record_lines: dict[str, list[int]]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a build stopped with ^C ends here silently: the build says why
    sending.send(frictionless_problems(data_dir, descriptor, record_lines))


def record_valid(data_dir: Path, known_valid: Path) -> None:
    """Record the package as valid, once every check has passed (a failed build writes nothing).

    A record that cannot be written (a read-only checkout) costs only the next run a full check.
    """
    with contextlib.suppress(OSError):
        write_if_changed(known_valid, inputs_digest(data_dir).encode())


def inputs_digest(data_dir: Path) -> str:
    """What Frictionless's findings depend on: the data files, its version and this package's own modules."""
    digest = hashlib.sha256(importlib.metadata.version("frictionless").encode())
    for path in sorted(data_dir.iterdir()) + sorted(Path(__file__).parent.glob("*.py")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def frictionless_problems(data_dir: Path, descriptor: dict, record_lines: dict[str, list[int]]) -> list[Problem]:
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
        return Problem(display_path(path), *position(text, at), what)

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
