"""Whatever stops a build, it publishes nothing and the next build equals a clean one.

Each case runs ``bash scripts/build`` on a temporary copy, stops it at a stage
(found by watching its processes) with a signal, builds again and compares the
published report with a clean build of the same sources, byte for byte.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from buildtools import copy_project, environment, published, revise_figure, sphinx
from conftest import release
from nkreport import formatting

pytestmark = pytest.mark.build

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


@pytest.fixture(scope="module")
def projects(tmp_path_factory, chart_cache):
    """A copy built once with the current data, and a clean build of the revised data to compare with.

    Each case restores the built copy to the same path, so Sphinx's saved
    environment stays valid for it, as in a maintainer's checkout. The copy
    starts from the session's chart cache; the clean build draws every chart.
    """
    base = tmp_path_factory.mktemp("interrupted")
    built = copy_project(base / "project", charts_from=chart_cache)
    first = build(built)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    template = base / "template"
    shutil.copytree(built, template, symlinks=True)
    clean = copy_project(base / "clean")
    new_value = revise_a_figure(clean)
    reference = build(clean)
    assert reference.returncode == 0, reference.stdout[-3000:] + reference.stderr[-3000:]
    # A cp that waits, so the build can be stopped while publishing.
    slow = base / "slow-cp"
    slow.mkdir()
    (slow / "cp").write_text(f"#!/bin/sh\nsleep 5\nexec {shutil.which('cp')} \"$@\"\n")
    (slow / "cp").chmod(0o755)
    return {"root": built, "template": template, "reference": published(clean), "value": new_value, "slow": slow}


def restore(projects) -> Path:
    root = projects["root"]
    shutil.rmtree(root)
    shutil.copytree(projects["template"], root, symlinks=True)
    assert revise_a_figure(root) == projects["value"]
    return root


@pytest.mark.parametrize(
    ("stage", "signum", "whole_tree"),
    [
        ("validation", signal.SIGINT, False),
        ("HTML", signal.SIGTERM, False),
        ("doctests", signal.SIGINT, False),
        ("LaTeX", signal.SIGKILL, True),
        ("pdflatex", signal.SIGINT, False),
        ("publishing", signal.SIGTERM, False),
        ("publishing", signal.SIGKILL, False),
    ],
)
def test_an_interrupted_build_publishes_nothing_and_the_next_equals_a_clean_one(projects, stage, signum, whole_tree):
    root = restore(projects)
    process = start_build(root, projects["slow"] if stage == "publishing" else None)
    wait_for(lambda: any(STAGES[stage] in c for _, c in processes_under(process.pid)), process, stage)
    victims = [pid for pid, _ in processes_under(process.pid)] if whole_tree else []
    for pid in [process.pid, *victims]:
        os.kill(pid, signum)
    output = process.communicate(timeout=300)[0]
    assert process.returncode != 0
    if signum != signal.SIGKILL:
        assert output.strip().splitlines()[-1].startswith(f"build: FAILED: interrupted by {signum.name}"), output
    # Even a build killed outright leaves no earlier report (it unpublished that first), nor its own.
    assert not (root / "_build" / "html").exists() and not (root / "_build" / "latex").exists()

    again = build(root)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    after = published(root)
    assert sorted(after) == sorted(projects["reference"])
    assert [name for name in after if after[name] != projects["reference"][name]] == []


def test_a_build_stopped_after_sphinx_saved_its_environment_is_rewritten(projects):
    """Stopped after Sphinx saved what it read from new data, before it wrote the pages."""
    root = restore(projects)
    pickle = root / "_build" / "work" / "html" / ".doctrees" / "environment.pickle"
    saved = pickle.stat().st_mtime_ns
    process = start_build(root)
    wait_for(lambda: pickle.exists() and pickle.stat().st_mtime_ns != saved, process, "a saved environment")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=300)
    again = build(root)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert projects["value"] in (root / "_build" / "html" / "methods.html").read_text(encoding="utf-8")
    assert published(root) == projects["reference"]


def test_sphinx_rewrites_pages_older_than_the_data_they_show(tmp_path, chart_cache):
    """The same stop, made exact: the environment has the new data, methods.html is the old page."""
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    out = root / "_out"
    sphinx(root, "html", out)
    old_page = tmp_path / "methods.html"
    shutil.copy2(out / "methods.html", old_page)  # keeps its time: written before the data changed
    time.sleep(0.01)
    new_value = revise_a_figure(root)
    sphinx(root, "html", out)
    assert new_value in (out / "methods.html").read_text(encoding="utf-8")
    shutil.copy2(old_page, out / "methods.html")
    sphinx(root, "html", out)
    assert new_value in (out / "methods.html").read_text(encoding="utf-8")


def test_two_builds_at_once_wait_for_each_other(projects):
    root = restore(projects)
    first = start_build(root)
    wait_for(lambda: any("-b html" in c for _, c in processes_under(first.pid)), first, "the HTML build")
    second = start_build(root)
    outputs = [p.communicate(timeout=600)[0] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert "another build of this checkout is running; waiting for it to finish" in outputs[1]
    assert published(root) == projects["reference"]


def test_a_hung_chart_fails_naming_its_module(tmp_path, chart_cache):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    module = root / "scripts" / "nkreport" / "charts" / "defection_cost.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("def draw(rows) -> Figure:\n", "def draw(rows) -> Figure:\n    while True: pass\n"))
    line = next(n for n, t in enumerate(module.read_text().splitlines(), 1) if "while True: pass" in t)
    env = environment(PYTHONHASHSEED="0", NKREPORT_CHART_TIME_LIMIT="3")
    result = subprocess.run(["bash", "scripts/build"], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    expected = f"defection_cost.py:{line}: chart 'defection_cost' failed: TimeoutError: did not finish within 3 s"
    assert expected in result.stderr, result.stderr[-3000:]
    assert result.stderr.strip().splitlines()[-1] == "build: FAILED: HTML build; no report published"
    assert not (root / "_build" / "html").exists()


def build_over_a_mount(root: Path, mount: str, listing: Path) -> subprocess.CompletedProcess:
    """The build in a private mount namespace where ``mount`` (shell) has replaced _build.

    Lists what _build holds afterwards in ``listing``, since the mount ends with the namespace.
    """
    script = f'set -e; {mount}; status=0; bash scripts/build || status=$?; ls -A _build > "{listing}"; exit $status'
    return subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "bash", "-c", script],
        cwd=root, env=environment(PYTHONHASHSEED="0"), capture_output=True, text=True, timeout=600,
    )


def test_a_full_disk_fails_clearly_and_publishes_nothing(projects, tmp_path):
    root = restore(projects)
    used = sum(p.stat().st_size for p in (root / "_build").rglob("*") if p.is_file())
    # Room for what an incremental build rewrites, not for the copy it publishes.
    size = used + 2 * 1024 * 1024
    mount = (
        f'cp -a _build "{tmp_path}/saved" && mount -t tmpfs -o size={size} tmpfs _build'
        f' && cp -a "{tmp_path}/saved/." _build/'
    )
    result = build_over_a_mount(root, mount, tmp_path / "listing")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("build: FAILED: ") and last.endswith("; no report published"), result.stderr[-3000:]
    assert not {"html", "latex"} & set((tmp_path / "listing").read_text().split())


def test_a_read_only_build_directory_fails_clearly(projects, tmp_path):
    root = restore(projects)
    result = build_over_a_mount(root, "mount --bind _build _build && mount -o remount,bind,ro _build", tmp_path / "ls")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "build: FAILED: cannot write to _build (read-only or full?); could not remove the earlier report"
        " in _build/html _build/latex: it may not match the sources"
    ), result.stderr[-3000:]
