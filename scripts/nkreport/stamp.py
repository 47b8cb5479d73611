"""Data versions that cannot lie: each table's checksum is recorded for a version.

Every resource in ``datapackage.json`` carries the Data Package ``hash`` of
its file (``sha256:…``), and ``hashed_version`` names the version those hashes
were recorded for. A table whose file no longer matches its hash changed
since that version: the checks fail until the package has a new version (and
changelog entry, which validation requires) and ``nkreport stamp`` records
the new hashes. A version not yet committed may be stamped again, so a
maintainer can keep editing the data of the version being prepared.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from . import versions
from .chartfiles import write_if_changed
from .errors import Problem, display_path
from .tables import file_hash, read_descriptor

STAMP_COMMAND = "python -m nkreport stamp"


def changed_tables(data_dir: Path, descriptor: dict) -> list[dict]:
    """The resources whose file does not match the hash recorded for it (or that have none)."""
    return [r for r in descriptor["resources"] if r.get("hash") != file_hash(data_dir / r["path"])]


def committed_version(data_dir: Path) -> str | None:
    """The package version in git's HEAD, or None where there is no git history to ask."""
    try:
        shown = subprocess.run(
            ["git", "-C", str(data_dir), "show", "HEAD:./datapackage.json"],
            capture_output=True, text=True, check=True,
        ).stdout
        return json.loads(shown).get("version")
    except (OSError, subprocess.CalledProcessError, json.JSONDecodeError):
        return None


def may_restamp(data_dir: Path, version: str) -> bool:
    """Whether ``version`` is still being prepared: in git, but not yet committed."""
    committed = committed_version(data_dir)
    return committed is not None and committed != version


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((number for number, line in enumerate(lines, start=1) if needle in line), 1)


def check(data_dir: Path, descriptor: dict) -> list[Problem]:
    """One problem per table changed since its hash was recorded, or for a version never stamped."""
    version, hashed = descriptor.get("version"), descriptor.get("hashed_version")
    package = data_dir / "datapackage.json"
    changed = changed_tables(data_dir, descriptor)
    if not changed:
        if version == hashed:
            return []
        line = _line_of(package, '"version"')
        what = f"version {version} is not stamped (the tables are those of {hashed})"
        return [Problem(display_path(package), line, 1, f"{what}: run `{STAMP_COMMAND}`")]
    if version != hashed:
        todo = f"the package is now version {version}: run `{STAMP_COMMAND}`"
    elif may_restamp(data_dir, version):
        todo = f"{version} is not committed yet: run `{STAMP_COMMAND}`"
    else:
        todo = (
            f"bump version and updated in {display_path(package)}, add an entry for them to "
            f"{display_path(data_dir / 'CHANGELOG.md')}, and run `{STAMP_COMMAND}`"
        )
    since = f"since data version {hashed}" if hashed else "(no hash recorded)"
    return [
        Problem(
            display_path(data_dir / r["path"]), 1, 1,
            f"{'changed' if r.get('hash') else 'new table'} {since}: {todo}",
        )
        for r in changed
    ]


def _with(mapping: dict, key: str, value, after: str) -> dict:
    """``mapping`` with ``key`` set; a new key goes right after ``after``, where a reader looks for it."""
    if key in mapping or after not in mapping:
        return mapping | {key: value}
    items = list(mapping.items())
    at = [k for k, _ in items].index(after) + 1
    return dict([*items[:at], (key, value), *items[at:]])


class StampRefused(Exception):
    """The tables changed but the version did not."""


def stamp(data_dir: Path) -> list[str]:
    """Record each table's hash for the package's version; return the tables whose hash changed.

    Rows typed in without the version that adds them get this version first.
    The caller validates the data first (so the version has its changelog
    entry); this refuses to record new tables under a version already
    committed with other ones.
    """
    descriptor = read_descriptor(data_dir)
    version = descriptor["version"]
    frozen = version == descriptor.get("hashed_version") and not may_restamp(data_dir, version)
    if frozen and changed_tables(data_dir, descriptor):
        raise StampRefused("\n".join(str(p) for p in check(data_dir, descriptor)))
    versions.fill(data_dir, descriptor, version)
    changed = changed_tables(data_dir, descriptor)
    hashes = {r["path"]: file_hash(data_dir / r["path"]) for r in changed}
    descriptor["resources"] = [
        _with(r, "hash", hashes[r["path"]], after="path") if r["path"] in hashes else r
        for r in descriptor["resources"]
    ]
    descriptor = _with(descriptor, "hashed_version", version, after="created")
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    # Written beside it and renamed over it: a full or read-only disk leaves the old file whole.
    write_if_changed(data_dir / "datapackage.json", text.encode("utf-8"))
    return [r["path"] for r in changed]
