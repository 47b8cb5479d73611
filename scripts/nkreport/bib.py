"""The bibliography: parsed once with pybtex, checked for what the report needs."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

# Fields without which an entry cannot be cited as the report cites it.
# ``outlet`` is the short name charts and tables label the source with.
REQUIRED_FIELDS = {
    "misc": ("author", "title", "howpublished", "year", "outlet"),
    "article": ("author", "title", "journal", "year", "outlet"),
}


@cache
def _parse(path: Path, mtime: float):
    from pybtex.database import parse_file  # deferred: only needed when the file changed

    return parse_file(str(path), bib_format="bibtex")


def entries(path: Path):
    """The entries of a BibTeX file, keyed by citation key (cached per file version)."""
    return _parse(path, path.stat().st_mtime).entries


def keys(path: Path) -> set[str]:
    return set(entries(path))


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
    """Keys defined more than once (pybtex keeps the first and only warns)."""
    found = re.findall(r"^@\w+\{([^,\s]+),", path.read_text(encoding="utf-8"), flags=re.M)
    return sorted({k for k in found if found.count(k) > 1})


def missing_fields(path: Path) -> list[str]:
    """One line per entry lacking a field its type requires."""
    problems = []
    for key, entry in entries(path).items():
        required = REQUIRED_FIELDS.get(entry.type)
        if required is None:
            problems.append(f"{key}: entry type @{entry.type} is not one of {sorted(REQUIRED_FIELDS)}")
            continue
        present = set(entry.fields) | set(entry.persons)
        problems += [f"{key}: missing field {field!r}" for field in required if field not in present]
    return problems
