"""The test harness: copies of the project, the environments commands run in, and builds.

Every build runs in a copy outside the repository, so test runs (and pytest-xdist workers) never share
an output folder. A copy may keep the chart cache of the session's shared build (``charts_from``): the
cache is keyed by content, so a copy redraws only the charts its own edits affect.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from nkreport.project import Project

# The checkout these tests belong to: the project they read, and copy.
REPO = Project(Path(__file__).resolve().parents[1])

EPOCH = "1700000000"
# The address a host gives the shared build (NKREPORT_BASE_URL): a test's own.
BASE_URL = "https://reports.example.org/nk-emigration/"
# Sphinx as scripts/build and make run it: the project's flags (nkreport/check.py), its environment, its code.
SPHINX = ["bash", "scripts/run", "python", "-m", "nkreport.check"]
PROJECT_FILES = ("conf.py", "references.bib", "CITATION.cff", "data", "report", "scripts", "templates")
# What a maintainer's checkout has besides: enough to follow the README and CONTRIBUTING.
MAINTAINER_FILES = ("pyproject.toml", "README.md", "CONTRIBUTING.md", ".readthedocs.yaml")
CHECKOUT_FILES = ("pyproject.toml", "Makefile", ".pre-commit-config.yaml", "README.md", "CONTRIBUTING.md")
CHART_CACHE = Path("report/_generated")
# The fast tests a data, bibliography or chapter edit can break, as pytest arguments: the fast suite less
# the fuzzing of validation, the environment's plumbing (which runs a pytest of its own) and the build's
# fault handling (stand-in charts and Sphinx), none of which depends on what the data holds; a copy has no
# git history to read.
DATA_RULES = ("-m", "not build and not browser and not git", "--ignore=tests/test_fuzz.py",
              "--ignore=tests/test_environment.py", "--ignore=tests/test_faults.py")
# Build bookkeeping (names the directory built in, or the time of day): not part of the report.
BOOKKEEPING = (".doctrees", ".fdb_latexmk", ".fls", ".log")


def environment(*, epoch: str | None = EPOCH, path: Path | None = None, **variables: str) -> dict[str, str]:
    """This test run's environment for a command on a copy: its Python environment (NKREPORT_VENV), a fixed
    build date (``epoch``; None for the data's own), ``path`` first on PATH, and ``variables``."""
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["NKREPORT_VENV"] = sys.prefix
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    if path is not None:
        env["PATH"] = f"{path}:{env['PATH']}"
    return env | variables


def copy_project(target: Path, source: Path = REPO.root, *, charts_from: Path | None = None) -> Path:
    """A copy of the sources of ``source`` (no build output, no generated charts), whichever of the
    project's files it has (an earlier revision may lack some); with ``charts_from``, the chart cache of
    that built copy too."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("_generated", "__pycache__", "*.egg-info")
    for name in PROJECT_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=ignore)
        elif (source / name).is_file():
            shutil.copy2(source / name, target / name)
    if charts_from is not None:
        shutil.copytree(charts_from / CHART_CACHE, target / CHART_CACHE)
    return target


def maintainer_copy(target: Path, *, charts_from: Path | None = None) -> Path:
    """A copy a maintainer could run the Quick start's first command in."""
    root = copy_project(target, charts_from=charts_from)
    for name in MAINTAINER_FILES:
        shutil.copy2(REPO.root / name, root / name)
    return root


def second_checkout(tmp_path: Path, *, charts_from: Path | None = None) -> Path:
    """A second checkout of the project, with its tests and no environment of its own, in ``tmp_path``."""
    root = copy_project(tmp_path / "second", charts_from=charts_from)
    for name in CHECKOUT_FILES:
        shutil.copy2(REPO.root / name, root / name)
    shutil.copytree(REPO.root / "tests", root / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``make`` fills, made once for the whole test run, even across pytest-xdist workers.

    The first worker to ask makes it while holding a lock; the others wait for it and reuse it. A
    failure is recorded, and fails every test that asks for the folder in every worker.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, shared by its workers
    folder, done, failed = base / name, base / f"{name}.done", base / f"{name}.failed"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
        if not done.exists():
            try:
                make(folder)
            except BaseException as err:
                failed.write_text(f"{name} could not be made: {err}", encoding="utf-8")
                raise
            done.touch()
    return folder


class GitSpy:
    """A ``git`` first on PATH (``bin``) that records being called and fails: a build must not need git."""

    def __init__(self, folder: Path):
        self.bin, self.record = folder / "fake-git", folder / "git-was-called"
        if not self.bin.exists():
            self.bin.mkdir(parents=True)
            (self.bin / "git").write_text(f"#!/bin/sh\ntouch '{self.record}'\nexit 1\n")
            (self.bin / "git").chmod(0o755)

    @classmethod
    def of_shared_build(cls, root: Path) -> GitSpy:
        """The spy the shared build at ``root`` ran with."""
        return cls(root.with_name(f"{root.name}-git"))

    @property
    def called(self) -> bool:
        return self.record.exists()


def commit_all(root: Path) -> list[str]:
    """``root`` made a git repository with one commit (dated 2031) of everything in it; the git command."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(root)]
    env = {**os.environ, "GIT_AUTHOR_DATE": "2031-06-01T00:00:00Z", "GIT_COMMITTER_DATE": "2031-06-01T00:00:00Z"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "test"]):
        subprocess.run([*git, *command], check=True, env=env, capture_output=True)
    return git


def draw_charts(root: Path) -> None:
    """A copy of the project with every chart drawn as the HTML and then the LaTeX build draw them (SVG,
    then PDF, each from a fresh figure): a chart cache to seed copies with."""
    copy_project(root)
    draw = ("from pathlib import Path; from nkreport import chartbuild; from nkreport.project import Project\n"
            "for fmt in ('svg', 'pdf'): chartbuild.build(Project(Path(%r)), Path(%r), (fmt,))")
    result = subprocess.run([sys.executable, "-c", draw % (str(root), str(root / CHART_CACHE / "charts"))], cwd=root,
                            env=environment(PYTHONPATH=str(root / "scripts")), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]


def build_shared(root: Path, charts_from: Path) -> None:
    """The session's shared build: a maintainer's checkout (a git commit of a copy) built with the README's
    command as a maintainer runs it: no SOURCE_DATE_EPOCH, a git that fails and records being called, and
    the address a host publishing it gives (BASE_URL)."""
    maintainer_copy(root)
    commit_all(root)
    shutil.copytree(charts_from / CHART_CACHE, root / CHART_CACHE)
    spy = GitSpy.of_shared_build(root)
    result = run_build(root, epoch=None, path=spy.bin, NKREPORT_BASE_URL=BASE_URL)
    assert result.returncode == 0, result.stdout[-4000:]


def run_build(root: Path, **env) -> subprocess.CompletedProcess:
    """``bash scripts/build`` in ``root``, in :func:`environment` (``env`` its options); output in .stdout."""
    result = subprocess.run(["bash", "scripts/build"], cwd=root, capture_output=True, text=True,
                            env=environment(**env))
    result.stdout += result.stderr
    return result


def sphinx(root: Path, builder: str, outdir: Path, *options: str, epoch: str = EPOCH, check: bool = True,
           env: dict[str, str] | None = None, timeout: float | None = None):
    """Run sphinx-build in ``root`` with ``options`` of nkreport.check (``env``: variables to add); return the
    completed process (stdout+stderr in .stdout)."""
    result = subprocess.run(
        [*SPHINX, builder, str(outdir), *options],
        cwd=root, env=environment(epoch=epoch, PYTHONHASHSEED="0", **(env or {})), capture_output=True, text=True,
        timeout=timeout,
    )
    result.stdout += result.stderr
    if check:
        assert result.returncode == 0, result.stdout[-5000:]
    return result


def regenerated(output: str) -> list[str]:
    """Chart names the build reports as redrawn."""
    match = re.search(r"charts: (\d+) regenerated \(([^)]*)\)", output)
    assert match, output[-3000:]
    return [] if match[1] == "0" else match[2].split(", ")


def read_docs(output: str) -> int:
    """How many documents Sphinx read (0 for a no-op build)."""
    match = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", output)
    assert match, output[-3000:]
    return int(match[1]) + int(match[2])


def latex_pdf(root: Path, outdir: Path) -> Path:
    """Build the PDF as the build script does; return its path."""
    sphinx(root, "latex", outdir)
    make = subprocess.run(
        ["make", "-C", str(outdir), "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error", "all-pdf"],
        capture_output=True, text=True,
    )
    assert make.returncode == 0, make.stdout[-3000:]
    return outdir / "nk-emigration.pdf"


def published(root: Path) -> dict[str, bytes]:
    """Every file ``bash scripts/build`` published in ``root`` but the build's bookkeeping, by path."""
    files = {}
    for top in ("html", "latex"):
        for path in sorted((root / "_build" / top).rglob("*")):
            if path.is_file() and not any(part.endswith(BOOKKEEPING) for part in path.parts):
                files[str(path.relative_to(root / "_build"))] = path.read_bytes()
    return files


def revise_figure(figures: Path, figure_id: str, value: str, stated: tuple[str, str] | None = None) -> None:
    """Give a figure of a copied figures.csv a new value, and its quote the new number, as a source would
    state it: validation requires a value its quote states. ``stated`` is (old, new) where the quote does
    not write the number as the report does ("2.1 million")."""
    from nkreport import formatting

    rows = list(csv.reader(io.StringIO(figures.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    value_at, quote_at = header.index("value"), header.index("quote")
    [row] = [r for r in rows[1:] if r[header.index("id")] == figure_id]
    old, new = stated or (formatting.number(Decimal(row[value_at])), formatting.number(Decimal(value)))
    assert old in row[quote_at], f"{old!r} not in the quote of {figure_id}: {row[quote_at]!r}"
    row[value_at], row[quote_at] = value, row[quote_at].replace(old, new)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    figures.write_text(buffer.getvalue(), encoding="utf-8")
