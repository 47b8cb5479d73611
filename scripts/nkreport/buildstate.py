"""What build output depends on beyond what Sphinx and the chart cache track themselves.

Sphinx re-reads a chapter when it changes or when a file it noted as a
dependency changes (the data, the bibliography, a chart's files); the chart
cache redraws a chart when its rows or its module change.  Neither sees the
rest of the ``nkreport`` code, ``conf.py``, the files beside the chapters, the
versions of the packages that draw and render, or TeX.  So each directory of
build output records the inputs it was built from, and is emptied when they
differ: what is built into it afterwards is what a clean build would give.

``python -m nkreport.buildstate DIR`` does this for a Sphinx output directory
(the build runs it on ``_build/work``) and says why in one line;
:mod:`nkreport.chartbuild` does it for the chart cache with :func:`chart_inputs`.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import platform
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .chartfiles import write_if_changed
from .charts import CHART_DIR
from .project import Project

RECORD = ".inputs.json"
# The code that runs: this package, wherever it is imported from.
PACKAGE_DIR = Path(__file__).resolve().parent

# The packages that read, draw and render the report; the packages they require count too.
RENDERERS = (
    "sphinx", "myst-parser", "sphinxcontrib-bibtex", "sphinx-book-theme", "sphinxext-opengraph", "pybtex",
    "frictionless",
)
DRAWERS = ("matplotlib",)

# Inputs recorded as digests: a change is named, not shown.
CODE, CONF, REPORT_FILES = "nkreport code", "conf.py", "files in report/ other than chapter text"


def code_digest(excluded: Iterable[Path] = ()) -> str:
    """The ``nkreport`` package's Python code and styles, less ``excluded``."""
    skip = set(excluded)
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".mplstyle") and path not in skip:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def chart_only_files() -> list[Path]:
    """The chart modules and what only they use, which the chart cache fingerprints chart by chart.

    Only the chart cache runs them; pages see their effect through the chart
    files, which Sphinx tracks.
    """
    return [path for path in CHART_DIR.iterdir() if path.name != "__init__.py"]


def report_files_digest(report_dir: Path) -> str:
    """Which files report/ holds, and the bytes of all but the chapters (which Sphinx tracks).

    Sphinx neither deletes the pages of a removed chapter nor copies static
    files when no page changed.  Hidden files (an editor's) it ignores.
    """
    digest = hashlib.sha256()
    for path in sorted(report_dir.rglob("*")):
        relative = path.relative_to(report_dir)
        if relative.parts[0] == "_generated" or any(p.startswith(".") for p in relative.parts) or not path.is_file():
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        if path.suffix != ".md":
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def versions(roots: Iterable[str]) -> dict[str, str]:
    """The installed version of each of ``roots`` and of everything they require."""
    found: dict[str, str] = {}
    todo = [canonicalize_name(name) for name in roots]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
            continue
        found[name] = dist.version
        for requirement in map(Requirement, dist.requires or ()):
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return dict(sorted(found.items()))


def tex_version() -> str:
    """The first line of ``pdflatex --version``: engine and TeX distribution."""
    try:
        result = subprocess.run(["pdflatex", "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "not installed"
    return result.stdout.partition("\n")[0]


def python_version() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


def build_inputs(project: Project) -> dict[str, str]:
    """What Sphinx output of ``project`` depends on that Sphinx does not track."""
    return {
        "Python": python_version(),
        CODE: code_digest(chart_only_files()),
        CONF: hashlib.sha256((project.root / "conf.py").read_bytes()).hexdigest(),
        REPORT_FILES: report_files_digest(project.report_dir),
        **versions((*RENDERERS, *DRAWERS)),
        "TeX": tex_version(),
    }


def chart_inputs() -> dict[str, str]:
    """What every chart depends on besides its rows and the code in charts/."""
    # The Sphinx extension embeds charts; no chart runs it.
    excluded = [*chart_only_files(), *(PACKAGE_DIR / "sphinxext").rglob("*")]
    return {"Python": python_version(), CODE: code_digest(excluded), **versions(DRAWERS)}


def changes(recorded: dict[str, str] | None, current: dict[str, str]) -> str:
    """What differs, in a few words: "nkreport code, matplotlib 3.9.2 → 3.10.0"."""
    if recorded is None:
        return "no record of the inputs it was built from"
    named = []
    for key in [*current, *(key for key in recorded if key not in current)]:
        old, new = recorded.get(key, "none"), current.get(key, "none")
        if old != new:
            named.append(key if key in (CODE, CONF, REPORT_FILES) else f"{key} {old} → {new}")
    return ", ".join(named) + " changed"


def refresh(directory: Path, inputs: dict[str, str]) -> str | None:
    """Empty ``directory`` unless it was built from ``inputs``; record them; say why it was emptied."""
    record = directory / RECORD
    try:
        recorded = json.loads(record.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        recorded = None
    if recorded == inputs:
        return None
    reason = None
    if directory.exists():
        reason = changes(recorded, inputs)
        shutil.rmtree(directory)
    write_if_changed(record, json.dumps(inputs, indent=1, sort_keys=True).encode() + b"\n")
    return reason


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m nkreport.buildstate", description="Empty a Sphinx output directory built from other inputs."
    )
    parser.add_argument("directory", type=Path, help="the directory Sphinx builds into, e.g. _build/work")
    reason = refresh(parser.parse_args(argv).directory, build_inputs(Project.find()))
    if reason:
        print(f"build: {reason}: full rebuild")


if __name__ == "__main__":
    main()
