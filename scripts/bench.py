"""Benchmark the HTML build against a bare Sphinx + MyST floor; prints ratios.

Every case runs in a fresh temporary copy of the project, alternating with the
floor three times, so the ratios compare like with like on this machine even
while it does other work; each time shown is the median of the three:

- floor: the same chapters, stripped of the report's roles and directives,
  built cold by Sphinx with MyST alone (no charts, bibliography, theme or doctests);
- cold: a clean build, charts included;
- no-op: the same build again, nothing changed;
- chapter edit: one sentence added to one chapter;
- data change: one value changed in data/figures.csv (once, after the rest).

``--against DIR`` adds the cold build of another checkout (an earlier revision:
``git worktree add DIR REV``) to each alternation, and prints how this tree's
cold build compares with it: a ratio to the floor moves with the machine's
load, a ratio between two trees measured side by side much less.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from buildtools import copy_project, regenerated, revise_figure  # noqa: E402

FLOOR_CONF = (
    'project = "floor"\nextensions = ["myst_parser"]\nmyst_enable_extensions = ["colon_fence", "substitution"]\n'
)
EDITED_CHAPTER = "market-survey.md"
REVISED_FIGURE = ("unemployment-defectors-2013-chosun2014", "9.8")  # a value and its quote, as a source restates them
ROUNDS = 3
# Issue 18: the writer's loop against the floor.
TARGETS = {"cold": 3.0, "edit": 1.3}
NOOP_SECONDS = 1.5


# The report's own directives and roles (and the references to what they make), which the floor lacks.
OWN_DIRECTIVES = ("chart", "doctest", "provenance-table", "revision-table", "bibliography", "cite-report",
                  "whats-new", "data-versions", "data-files")
OWN_ROLES = ("fig", "calc", "period", "numref", "download", r"cite(?::\w+)*")


def strip_to_floor(text: str) -> str:
    """The chapter's prose without the report's own markup."""
    text = re.sub(rf"```\{{({'|'.join(OWN_DIRECTIVES)})\}}.*?```", "", text, flags=re.S)
    text = re.sub(rf"\{{(?:{'|'.join(OWN_ROLES)})\}}`([^`]*)`", r"`\1`", text)
    return re.sub(r"\{\{ *\w+ *\}\}", "", text)


def timed(root: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", *args, "report", "_out"],
        cwd=root, capture_output=True, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"bench: build failed in {root}:\n{result.stderr[-3000:]}")
    return elapsed, result.stdout + result.stderr


def clean(root: Path) -> None:
    """No build output and no drawn charts: the next build is cold."""
    for built in (root / "_out", root / "report" / "_generated"):
        shutil.rmtree(built, ignore_errors=True)


def add_sentence(chapter: Path, number: int) -> None:
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("\n## ", f"\nAdded sentence {number}.\n\n## ", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, metavar="DIR", help="another checkout, built cold alongside")
    against = parser.parse_args().against
    times: dict[str, list[float]] = {"floor": [], "cold": [], "noop": [], "edit": [], "against": []}
    charts: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        other = copy_project(Path(tmp) / "against", against) if against else None
        floor = copy_project(Path(tmp) / "floor")
        (floor / "conf.py").write_text(FLOOR_CONF)
        for page in (floor / "report").glob("*.md"):
            page.write_text(strip_to_floor(page.read_text(encoding="utf-8")), encoding="utf-8")
        root = copy_project(Path(tmp) / "report")
        for number in range(1, ROUNDS + 1):
            clean(floor)
            seconds, out = timed(floor, "-q", "-c", ".")
            if "WARNING" in out:  # markup of the report's own left in: the floor would time its error handling
                sys.exit(f"bench: the floor build warns (markup strip_to_floor misses):\n{out[-3000:]}")
            times["floor"].append(seconds)
            if other:
                clean(other)
                times["against"].append(timed(other, "-q", "-c", ".")[0])
            clean(root)
            for case, change in (("cold", None), ("noop", None), ("edit", add_sentence)):
                if change:
                    change(root / "report" / EDITED_CHAPTER, number)
                seconds, out = timed(root, "-c", ".")
                times[case].append(seconds)
                charts[case] = regenerated(out)
        revise_figure(root / "data" / "figures.csv", *REVISED_FIGURE)
        data_seconds, out = timed(root, "-c", ".")
        charts["data"] = regenerated(out)

    median = {case: statistics.median(values) for case, values in times.items() if values}
    floor_seconds = median["floor"]
    rows = [
        ("cold build, charts included", median["cold"], charts["cold"], f"<= {TARGETS['cold']:g}"),
        ("no-op rebuild", median["noop"], charts["noop"], f"<= {NOOP_SECONDS:g} s"),
        (f"rebuild after editing {EDITED_CHAPTER}", median["edit"], charts["edit"], f"<= {TARGETS['edit']:g}"),
        ("rebuild after changing data/figures.csv (once)", data_seconds, charts["data"], ""),
    ]
    print(f"{'case':<48} {'seconds':>8} {'x floor':>8} {'target':>8}  charts regenerated")
    print(f"{'floor: bare Sphinx + MyST, cold':<48} {floor_seconds:8.2f} {1:8.2f} {'':>8}  -")
    for name, seconds, redrawn, goal in rows:
        print(f"{name:<48} {seconds:8.2f} {seconds / floor_seconds:8.2f} {goal:>8}  "
              f"{len(redrawn)} {'(' + ', '.join(redrawn) + ')' if redrawn else ''}")
    print(
        f"ratios (median of {ROUNDS}): cold {median['cold'] / floor_seconds:.2f}x floor (target {TARGETS['cold']:g}x), "
        f"chapter edit {median['edit'] / floor_seconds:.2f}x (target {TARGETS['edit']:g}x), "
        f"no-op {median['noop']:.2f} s = {median['noop'] / floor_seconds:.2f}x (target {NOOP_SECONDS:g} s)"
    )
    if against:
        print(f"cold build of {against}: {median['against']:.2f} s = {median['against'] / floor_seconds:.2f}x floor; "
              f"this tree's is {median['cold'] / median['against']:.2f} times that")


if __name__ == "__main__":
    main()
