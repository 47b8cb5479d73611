"""Data versions cannot lie: a changed table needs a new version, a changelog entry and a stamp."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from buildtools import REPO
from conftest import line_of, new_version, replace_in
from nkreport import data

# A revised value, with its quote: validation requires a value its quote states.
REVISION = (
    '2011-12-31,2706,,,people,,yonhap2013firsthalf,nkew2013firsthalf,"2011’s 2,706"',
    '2011-12-31,2707,,,people,,yonhap2013firsthalf,nkew2013firsthalf,"2011’s 2,707"',
)


def nkreport(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nkreport", *args, "--data", str(data_dir)],
        cwd=data_dir.parent, capture_output=True, text=True,
    )


def version_of(data_dir: Path) -> str:
    return json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["version"]


def next_version(data_dir: Path) -> str:
    """A version the package has not had, whatever it is now."""
    major, minor, patch = version_of(data_dir).split(".")  # validation requires MAJOR.MINOR.PATCH
    return f"{major}.{minor}.{int(patch) + 1}"


def test_the_repository_data_is_stamped_with_its_version():
    result = nkreport(REPO.load().data_dir, "validate")
    assert result.returncode == 0, result.stderr


def test_a_change_without_a_new_version_fails_naming_the_table(data_copy):
    version = version_of(data_copy)
    replace_in(data_copy / "figures.csv", *REVISION)
    expected = (
        f"data/figures.csv:1:1: changed since data version {version}: bump version and updated in "
        "data/datapackage.json, add an entry for them to data/CHANGELOG.md, and run `python -m nkreport stamp`"
    )
    checked = nkreport(data_copy, "validate")
    assert checked.returncode == 1
    assert checked.stderr.splitlines()[1:] == [expected]
    before = (data_copy / "datapackage.json").read_bytes()
    refused = nkreport(data_copy, "stamp")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [expected]
    assert (data_copy / "datapackage.json").read_bytes() == before


def test_a_new_version_is_stamped_and_then_fixed(data_copy):
    old, new = version_of(data_copy), next_version(data_copy)
    replace_in(data_copy / "figures.csv", *REVISION)
    new_version(data_copy, new, "2099-12-01")
    unstamped = nkreport(data_copy, "validate")
    assert unstamped.stderr.splitlines()[1:] == [
        f"data/figures.csv:1:1: changed since data version {old}: the package is now version {new}: "
        "run `python -m nkreport stamp`"
    ]
    stamped = nkreport(data_copy, "stamp")
    assert stamped.returncode == 0, stamped.stderr
    assert stamped.stdout == f"data/datapackage.json: tables stamped as data version {new} (changed: figures.csv)\n"
    assert nkreport(data_copy, "validate").returncode == 0
    # The new version now names these tables: another change needs another version.
    replace_in(data_copy / "figures.csv", REVISION[1], REVISION[1].replace("2707", "2708").replace("2,707", "2,708"))
    again = nkreport(data_copy, "validate")
    assert again.returncode == 1
    assert f"data/figures.csv:1:1: changed since data version {new}: bump version" in again.stderr


def test_a_bump_alone_must_be_stamped(data_copy):
    new = next_version(data_copy)
    new_version(data_copy, new, "2099-12-01")
    descriptor = data_copy / "datapackage.json"
    version_line = line_of(descriptor, '"version"')
    checked = nkreport(data_copy, "validate")
    assert checked.stderr.splitlines()[1:] == [
        f"data/datapackage.json:{version_line}:1: version {new} is not stamped "
        f"(the tables are those of {json.loads(descriptor.read_text())['hashed_version']}): "
        "run `python -m nkreport stamp`"
    ]
    assert nkreport(data_copy, "stamp").stdout.endswith("(none changed)\n")
    assert nkreport(data_copy, "validate").returncode == 0


def test_a_new_table_needs_its_hash(data_copy):
    descriptor = data_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    del package["resources"][1]["hash"]
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    checked = nkreport(data_copy, "validate")
    assert f"{package['resources'][1]['path']}:1:1: new table since data version " in checked.stderr


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True,
                   capture_output=True)


def test_a_version_not_yet_committed_may_be_stamped_again(data_copy):
    root = data_copy.parent
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "data as released")
    new = next_version(data_copy)
    replace_in(data_copy / "figures.csv", *REVISION)
    new_version(data_copy, new, "2099-12-01")
    assert nkreport(data_copy, "stamp").returncode == 0
    replace_in(data_copy / "figures.csv", REVISION[1], REVISION[1].replace("2707", "2708").replace("2,707", "2,708"))
    uncommitted = nkreport(data_copy, "validate")
    assert uncommitted.stderr.splitlines()[1:] == [
        f"data/figures.csv:1:1: changed since data version {new}: {new} is not committed yet: "
        "run `python -m nkreport stamp`"
    ]
    assert nkreport(data_copy, "stamp").returncode == 0
    git(root, "commit", "-q", "-am", f"data {new}")
    replace_in(data_copy / "figures.csv", ",2708,,,people,", ",2709,,,people,")
    assert nkreport(data_copy, "stamp").returncode == 1


def test_the_build_reads_a_changed_table_before_it_is_stamped(data_copy):
    """Writers see a change in the preview; only the checks (validate, scripts/build) insist on the stamp."""
    replace_in(data_copy / "figures.csv", *REVISION)
    assert data.load(data_copy, data_copy.parent / "references.bib").value("arrivals-2011-yonhap2013") == 2707
