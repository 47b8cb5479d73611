"""Whatever signal stops a build, at whatever stage, it publishes nothing and the next build equals a clean one.

One temporary copy is built, its data revised, and ``bash scripts/build`` is
stopped at each stage in turn (found by watching its processes), each time with
a signal. Every stopped build must fail and leave no report published. Each
build after the first starts where the one before it was stopped, so it must
also recover from that stop to reach its own stage. The build after the last
stop must pass, and publish byte for byte what a clean build of the same
sources publishes. (A completed build after each stop, from a fresh copy each
time, was most of this module's time; what a build recovers from, _build/work
and the chart cache, is the same whichever stage was stopped.)
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from buildtools import published
from stopping import STAGES, build, processes_under, restore, start_build, wait_for

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
