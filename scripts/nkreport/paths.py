"""Where the project's inputs live: in the checkout a command is run in.

One Python environment may serve several checkouts (``NKREPORT_VENV``), and
the package it imports may come from any of them, so the project root is not
where this file is. It is, in order: ``NKREPORT_ROOT`` if set (``conf.py``
sets it to its own folder); else the nearest folder at or above the working
directory that holds ``data/datapackage.json`` and ``scripts/nkreport``;
else the checkout this package belongs to.
"""

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def is_project_root(folder: Path) -> bool:
    return (folder / "data" / "datapackage.json").is_file() and (folder / "scripts" / "nkreport").is_dir()


def find_root() -> Path:
    if os.environ.get("NKREPORT_ROOT"):
        return Path(os.environ["NKREPORT_ROOT"]).resolve()
    here = Path.cwd().resolve()
    return next((folder for folder in (here, *here.parents) if is_project_root(folder)), PACKAGE_ROOT)


ROOT = find_root()
# The code that runs: this package, wherever it is imported from.
PACKAGE_DIR = Path(__file__).resolve().parent
CHART_DIR = PACKAGE_DIR / "charts"
DATA_DIR = ROOT / "data"
BIBLIOGRAPHY = ROOT / "references.bib"
REPORT_DIR = ROOT / "report"
ARCHIVE = ROOT.parent / "shared" / "sources" / "emigration-archive.txt"
