"""Kept release files: every official value of such a release is read again from its cell, on temporary copies."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import line_of, replace_in
from nkreport import data, snapshots
from nkreport.errors import DataError


def load_copy(data_dir: Path):
    return data.load(data_dir, data_dir.parent / "references.bib")


def kept_values(data_dir: Path) -> list[dict]:
    """The rows of official.csv whose release is a kept file, with that release."""
    releases = {r["id"]: r for r in csv.DictReader(io.StringIO((data_dir / "releases.csv").read_text("utf-8")))}
    rows = csv.DictReader(io.StringIO((data_dir / "official.csv").read_text("utf-8")))
    return [row | {"kept": kept} for row in rows if (kept := releases[row["release"]]["snapshot"])]


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_copy(data_dir)
    return [str(p) for p in caught.value.problems if "changed since data version" not in str(p)]


def test_every_value_of_a_kept_release_is_its_cell(data_copy):
    rows = kept_values(data_copy)
    assert rows, "no official value is read from a kept file"
    for row in rows:
        table = snapshots.read_table(data_copy / row["kept"])
        assert Decimal(table.cell(row["cell"])) == Decimal(row["value"]), row["id"]


def test_a_value_edited_away_from_its_snapshot_is_one_line(data_copy):
    row = kept_values(data_copy)[0]
    official = data_copy / "official.csv"
    line = line_of(official, row["id"] + ",")
    edited = str(int(row["value"]) + 1)
    lines = official.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(f",{row['value']},people,", f",{edited},people,", 1)
    official.write_text("".join(lines), encoding="utf-8")
    [found] = problems(data_copy)
    assert found.startswith(f"{official}:{line}:")
    assert f"value: {edited}, but {data_copy / row['kept']} has {row['value']} at {row['cell']}" in found


def test_a_changed_snapshot_is_one_line_naming_its_release(data_copy):
    row = kept_values(data_copy)[0]
    kept = data_copy / row["kept"]
    kept.write_text(kept.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same values, other bytes
    [found] = problems(data_copy)
    releases = data_copy / "releases.csv"
    assert found.startswith(f"{releases}:{line_of(releases, row['release'] + ',')}:")
    assert f"sha256: {kept} now has sha256 {snapshots.sha256(kept)}" in found


def test_a_cell_that_names_no_record_is_named(data_copy):
    row = kept_values(data_copy)[0]
    official = data_copy / "official.csv"
    period = row["cell"].split('"')[1]
    replace_in(official, row["cell"].replace('"', '""'), row["cell"].replace(period, "99").replace('"', '""'))
    [found] = problems(data_copy)
    assert found.startswith(f"{official}:{line_of(official, row['id'] + ',')}:")
    assert "no record has period '99'" in found
