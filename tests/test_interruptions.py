"""Whatever signal stops a build, at whatever stage, it publishes nothing and the next build equals a clean one.

Each case runs ``bash scripts/build`` on a temporary copy, stops it at a stage
(found by watching its processes) with a signal, builds again and compares the
published report with a clean build of the same sources, byte for byte.
"""

from __future__ import annotations

import os
import signal

import pytest
from buildtools import published
from stopping import STAGES, build, processes_under, restore, start_build, wait_for

pytestmark = pytest.mark.build


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
