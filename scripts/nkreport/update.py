"""``nkreport update FILE``: a release of the ministry's table of arrivals by year and sex, in one step.

The file is the table as the Ministry of Unification publishes it and as it
was copied: JSON records, or the same columns as CSV or an HTML table
(``period``, ``male``, ``female``, ``total``, optionally ``female_pct``). The
command keeps it unchanged in ``data/snapshots/`` with its sha256, records the
release and its bibliography entry, adds one row of ``official.csv`` per
value that is new or revised (with the cell it came from), bumps the data
version, drafts the changelog entry, updates ``CITATION.cff`` and stamps the
tables. Every file is prepared and validated in a scratch copy first, then
each is replaced in one step: a bad file changes nothing.

The ministry's table is read by :mod:`nkreport.ministry`.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from . import citation, data, formatting, snapshots, stamp, versions
from .chartfiles import write_if_changed
from .errors import DataError, display_path, read_text
from .ministry import PRODUCER, SERIES, SERIES_WORDS, Period, Value, read_records


@dataclass
class Changes:
    """What a release changes: values new to the data, revised, made final, and confirmed."""

    new: list[Value] = field(default_factory=list)
    revised: list[tuple[Value, data.Figure]] = field(default_factory=list)
    final: list[tuple[Value, data.Figure]] = field(default_factory=list)
    confirmed: list[Value] = field(default_factory=list)

    @property
    def rows(self) -> list[Value]:
        return [*self.new, *(v for v, _ in self.revised), *(v for v, _ in self.final)]


def compare(values: list[Value], ds: data.Dataset) -> Changes:
    """Each value against the newest recorded value of its quantity."""
    current = {}
    for series in set(SERIES.values()):
        for figure in ds.official(series, None):
            current[(series, figure.period_type, figure.year_basis, figure.period_start, figure.period_end)] = figure
    changes = Changes()
    for value in values:
        recorded = current.get((value.series, *value.period.quantity))
        if recorded is None:
            changes.new.append(value)
        elif recorded.value != value.value:
            changes.revised.append((value, recorded))
        elif recorded.provisional and not value.period.provisional:
            changes.final.append((value, recorded))
        else:
            changes.confirmed.append(value)
    return changes


def _number(value) -> str:
    return formatting.number(Decimal(value))


def _by_period(values: list[Value]) -> list[tuple[Period, list[Value]]]:
    grouped: dict[Period, list[Value]] = {}
    for value in values:
        grouped.setdefault(value.period, []).append(value)
    return list(grouped.items())


def _counts(values: list[Value]) -> str:
    return ", ".join(f"{_number(v.value)} {SERIES_WORDS[v.series]}" for v in values)


def summary_lines(changes: Changes) -> list[str]:
    """What the release changes, in plain words: the changelog's items and the command's report."""
    lines = [f"New: {period.words}: {_counts(values)}." for period, values in _by_period(changes.new)]
    earlier = {id(value): old for value, old in [*changes.revised, *changes.final]}
    for period, values in _by_period([value for value, _ in changes.revised]):
        revised = ", ".join(f"{SERIES_WORDS[v.series]} from {_number(earlier[id(v)].value)} to {_number(v.value)}"
                            for v in values)
        releases = " and ".join(sorted({earlier[id(v)].release for v in values}))
        lines.append(f"Revised: {period.words}: {revised} (the earlier values from {releases}).")
    for period, values in _by_period([value for value, _ in changes.final]):
        releases = " and ".join(sorted({earlier[id(v)].release for v in values}))
        lines.append(f"Now final: {period.words}: {_counts(values)}, unchanged (provisional in {releases}).")
    if changes.confirmed:
        lines.append(f"Unchanged: {len(changes.confirmed)} values confirmed.")
    return lines


@dataclass(frozen=True)
class Origin:
    """Where and when the file was read: the release's origin, as releases.csv records it."""

    published: date
    accessed: date
    url: str
    repository: str = ""
    path: str = ""
    commit: str = ""
    licence: str = "Not stated for this file."
    note: str = ""


def _unused(candidates: list[str], used: set[str]) -> str:
    return next((c for c in candidates if c not in used), candidates[-1])


def _through(values: list[Value]) -> str:
    last = max((v.period for v in values), key=lambda p: p.end)
    month = f"{calendar.month_name[last.end.month]} {last.end.year}"
    return f"{month} (provisional)" if last.provisional else month


def bib_entry(key: str, origin: Origin, through: str) -> str:
    read = (f"read in the copy of the {origin.repository.split('/')[-1]} repository "
            f"({origin.repository}, commit {origin.commit[:8]})" if origin.repository else "read on the page")
    published = origin.published
    return (
        f"\n@misc{{{key},\n"
        "  outlet       = {Ministry of Unification},\n"
        "  author       = {{Ministry of Unification}},\n"
        f"  title        = {{{{[Arrivals of North Korean defectors in South Korea by year and sex], figures to "
        f"{through}}}}},\n"
        f"  howpublished = {{Statistics page, Ministry of Unification, Republic of Korea; {read}}},\n"
        f"  url          = {{{origin.url}}},\n"
        f"  date         = {{{published.isoformat()}}},\n"
        f"  year         = {{{published.year}}},\n"
        f"  month        = {{{calendar.month_name[published.month]}}},\n"
        "}\n"
    )


def _row(header: list[str], cells: dict) -> list[str]:
    return [str(cells.get(column, "")) for column in header]


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


class UpdateRefused(Exception):
    """The file, or the way it was named, cannot be recorded: one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def check_origin(origin: Origin) -> list[str]:
    problems = []
    if not re.fullmatch(r"https?://[^\s{}\\]+", origin.url):
        problems.append(f"--url {origin.url!r}: expected the address the table was published at (http or https)")
    if origin.repository and not re.fullmatch(r"[\w.-]+/[\w.-]+", origin.repository):
        problems.append(f"--copy repository {origin.repository!r}: expected OWNER/NAME")
    if origin.repository and not re.fullmatch(r"[0-9a-f]{40}", origin.commit):
        problems.append(f"--copy commit {origin.commit!r}: expected the full 40-character commit")
    if origin.accessed < origin.published:
        problems.append(f"--accessed {origin.accessed}: before --published {origin.published}: expected the day "
                        "the file was read, on or after it was published")
    return problems


def check_date(origin: Origin, ds: data.Dataset) -> list[str]:
    """The new data version's date (the day the file was read) is not before the current version's."""
    updated = ds.descriptor["updated"]
    if origin.accessed.isoformat() < updated:
        return [f"--accessed {origin.accessed}: before data version {ds.version} of {updated}: expected the day "
                "the file was read, which dates the new data version"]
    return []


@dataclass
class Result:
    """What an update did, for the maintainer to read."""

    lines: list[str]
    changed: bool


def _next_minor(version: str) -> str:
    major, minor, _ = versions.key(version)
    return f"{major}.{minor + 1}.0"


def _changelog(text: str, version: str, when: date, lead: str, items: list[str]) -> str:
    body = "\n".join(textwrap.fill(item, width=78, initial_indent="- ", subsequent_indent="  ")
                     for item in [lead, *items])
    start = re.search(r"^## ", text, re.M)
    at = start.start() if start else len(text)
    return f"{text[:at]}## {version} — {when.isoformat()}\n\n{body}\n\n{text[at:]}"


def _citation(text: str, version: str, when: date) -> str:
    text = re.sub(r'^version:.*$', f'version: "{version}"', text, count=1, flags=re.M)
    return re.sub(r'^date-released:.*$', f'date-released: "{when.isoformat()}"', text, count=1, flags=re.M)


def update(file: Path, origin: Origin, data_dir: Path) -> Result:
    """Record the release in ``file``; UpdateRefused (nothing written) if it cannot be."""
    bibliography, cff = data_dir.parent / "references.bib", citation.path_for(data_dir)
    problems = check_origin(origin)
    try:
        table = snapshots.read_table(file)
    except snapshots.TableError as err:
        raise UpdateRefused(problems + [str(p) for p in err.problems]) from None
    values, found = read_records(table)
    if problems + found:
        raise UpdateRefused(problems + found)
    ds = data.load(data_dir, bibliography)
    digest = snapshots.sha256(file)
    same = [r for r in ds.releases.values() if r.sha256 == digest]
    if same:
        return Result([f"{display_path(file)}: already recorded as release {same[0].id} (same sha256, "
                       f"{same[0].snapshot}): nothing to do"], changed=False)
    changes = compare(values, ds)
    if check_date(origin, ds):
        raise UpdateRefused(check_date(origin, ds))
    if not changes.rows:
        return Result([f"{display_path(file)}: every value is recorded already "
                       f"({len(changes.confirmed)} confirmed): nothing to do"], changed=False)

    published = origin.published
    release_id = _unused([f"mou-{published:%Y-%m}-table", f"mou-{published.isoformat()}-table"], set(ds.releases))
    suffixes = {figure_id.rsplit("-", 1)[-1] for figure_id in ds.figures}
    suffix = _unused([f"mou{published.year}", f"mou{published:%Y%m%d}"], suffixes)
    bib_keys = set(data.bib.keys(bibliography))
    key = _unused([f"mou{published.year}defectorstats", f"mou{published:%Y%m%d}defectorstats"], bib_keys)
    if release_id in ds.releases or key in bib_keys:
        raise UpdateRefused([f"{display_path(file)}: a release of {published} is recorded already "
                             f"({release_id}, {key}): expected a new release"])
    version, when = _next_minor(ds.version), origin.accessed
    snapshot = f"{snapshots.SNAPSHOT_DIR}/{release_id}{file.suffix.lower()}"
    through = _through(values)
    read_in = (f"A copy of the ministry's table of arrivals by year and sex in {origin.repository} "
               f"({origin.path})" if origin.repository else
               "The ministry's table of arrivals by year and sex, saved from its statistics page")
    release = {
        "id": release_id, "source": key, "producer": PRODUCER,
        "title": f"북한이탈주민 입국현황 (arrivals of North Korean defectors by year and sex) to {through}",
        "date_published": published.isoformat(), "date_accessed": origin.accessed.isoformat(), "url": origin.url,
        "repository": origin.repository, "path": origin.path, "commit": origin.commit,
        "snapshot": snapshot, "sha256": digest, "licence": origin.licence,
        "note": " ".join(filter(None, (f"{read_in}, recorded with `nkreport update`.", origin.note))),
        "added_in": version,
    }
    rows = []
    restated = {id(value): old for value, old in [*changes.revised, *changes.final]}
    for value in changes.rows:
        old, said = restated.get(id(value)), value.period.note()
        if old is not None and old.value != value.value:
            said = f"{said} Revises {_number(old.value)} of release {old.release}.".strip()
        elif old is not None:
            # Not "provisional": the chapters' claims read that word in a note as the release's marker.
            said = f"{said} Restated as final; release {old.release} gave it as not yet final.".strip()
        rows.append({
            "id": f"{value.series}-{value.period.slug}-{suffix}", "series": value.series,
            "period_type": value.period.period_type, "year_basis": "calendar",
            "period_start": value.period.start.isoformat() if value.period.start else "",
            "period_end": value.period.end.isoformat(), "value": value.value, "unit": "people",
            "release": release_id, "cell": value.cell, "note": said, "added_in": version,
        })
    lead = (f"`official.csv`: the Ministry of Unification's table of arrivals by year and sex, published on "
            f"{formatting.date_words(published)} (release `{release_id}`, kept as `{snapshot}`).")
    items = summary_lines(changes)

    with tempfile.TemporaryDirectory() as scratch:
        staged = Path(scratch) / "data"
        shutil.copytree(data_dir, staged)
        for path in (bibliography, cff):
            if path.exists():
                shutil.copy2(path, Path(scratch) / path.name)
        (staged / snapshot).parent.mkdir(exist_ok=True)
        shutil.copyfile(file, staged / snapshot)
        for name, added in (("releases.csv", [release]), ("official.csv", rows)):
            table_rows = _csv_rows(staged / name)
            (staged / name).write_text(versions.csv_text(table_rows + [_row(table_rows[0], r) for r in added]),
                                       encoding="utf-8")
        package = json.loads(read_text(staged / "datapackage.json"))
        package |= {"version": version, "updated": when.isoformat()}
        (staged / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
        entry = _changelog(read_text(staged / "CHANGELOG.md"), version, when, lead, items)
        (staged / "CHANGELOG.md").write_text(entry, encoding="utf-8")
        (Path(scratch) / "references.bib").write_text(read_text(bibliography) + bib_entry(key, origin, through),
                                                      encoding="utf-8")
        if cff.exists():
            (Path(scratch) / cff.name).write_text(_citation(read_text(cff), version, when), encoding="utf-8")
        stamp.stamp(staged)
        try:
            data.load(staged, Path(scratch) / "references.bib")
        except DataError as err:
            raise UpdateRefused([f"the updated data would not be valid: {p}" for p in err.problems]) from None
        problems = citation.check(staged, json.loads(read_text(staged / "datapackage.json")))
        if problems:
            raise UpdateRefused([str(p) for p in problems])
        # Every file is ready and valid: put each in place in one step, the package (which names the
        # tables' hashes) last.
        (data_dir / snapshots.SNAPSHOT_DIR).mkdir(exist_ok=True)
        write_if_changed(data_dir / snapshot, file.read_bytes())
        installed = [(staged / "releases.csv", data_dir / "releases.csv"),
                     (staged / "official.csv", data_dir / "official.csv"),
                     (staged / "CHANGELOG.md", data_dir / "CHANGELOG.md"),
                     (Path(scratch) / "references.bib", bibliography)]
        if cff.exists():
            installed.append((Path(scratch) / cff.name, cff))
        installed.append((staged / "datapackage.json", data_dir / "datapackage.json"))
        for source, target in installed:
            write_if_changed(target, source.read_bytes())

    lines = [
        f"{display_path(data_dir / snapshot)}: kept as read (sha256 {digest})",
        f"{display_path(data_dir / 'releases.csv')}: release {release_id}, published {published}; "
        f"{display_path(bibliography)}: entry {key}",
        f"{display_path(data_dir / 'official.csv')}: {len(rows)} rows added",
        *items,
        f"data version {version} of {when}: {display_path(data_dir / 'CHANGELOG.md')} entry drafted (read it), "
        f"{display_path(cff)} updated, tables stamped",
        "next: read the changelog entry, `bash scripts/build`, then commit",
    ]
    return Result(lines, changed=True)
