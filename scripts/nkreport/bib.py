"""The bibliography: parsed once with pybtex, checked for what the report needs."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from . import inputrules
from .errors import DataError, Problem, display_path, read_text

# Fields without which an entry cannot be cited as the report cites it.
# ``outlet`` is the short name charts and tables label the source with.
REQUIRED_FIELDS = {
    "misc": ("author", "title", "howpublished", "year", "outlet"),
    "article": ("author", "title", "journal", "year", "outlet"),
}


@cache
def _parse(path: Path, identity: tuple):
    """The parsed file; DataError with the line of a syntax error, a duplicate key or text that is not UTF-8."""
    from pybtex.database import parse_string  # deferred: only needed when the file changed
    from pybtex.exceptions import PybtexError
    from pybtex.scanner import PybtexSyntaxError

    text = read_text(path)
    duplicates = _duplicates(path, text)
    if duplicates:
        raise DataError(duplicates)  # pybtex would stop at the first
    try:
        return parse_string(text, bib_format="bibtex")
    except PybtexSyntaxError as err:
        what = re.sub(r"^syntax error in line \d+: ", "", str(err))
        raise DataError([Problem(display_path(path), err.lineno, 1, f"syntax error: {what}")]) from None
    except PybtexError as err:  # a list of names it cannot split ("Too many commas in …")
        quoted = re.search(r"'(.*)'", str(err))
        names = quoted[1] if quoted else ""
        at = text.find(names) if names else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        field = re.search(r"(\w+)\s*=\s*[{\"][^{}\"]*$", text[:at]) if at >= 0 else None
        what = f"{field[1]}: {err}" if field else str(err)
        expected = "names joined by ' and ', each 'Last, First', 'Last, Jr, First' or 'First Last'"
        raise DataError([Problem(display_path(path), line, 1, f"{what}: expected {expected}")]) from None


def entries(path: Path):
    """The entries of a BibTeX file, keyed by citation key (cached per file version)."""
    # Changed bytes change the change time and size, even where the modification time was kept old.
    status = path.stat()
    return _parse(path, (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)).entries


def keys(path: Path) -> set[str]:
    """The keys of a usable bibliography; DataError names each problem (syntax, duplicates, missing fields,
    text the outputs cannot carry, addresses that are not http or https)."""
    missing = [
        Problem(display_path(path), _line_of_entry(path, key), 1, f"{key}: {what}: expected {expected}")
        for key, what, expected in _missing_fields(path)
    ] + _field_problems(path)
    if missing:
        raise DataError(missing)
    return set(entries(path))


def _duplicates(path: Path, text: str) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for found in _ENTRY.finditer(text):
        key, line = found["key"], text.count("\n", 0, found.start()) + 1
        if key in first:
            what = f"{key}: duplicate key (first at line {first[key]}): expected each key once"
            problems.append(Problem(display_path(path), line, 1, what))
        first.setdefault(key, line)
    return problems


def _line_of_entry(path: Path, key: str) -> int:
    text = read_text(path)
    found = next((m for m in _ENTRY.finditer(text) if m["key"] == key), None)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _field_problems(path: Path) -> list[Problem]:
    """Each field that would not be text in every output, or an address that is not http or https."""
    text = read_text(path)
    starts = {m["key"]: m.start() for m in _ENTRY.finditer(text)}
    problems = []
    for key, entry in entries(path).items():
        for field, value in entry.fields.items():
            if field.lower() == "url":
                problem = inputrules.address_problem(value)
            elif "$" in value.replace("\\$", ""):
                problem = "TeX math ($…$) cannot be set in every output: expected text, without dollar signs"
            else:
                problem = inputrules.character_problem(value)
            if problem:
                found = re.compile(rf"^\s*{re.escape(field)}\s*=", re.M | re.I).search(text, starts.get(key, 0))
                line = text.count("\n", 0, found.start()) + 1 if found else _line_of_entry(path, key)
                problems.append(Problem(display_path(path), line, 1, f"{key}: {field}: {problem}"))
    return problems


_ENTRY = re.compile(r"^@\w+\{(?P<key>[^,\s]+),", re.M)



class Source(NamedTuple):
    """What the data needs of an entry: when it was published, and how charts and tables name it."""

    date: str  # ISO, as precise as the entry's ``date`` field: "2015-07-05" or "2015-08"
    label: str  # the entry's ``outlet`` and year: "Yonhap 2015"


def sources(path: Path) -> dict[str, Source]:
    return {
        key: Source(entry.fields.get("date", entry.fields.get("year", "")),
                    f"{entry.fields.get('outlet', key)} {entry.fields.get('year', '')}".strip())
        for key, entry in entries(path).items()
    }


def duplicate_keys(path: Path) -> list[str]:
    """Keys defined more than once."""
    found = [m["key"] for m in _ENTRY.finditer(read_text(path))]
    return sorted({k for k in found if found.count(k) > 1})


def missing_fields(path: Path) -> list[str]:
    """One line per entry lacking a field its type requires."""
    return [f"{key}: {what}" for key, what, _ in _missing_fields(path)]


def _missing_fields(path: Path) -> list[tuple[str, str, str]]:
    """(key, what is wrong, what is expected) for each entry lacking what its type requires."""
    problems = []
    for key, entry in entries(path).items():
        required = REQUIRED_FIELDS.get(entry.type)
        if required is None:
            types = ", ".join(f"@{kind}" for kind in sorted(REQUIRED_FIELDS))
            problems.append((key, f"entry type @{entry.type} is not one of {sorted(REQUIRED_FIELDS)}", types))
            continue
        present = set(entry.fields) | set(entry.persons)
        expected = f"@{entry.type} entries to have {', '.join(required)}"
        problems += [(key, f"missing field {field!r}", expected) for field in required if field not in present]
    return problems
