"""Every earlier data version can be rebuilt from today's tables alone: `nkreport as-of` against the package as git
recorded it at each version."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from buildtools import REPO
from nkreport import data, versions
from nkreport.__main__ import main

# What a row says: its quantity and value, which are never edited (a revision is a new row). Rows read as they do
# today: notes, quotes and, before data 2.0.0, one press figure's period start were corrected in place since.
# What a row states of its figure. Our own recording of where it was read (a release's date, the
# bibliography key) is corrected in place, and reads as it does today (CONTRIBUTING, "Earlier versions").
SAYS = ("id", "series", "period_type", "year_basis", "period_end", "value", "low", "high", "unit", "qualifier",
        "release", "category", "date_end")


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO.root), *args], capture_output=True, text=True, check=True).stdout


def commit_of_each_version() -> dict[str, str]:
    """The last commit of the project's history at which the package had each version."""
    found = {}
    for commit in git("log", "--first-parent", "--format=%H", "--", "data/datapackage.json").split():
        version = json.loads(git("show", f"{commit}:data/datapackage.json"))["version"]
        found.setdefault(version, commit)
    return found


def rows_then(commit: str, table: str) -> list[dict] | None:
    shown = subprocess.run(["git", "-C", str(REPO.root), "show", f"{commit}:data/{table}"],
                           capture_output=True, text=True)
    return list(csv.DictReader(io.StringIO(shown.stdout))) if shown.returncode == 0 else None


@pytest.mark.git
def test_as_of_each_earlier_version_is_that_version_of_the_package(tmp_path):
    earlier = versions.history(REPO.data_dir)[1:]
    commits = commit_of_each_version()
    assert earlier and all(v.version in commits for v in earlier), (earlier, commits)
    package = json.loads((REPO.data_dir / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r["path"] for r in package["resources"]]
    for version in earlier:
        target = tmp_path / version.version
        assert main(["as-of", version.version, str(target)]) == 0
        rebuilt = data.load(target, REPO.bibliography)
        assert (rebuilt.version, rebuilt.descriptor["updated"]) == (version.version, version.date)
        for table in tables:
            then = rows_then(commits[version.version], table) or []
            now = list(csv.DictReader(io.StringIO((target / table).read_text(encoding="utf-8"))))
            shared = [c for c in SAYS if then and c in then[0] and c in now[0]] if now else []
            assert [r["id"] for r in now] == [r["id"] for r in then], (version.version, table)
            assert [[r[c] for c in shared] for r in now] == [[r[c] for c in shared] for r in then], (version, table)


def test_as_of_an_unknown_version_names_the_known_ones(tmp_path, capsys):
    assert main(["as-of", "0.0.9", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err
    assert "no data version '0.0.9'" in message and versions.history(REPO.data_dir)[0].version in message
    assert not (tmp_path / "out").exists()
