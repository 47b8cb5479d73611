"""The writer's fast loop: the data, a chapter's doctests and an incremental HTML build.

Both builds run as ``scripts/build`` runs them (warnings as errors, nitpicky)
and in the same folders (``_build/work/``), so each reuses what the other
and the last full build have already read and drawn.
"""

from __future__ import annotations

import os
from pathlib import Path

from .paths import REPORT_DIR, ROOT

WORK = ROOT / "_build" / "work"


def chapter_path(name: str) -> Path:
    """``demographics``, ``demographics.md`` or ``report/demographics.md`` as the chapter's file."""
    path = Path(name) if name.endswith(".md") else REPORT_DIR / f"{name}.md"
    for candidate in (path, REPORT_DIR / path.name):
        if candidate.is_file() and candidate.resolve().parent == REPORT_DIR.resolve():
            return candidate.resolve()
    known = ", ".join(sorted(p.stem for p in REPORT_DIR.glob("*.md")))
    raise ValueError(f"no chapter {name!r} in {os.path.relpath(REPORT_DIR)}/: expected one of {known}")


def sphinx(builder: str, *filenames: Path) -> int:
    from sphinx.cmd.build import build_main  # deferred: only this command needs Sphinx

    options = ["-W", "--keep-going", "-n", "-q", "-c", str(ROOT), "-b", builder]
    return build_main([*options, str(REPORT_DIR), str(WORK / builder), *map(str, filenames)])


def run(chapters: list[Path]) -> int:
    """Doctests of ``chapters`` (all if none), then the HTML; 0 if both pass. The data is validated first."""
    named = ", ".join(os.path.relpath(c) for c in chapters) or "every chapter"
    failed = []
    if sphinx("doctest", *chapters):
        failed.append(f"doctests of {named} (see above)")
    if sphinx("html"):
        failed.append("HTML build (see above)")
    site = os.path.relpath(WORK / "html" / f"{chapters[0].stem if chapters else 'index'}.html")
    print(f"check: FAILED: {'; '.join(failed)}" if failed else f"check: {named}: doctests pass; HTML at {site}")
    return 1 if failed else 0
