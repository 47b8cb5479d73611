"""Whatever stops a build, it publishes nothing half-made, and the next build equals a clean one.

A signal at each stage, in turn: one temporary copy is built, its data revised, and ``bash
scripts/build`` is stopped at each stage (found by watching its processes), each time with a signal.
Every stopped build must fail and leave no report published. Each build after the first starts where
the one before it was stopped, so it must also recover from that stop to reach its own stage. The
build after the last stop must pass, and publish byte for byte what a clean build of the same sources
publishes. (A completed build after each stop, from a fresh copy each time, was most of the time these
tests took; what a build recovers from, _build/work and the chart cache, is the same whichever stage
was stopped.)

Then the other ways a build ends early or waits: pages older than the data Sphinx saved, two builds
at once, a hung chart, a full or read-only disk. Each fails clearly or waits, and publishes nothing
half-made. The copy and the clean build to compare with are made once for the module
(tests/stopping.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from buildtools import copy_project, environment, published, sphinx
from stopping import (
    STAGES,
    build,
    build_over_a_mount,
    processes_under,
    restore,
    revise_a_figure,
    start_build,
    wait_for,
)

pytestmark = pytest.mark.build

# (stage, signal, whether every process of the build gets it, not only scripts/build), in the order built.
STOPS = [
    ("validation", signal.SIGINT, False),
    # The build before has left _build/work as the last full build made it: this one reads the revised
    # data, saves what it read, and is stopped before its pages are written.
    ("saved environment", signal.SIGKILL, False),
    ("HTML", signal.SIGTERM, False),
    ("doctests", signal.SIGINT, False),
    ("LaTeX", signal.SIGKILL, True),
    ("pdflatex", signal.SIGINT, False),
    ("publishing", signal.SIGTERM, False),
    ("publishing", signal.SIGKILL, False),
]


SAVED_ENVIRONMENT = Path("_build/work/html/.doctrees/environment.pickle")


def reached(stage: str, root: Path) -> Callable[[subprocess.Popen], bool]:
    """Whether a build of ``root`` started after this call is at ``stage``: one of its processes runs the
    stage's command (stopping.STAGES), or for "saved environment", Sphinx has saved its environment anew."""
    if stage == "saved environment":
        pickle = root / SAVED_ENVIRONMENT
        before = pickle.stat().st_mtime_ns if pickle.exists() else None
        return lambda process: pickle.exists() and pickle.stat().st_mtime_ns != before
    return lambda process: any(STAGES[stage] in command for _, command in processes_under(process.pid))


def stop_a_build(projects, stage: str, signum: signal.Signals, whole_tree: bool) -> None:
    """Start ``bash scripts/build`` on the copy, stop it at ``stage`` with ``signum``; it published nothing."""
    root = projects["root"]
    what = f"a build stopped at {stage} by {signum.name}"
    at_stage = reached(stage, root)
    process = start_build(root, projects["slow"] if stage == "publishing" else None)
    wait_for(lambda: at_stage(process), process, stage)
    victims = [pid for pid, _ in processes_under(process.pid)] if whole_tree else []
    for pid in [process.pid, *victims]:
        os.kill(pid, signum)
    output = process.communicate(timeout=300)[0]
    assert process.returncode != 0, what
    if signum != signal.SIGKILL:
        assert output.strip().splitlines()[-1].startswith(f"build: FAILED: interrupted by {signum.name}"), output
    # Even a build killed outright leaves no earlier report (it unpublished that first), nor its own.
    assert not (root / "_build" / "html").exists(), what
    assert not (root / "_build" / "latex").exists(), what


def test_builds_stopped_at_every_stage_publish_nothing_and_the_next_equals_a_clean_one(projects):
    root = restore(projects)
    for stop in STOPS:
        stop_a_build(projects, *stop)
    again = build(root)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    after = published(root)
    assert sorted(after) == sorted(projects["reference"])
    assert [name for name in after if after[name] != projects["reference"][name]] == []


def test_sphinx_rewrites_pages_older_than_the_data_they_show(tmp_path, chart_cache):
    """A stop just after Sphinx saved what it read, made exact: the environment has the new data,
    methods.html is the old page."""
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
