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
# The archive the dataset was read from: the "Emigration" category archive of the North Korean Economy
# Watch blog as one text file, third-party text kept outside the repository. NKREPORT_ARCHIVE names
# where it is; the tests that read it check it is this very text.
ARCHIVE = Path(os.environ.get("NKREPORT_ARCHIVE") or ROOT.parent / "shared" / "sources" / "emigration-archive.txt")
ARCHIVE_URL = "http://www.nkeconwatch.com/category/emigration/"
ARCHIVE_SHA256 = "8201a317f5baf60a1ef72f3ca9cc88e855977c9cfcb09504ac89837221b2c39a"
