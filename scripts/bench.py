"""Benchmark the HTML build against a bare Sphinx + MyST floor; prints ratios.

Every case runs in a fresh temporary copy of the project, in one run, so the
ratios compare like with like on this machine:

- floor: the same chapters, stripped of the report's roles and directives,
  built by Sphinx with MyST alone (no charts, bibliography, theme or doctests);
- cold: a clean build, charts included;
- no-op: the same build again, nothing changed;
- chapter edit: one sentence added to one chapter;
- data change: one value changed in data/figures.csv.
"""

from __future__ import annotations

import os
import re
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


def strip_to_floor(text: str) -> str:
    """The chapter's prose without the report's own markup."""
    text = re.sub(r"```\{(chart|doctest|provenance-table|bibliography)\}.*?```", "", text, flags=re.S)
    text = re.sub(r"\{(fig|calc|numref|download|cite(:\w+)*)\}`([^`]*)`", r"`\3`", text)
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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        floor = copy_project(Path(tmp) / "floor")
        (floor / "conf.py").write_text(FLOOR_CONF)
        for page in (floor / "report").glob("*.md"):
            page.write_text(strip_to_floor(page.read_text(encoding="utf-8")), encoding="utf-8")
        floor_cold, _ = timed(floor, "-q", "-c", ".")

        root = copy_project(Path(tmp) / "report")
        rows = []
        cold, out = timed(root, "-c", ".")
        rows.append(("cold build, charts included", cold, regenerated(out), 4.0))
        noop, out = timed(root, "-c", ".")
        rows.append(("no-op rebuild", noop, regenerated(out), None))
        chapter = root / "report" / EDITED_CHAPTER
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("\n## ", "\nAn added sentence.\n\n## ", 1))
        edit, out = timed(root, "-c", ".")
        rows.append((f"rebuild after editing {EDITED_CHAPTER}", edit, regenerated(out), 2.0))
        revise_figure(root / "data" / "figures.csv", *REVISED_FIGURE)
        data, out = timed(root, "-c", ".")
        rows.append(("rebuild after changing data/figures.csv", data, regenerated(out), None))

    print(f"{'case':<45} {'seconds':>8} {'x floor':>8} {'target':>7}  charts regenerated")
    print(f"{'floor: bare Sphinx + MyST, cold':<45} {floor_cold:8.2f} {1:8.2f} {'':>7}  -")
    for name, seconds, charts, target in rows:
        goal = f"<= {target:g}" if target else ""
        print(f"{name:<45} {seconds:8.2f} {seconds / floor_cold:8.2f} {goal:>7}  "
              f"{len(charts)} {'(' + ', '.join(charts) + ')' if charts else ''}")


if __name__ == "__main__":
    main()
