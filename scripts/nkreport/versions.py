"""Data versions: which version added each row, the tables as they stood at any version, and what changed.

Every row of every table records the data version that added it
(``added_in``); a row typed in with the cell empty is one of the version being
prepared, and ``nkreport stamp`` writes that version in. Rows are added, never rewritten (a revision is a new row), so
the tables as of version V are the rows added in V or before, with no git
history needed: ``nkreport as-of V DIR`` writes them. The changelog's entries
give each version's date.

>>> key("2.10.0") > key("2.9.1")
True
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .chartfiles import write_if_changed
from .errors import Problem, display_path, read_text
from .rules import CHANGELOG_ENTRY
from .tables import file_hash

COLUMN = "added_in"


def key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Version:
    """A data version as the changelog records it."""

    version: str
    date: str
    entry: str  # the changelog's text for it, without its heading


def history(data_dir: Path) -> list[Version]:
    """Every version of the changelog, newest first."""
    text = read_text(data_dir / "CHANGELOG.md")
    headings = list(CHANGELOG_ENTRY.finditer(text))
    ends = [h.start() for h in headings[1:]] + [len(text)]
    return [Version(h[1], h[2], text[h.end():end].strip()) for h, end in zip(headings, ends, strict=True)]


def versioned(descriptor: dict) -> list[dict]:
    """The resources whose rows record the version that added them."""
    return [r for r in descriptor["resources"] if COLUMN in [f["name"] for f in r["schema"]["fields"]]]


def check(data_dir: Path, tables: dict[str, list[dict]], descriptor: dict) -> list[Problem]:
    """No row is added in a version later than the package's (an empty cell is the package's version)."""
    version = str(descriptor.get("version", ""))
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        return []  # named by the metadata check
    problems = []
    for resource in versioned(descriptor):
        column = [f["name"] for f in resource["schema"]["fields"]].index(COLUMN) + 1
        shown = display_path(data_dir / resource["path"])
        for row in tables.get(resource["name"], []):
            added = row.get(COLUMN, "")
            if re.fullmatch(r"\d+\.\d+\.\d+", added) and key(added) > key(version):
                problems.append(Problem(shown, row["_line"], column,
                                        f"{COLUMN}: {added} is after the package's version {version}"))
    return problems


def _read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def csv_text(rows: list[list[str]]) -> str:
    """Rows as the tables are written: minimal quoting, one newline per record."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def fill(data_dir: Path, descriptor: dict, version: str) -> list[str]:
    """Give every row without a version ``version`` (rows a maintainer typed in); return the tables changed."""
    changed = []
    for resource in versioned(descriptor):
        path = data_dir / resource["path"]
        rows = _read_rows(path)
        if not rows or COLUMN not in rows[0]:
            continue
        at = rows[0].index(COLUMN)
        empty = [row for row in rows[1:] if len(row) == len(rows[0]) and not row[at]]
        for row in empty:
            row[at] = version
        if empty:
            write_if_changed(path, csv_text(rows).encode("utf-8"))
            changed.append(resource["path"])
    return changed


class UnknownVersion(ValueError):
    pass


def as_of(data_dir: Path, version: str, target: Path) -> Version:
    """Write the data package as it stood at ``version`` into ``target``: each table's rows added in it or
    before, the changelog to it, its version and date, and the kept files of its releases."""
    known = history(data_dir)
    found = [v for v in known if v.version == version]
    if not found:
        raise UnknownVersion(f"no data version {version!r} in {display_path(data_dir / 'CHANGELOG.md')}: "
                             f"expected one of {', '.join(v.version for v in known)}")
    wanted = found[0]
    descriptor = json.loads(read_text(data_dir / "datapackage.json"))
    target.mkdir(parents=True, exist_ok=True)
    for resource in descriptor["resources"]:
        rows = _read_rows(data_dir / resource["path"])
        if rows and COLUMN in rows[0]:
            at = rows[0].index(COLUMN)
            rows = rows[:1] + [row for row in rows[1:] if key(row[at] or descriptor["version"]) <= key(version)]
            if "snapshot" in rows[0]:
                for row in rows[1:]:
                    snapshot = row[rows[0].index("snapshot")]
                    if snapshot:
                        (target / snapshot).parent.mkdir(parents=True, exist_ok=True)
                        write_if_changed(target / snapshot, (data_dir / snapshot).read_bytes())
        write_if_changed(target / resource["path"], csv_text(rows).encode("utf-8"))
        resource["hash"] = file_hash(target / resource["path"])
    descriptor |= {"version": version, "updated": wanted.date, "hashed_version": version}
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    write_if_changed(target / "datapackage.json", text.encode("utf-8"))
    changelog = read_text(data_dir / "CHANGELOG.md")
    start = CHANGELOG_ENTRY.search(changelog).start()
    kept = re.search(rf"^## {re.escape(version)} — ", changelog, re.M).start()
    write_if_changed(target / "CHANGELOG.md", (changelog[:start] + changelog[kept:]).encode("utf-8"))
    return wanted
