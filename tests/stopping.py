"""Stopping a build on purpose: the builds, the stages a build goes through, and the copies the tests stop.

Used by test_stops, which builds its copies once (conftest's ``projects`` fixture).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import time
from pathlib import Path

from buildtools import copy_project, environment, published, revise_figure
from conftest import release
from nkreport import formatting


def start_build(root: Path, extra_path: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        ["bash", "scripts/build"], cwd=root, env=environment(path=extra_path, PYTHONHASHSEED="0"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "scripts/build"], cwd=root, env=environment(PYTHONHASHSEED="0"), capture_output=True, text=True
    )


def revise_a_figure(root: Path) -> str:
    """Change a count of people in data/figures.csv, with its quote, as a new data version (bumped,
    in the changelog, stamped); return the new value as shown."""
    path = root / "data" / "figures.csv"
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
        shown = formatting.number(int(row["value"])) if row["unit"] == "people" and row["value"] else ""
        if shown and row["quote"].count(shown) == 1:
            new = int(row["value"]) + 1
            revise_figure(path, row["id"], str(new))
            release(root)
            return formatting.number(new)
    raise AssertionError("no count of people whose quote states it")


def processes_under(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process descended from ``pid``."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            try:
                command = (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            found.append((child, command))
            todo.append(child)
    return found


def wait_for(condition, process: subprocess.Popen, what: str, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert process.poll() is None, f"the build ended before {what}: {process.stdout.read()[-3000:]}"
        assert time.monotonic() < deadline, f"no {what} within {limit} s"
        time.sleep(0.1)  # the build being watched needs the cores more than this loop


# Stage: what shows the build is in it.
STAGES = {
    "validation": "nkreport validate",
    "HTML": "-b html",
    "doctests": "-b doctest",
    "LaTeX": "-b latex",
    "pdflatex": "pdflatex",
    "publishing": "cp -a _build/work",
}


def built_and_reference(tmp_path_factory, chart_cache) -> dict:
    """A copy built once with the current data, and a clean build of the revised data to compare with.

    A test restores the built copy to the same path, so Sphinx's saved
    environment stays valid for it, as in a maintainer's checkout. The copy
    starts from the session's chart cache; the clean build draws every chart.
    """
    base = tmp_path_factory.mktemp("interrupted")
    built = copy_project(base / "project", charts_from=chart_cache)
    first = build(built)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    template = base / "template"
    shutil.copytree(built, template, symlinks=True)
    clean = base / "clean"
    value = build_revised(clean)
    # A cp that waits, so the build can be stopped while publishing.
    slow = base / "slow-cp"
    slow.mkdir()
    (slow / "cp").write_text(f"#!/bin/sh\nsleep 5\nexec {shutil.which('cp')} \"$@\"\n")
    (slow / "cp").chmod(0o755)
    return {"root": built, "template": template, "reference": published(clean), "value": value, "slow": slow}


def build_revised(clean: Path) -> str:
    """A clean build of a copy whose data is revised; the revised value as the report shows it."""
    copy_project(clean)
    value = revise_a_figure(clean)
    reference = build(clean)
    assert reference.returncode == 0, reference.stdout[-3000:] + reference.stderr[-3000:]
    return value


def restore(projects) -> Path:
    root = projects["root"]
    shutil.rmtree(root)
    shutil.copytree(projects["template"], root, symlinks=True)
    assert revise_a_figure(root) == projects["value"]
    return root



def build_over_a_mount(root: Path, mount: str, listing: Path) -> subprocess.CompletedProcess:
    """The build in a private mount namespace where ``mount`` (shell) has replaced _build.

    Lists what _build holds afterwards in ``listing``, since the mount ends with the namespace.
    """
    script = f'set -e; {mount}; status=0; bash scripts/build || status=$?; ls -A _build > "{listing}"; exit $status'
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "bash", "-c", script],
        cwd=root, env=environment(PYTHONHASHSEED="0"), capture_output=True, text=True, timeout=600,
    )
