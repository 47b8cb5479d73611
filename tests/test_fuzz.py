"""Property-based tests: whatever a cell of the data or a line of the bibliography holds,
validation accepts it or names each problem in one line, file:line, never with a traceback;
and a build of such a copy publishes a report or nothing."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from buildtools import REPO, copy_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from nkreport.__main__ import main

TABLES = sorted(p.name for p in REPO.data_dir.glob("*.csv") if p.name != "completeness-ignore.csv")
# Values that have broken parsers before, beside arbitrary text.
AWKWARD = ["", "NaN", "-inf", "Infinity", "1e999", "-1", "0.5", "1,396", '"', ",", "\n", "{cite:p}`x`",
           "<script>alert(1)</script>", "2014-02-30", "9999-12-31", "\\", "\x00", "\ufeff", "é",
           # Issue 19's probes: numbers in other forms, huge numbers, characters the PDF cannot set, links.
           "2_929", "\u0662\u0669", "\uff12\uff19", "2.929e3", "1" + "0" * 28, "\u200b", "\U0001F600", "\u2028",
           "javascript:alert(1)", "x" * 2500]
cell_text = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=20))
ONE_LINE = re.compile(r"^(?P<path>\S[^:]*):(?P<line>\d+)(?::\d+)?: \S.*$")


def mutate_cell(table: Path, row: int, column: int, text: str) -> None:
    # surrogateescape: an earlier mutation may have left bytes that are not UTF-8; they stay as they are.
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8", errors="surrogateescape"), newline="")))
    row %= len(rows) or 1
    if not rows or not rows[row]:
        return
    column %= len(rows[row])
    rows[row][column] = text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    table.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogateescape")


def mutate_bytes(path: Path, offset: int, length: int, replacement: bytes) -> None:
    raw = path.read_bytes()
    offset %= len(raw)
    path.write_bytes(raw[:offset] + replacement + raw[offset + length:])


# A mutation: (file, how) where how edits the file in a copy.
cell_mutations = st.builds(
    lambda table, row, column, text: (table, lambda path: mutate_cell(path, row, column, text)),
    st.sampled_from(TABLES), st.integers(0, 10_000), st.integers(0, 100), cell_text,
)
byte_mutations = st.builds(
    lambda name, offset, length, replacement: (name, lambda path: mutate_bytes(path, offset, length, replacement)),
    st.sampled_from([*TABLES, "datapackage.json", "../references.bib"]),
    st.integers(0, 1_000_000), st.integers(0, 8), st.binary(max_size=8) | st.sampled_from([b"\xff", b'"', b"{", b"}"]),
)


def copy_data(root: Path) -> Path:
    shutil.copytree(REPO.data_dir, root / "data")
    shutil.copy(REPO.bibliography, root / "references.bib")
    return root / "data"


def assert_one_line_each(output: str, root: Path) -> None:
    """Output is a count of problems, then one `file:line[:column]: what` per problem, in the copy's files."""
    lines = output.strip().splitlines()
    assert re.fullmatch(r"\d+ problem\(s\) in the data package:", lines[0]), output
    for line in lines[1:]:
        found = ONE_LINE.match(line)
        assert found, f"not one line per problem: {line!r}\n{output}"
        assert Path(found["path"]).resolve().is_relative_to(root.resolve()), line


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(cell_mutations | byte_mutations, min_size=1, max_size=3))
def test_validation_accepts_or_names_every_problem_in_one_line(mutations):
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = copy_data(Path(tmp))
        for name, mutate in mutations:
            mutate(data_dir / name)
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(["validate", "--data", str(data_dir)])
        event(f"validation status {status}")
        if status == 0:
            assert ": valid (" in stdout.getvalue()
        else:
            assert status == 1
            assert_one_line_each(stderr.getvalue(), Path(tmp))


@pytest.mark.build
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=cell_mutations)
def test_a_build_of_mutated_data_publishes_a_report_or_nothing(mutation):
    name, mutate = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        mutate(root / "data" / name)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NKREPORT_VENV": sys.prefix}
        result = subprocess.run(["bash", "scripts/build"], cwd=root, env=env, capture_output=True, text=True)
        output = result.stdout + result.stderr
        assert "Traceback" not in output and "Exception occurred" not in output, output[-3000:]
        if result.returncode == 0:
            assert (root / "_build" / "html" / "index.html").exists()
        else:
            assert result.stderr.strip().splitlines()[-1].startswith("build: FAILED: "), output[-3000:]
            assert not (root / "_build" / "html").exists() and not (root / "_build" / "latex").exists()
