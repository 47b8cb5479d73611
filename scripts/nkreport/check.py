"""The writer's fast loop: the data, a chapter's doctests and an incremental HTML build.

Both builds run as ``scripts/build`` runs them (warnings as errors, nitpicky)
and in the same folders (``_build/work/``), so each reuses what the other
and the last full build have already read and drawn.
"""

from __future__ import annotations

import os
from pathlib import Path

from .project import Project


def chapter_path(project: Project, name: str) -> Path:
    """``demographics``, ``demographics.md`` or ``report/demographics.md`` as the chapter's file."""
    report_dir = project.report_dir
    path = Path(name) if name.endswith(".md") else report_dir / f"{name}.md"
    for candidate in (path, report_dir / path.name):
        if candidate.is_file() and candidate.resolve().parent == report_dir.resolve():
            return candidate.resolve()
    known = ", ".join(sorted(p.stem for p in report_dir.glob("*.md")))
    raise ValueError(f"no chapter {name!r} in {os.path.relpath(report_dir)}/: expected one of {known}")


def sphinx(project: Project, builder: str, *filenames: Path) -> int:
    from sphinx.cmd.build import build_main  # deferred: only this command needs Sphinx

    options = ["-W", "--keep-going", "-n", "-q", "-c", str(project.root), "-b", builder]
    return build_main([*options, str(project.report_dir), str(project.work / builder), *map(str, filenames)])


def run(project: Project, chapters: list[Path]) -> int:
    """Doctests of ``chapters`` (all if none), then the HTML; 0 if both pass. The data is validated first."""
    named = ", ".join(os.path.relpath(c) for c in chapters) or "every chapter"
    failed = []
    if sphinx(project, "doctest", *chapters):
        failed.append(f"doctests of {named} (see above)")
    if sphinx(project, "html"):
        failed.append("HTML build (see above)")
    site = os.path.relpath(project.work / "html" / f"{chapters[0].stem if chapters else 'index'}.html")
    print(f"check: FAILED: {'; '.join(failed)}" if failed else f"check: {named}: doctests pass; HTML at {site}")
    return 1 if failed else 0
