"""``nkreport check``: the site, then a chapter's doctests, in seconds.

Both builds run as ``scripts/build`` runs them (warnings as errors, nitpicky)
and in the same folders (``_build/work/``), so they reuse what the last full
build has already read and drawn; the doctests, as in ``scripts/build``, start
from what the site's build has just read.

``python -m nkreport.check BUILDER OUTDIR [OPTION...] [CHAPTER...]`` runs
the environment's sphinx-build that way: ``scripts/build``, ``make`` and the
tests build with it.  With ``--environment-from=DIR`` it first makes OUTDIR's
saved environment a copy of DIR's: ``scripts/build``'s doctest and LaTeX steps
start from what its HTML step has just read, and read no page again.  A copy,
so that a page one of them reads itself never changes what built the site.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path

from . import buildstate
from .project import Project

# How every build runs Sphinx: warnings as errors, reporting them all before it stops, nitpicky.
SPHINX_FLAGS = ("-W", "--keep-going", "-n")


def chapter_path(project: Project, name: str) -> Path:
    """``demographics``, ``demographics.md`` or ``report/demographics.md`` as the chapter's file."""
    report_dir = project.report_dir
    path = Path(name) if name.endswith(".md") else report_dir / f"{name}.md"
    for candidate in (path, report_dir / path.name):
        if candidate.is_file() and candidate.resolve().parent == report_dir.resolve():
            return candidate.resolve()
    known = ", ".join(sorted(p.stem for p in report_dir.glob("*.md")))
    raise ValueError(f"no chapter {name!r} in {os.path.relpath(report_dir)}/: expected one of {known}")


def sphinx_args(project: Project, builder: str, outdir: Path | str, *extra: str) -> list[str]:
    """sphinx-build's arguments: the report's chapters built by ``builder`` into ``outdir`` with the
    project's flags; ``extra`` options (``-q``) and chapter files in any order."""
    options = [arg for arg in extra if arg.startswith("-")]
    files = [arg for arg in extra if not arg.startswith("-")]
    where = [os.path.relpath(path) for path in (project.root, project.report_dir)]
    return [*SPHINX_FLAGS, "-c", where[0], "-b", builder, *options, where[1], str(outdir), *files]


def sphinx(project: Project, builder: str, *filenames: Path) -> int:
    from sphinx.cmd.build import build_main  # deferred: only building needs Sphinx

    return build_main(sphinx_args(project, builder, project.work / builder, "-q", *map(str, filenames)))


def run(project: Project, chapters: list[Path]) -> int:
    """The HTML, then the doctests of ``chapters`` (all if none); 0 if both pass. The data is validated first."""
    named = ", ".join(os.path.relpath(c) for c in chapters) or "every chapter"
    # As scripts/build does: what was built from other code or configuration is built again.
    reason = buildstate.refresh(project.work, buildstate.build_inputs(project))
    if reason:
        print(f"check: {reason}: full rebuild")
    html_failed = sphinx(project, "html")
    work = Path(os.path.relpath(project.work))
    if problem := start_from_environment(work / "html", work / "doctest"):
        print(f"check: FAILED: {problem}")
        return 1
    failed = []
    if sphinx(project, "doctest", *chapters):
        failed.append(f"doctests of {named} (see above)")
    if html_failed:
        failed.append("HTML build (see above)")
    site = os.path.relpath(project.work / "html" / f"{chapters[0].stem if chapters else 'index'}.html")
    print(f"check: FAILED: {'; '.join(failed)}" if failed else f"check: {named}: doctests pass; HTML at {site}")
    return 1 if failed else 0


ENVIRONMENT_FROM = "--environment-from="
SAVED_ENVIRONMENT = ".doctrees"  # sphinx-build's, in its output folder


def start_from_environment(built: Path, outdir: Path) -> str | None:
    """``outdir``'s saved environment replaced by a copy of ``built``'s (none, if ``built`` has none);
    why it could not be, if it could not."""
    target = outdir / SAVED_ENVIRONMENT
    try:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(target)
        if (built / SAVED_ENVIRONMENT).is_dir():
            shutil.copytree(built / SAVED_ENVIRONMENT, target, symlinks=True)
    except OSError as err:
        return f"cannot copy the saved environment of {built} to {outdir}: {err}"
    return None


def main(argv: list[str] | None = None) -> None:
    """sphinx-build of the environment (on PATH), with the project's flags, for the project here."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        sys.exit(f"usage: python -m nkreport.check BUILDER OUTDIR [{ENVIRONMENT_FROM}DIR] [OPTION...] [CHAPTER...]")
    seeds = [arg.removeprefix(ENVIRONMENT_FROM) for arg in args if arg.startswith(ENVIRONMENT_FROM)]
    args = [arg for arg in args if not arg.startswith(ENVIRONMENT_FROM)]
    if seeds and (problem := start_from_environment(Path(seeds[-1]), Path(args[1]))):
        sys.exit(f"check: {problem}")
    os.execvp("sphinx-build", ["sphinx-build", *sphinx_args(Project.find(), *args)])


if __name__ == "__main__":
    main()
