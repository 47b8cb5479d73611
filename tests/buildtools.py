"""Running Sphinx the way the build script does, on the repository or a copy of it."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from nkreport.paths import ROOT

SPHINX = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-c", "."]
PROJECT_FILES = ("conf.py", "references.bib", "CITATION.cff", "data", "report", "scripts", "templates")
# Build bookkeeping (names the directory built in, or the time of day): not part of the report.
BOOKKEEPING = (".doctrees", ".fdb_latexmk", ".fls", ".log")


def copy_project(target: Path, source: Path = ROOT) -> Path:
    """A copy of the sources of ``source`` (no build output, no generated charts)."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("_generated", "__pycache__", "*.egg-info")
    for name in PROJECT_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=ignore)
        else:
            shutil.copy2(source / name, target / name)
    return target


def run_build(root: Path) -> subprocess.CompletedProcess:
    """``bash scripts/build`` in ``root``, with this test run's environment (NKREPORT_VENV); output in .stdout."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NKREPORT_VENV": sys.prefix}
    result = subprocess.run(["bash", "scripts/build"], cwd=root, capture_output=True, text=True, env=env)
    result.stdout += result.stderr
    return result


def sphinx(root: Path, builder: str, outdir: Path, *, epoch: str = "1700000000", check: bool = True,
           env: dict[str, str] | None = None):
    """Run sphinx-build in ``root`` (``env``: variables to add); return the completed process (stdout+stderr
    in .stdout)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "0", **(env or {})}
    result = subprocess.run(
        [*SPHINX, "-b", builder, "report", str(outdir)],
        cwd=root, env=env, capture_output=True, text=True,
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
