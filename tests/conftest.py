"""Shared fixtures: temporary copies of the data, never the real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nkreport.paths import BIBLIOGRAPHY, DATA_DIR, ROOT


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/, references.bib and CITATION.cff; returns the data dir."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    shutil.copy(BIBLIOGRAPHY, tmp_path / "references.bib")
    shutil.copy(ROOT / "CITATION.cff", tmp_path / "CITATION.cff")
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a copied file, failing loudly if the text to replace is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def release(root: Path) -> str:
    """CONTRIBUTING's version step on a copy: the next patch version, its changelog entry, the tables stamped."""
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    major, minor, patch = package["version"].split(".")
    version = f"{major}.{minor}.{int(patch) + 1}"
    new_version(root / "data", version, package["updated"])
    subprocess.run([sys.executable, "-m", "nkreport", "stamp"], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "NKREPORT_ROOT": str(root)})
    return version


def new_version(data_dir: Path, version: str, updated: str) -> None:
    """Step 5 of CONTRIBUTING's data update: version and date in the package and CITATION.cff, a changelog entry."""
    descriptor = data_dir / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    replace_in(descriptor, f'"version": "{package["version"]}"', f'"version": "{version}"')
    replace_in(descriptor, f'"updated": "{package["updated"]}"', f'"updated": "{updated}"')
    citation = data_dir.parent / "CITATION.cff"
    replace_in(citation, f'version: "{package["version"]}"', f'version: "{version}"')
    replace_in(citation, f'date-released: "{package["updated"]}"', f'date-released: "{updated}"')
    replace_in(data_dir / "CHANGELOG.md", "\n## ", f"\n## {version} — {updated}\n\n- A revised figure.\n\n## ")


# The address a host gives the build of the shared site (the PDF is built without one): a test's own.
BASE_URL = "https://reports.example.org/nk-emigration/"


@pytest.fixture(scope="session")
def html(tmp_path_factory) -> Path:
    """The HTML site built once from the repository, warnings as errors, as a host publishing it at
    BASE_URL builds it."""
    from buildtools import sphinx

    outdir = tmp_path_factory.mktemp("html")
    sphinx(ROOT, "html", outdir, env={"NKREPORT_BASE_URL": BASE_URL})
    return outdir


@pytest.fixture(scope="session")
def pdf(tmp_path_factory) -> Path:
    """The PDF built once from the repository through LaTeX and latexmk."""
    from buildtools import latex_pdf

    return latex_pdf(ROOT, tmp_path_factory.mktemp("latex"))
