"""The project a command works on: a checkout's data, bibliography and chapters.

One object says where the inputs are, made once where a run starts and passed
to what needs it: ``conf.py`` makes it for Sphinx from its own folder, the
``nkreport`` command finds it from the working directory, and a test makes one
for the copy it builds.  One Python environment may serve several checkouts
(``NKREPORT_VENV``), so the project is never where this package was imported
from unless nothing else is found.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import data

# The checkout this package belongs to: the project when none encloses the working directory.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
# The archive the dataset was read from: the "Emigration" category archive of the North Korean Economy
# Watch blog as one text file, third-party text kept outside the repository. The tests that read it
# check it is this very text.
ARCHIVE_URL = "http://www.nkeconwatch.com/category/emigration/"
ARCHIVE_SHA256 = "8201a317f5baf60a1ef72f3ca9cc88e855977c9cfcb09504ac89837221b2c39a"


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest project at or above ``start`` (the working directory), else this package's checkout."""
        here = (start or Path.cwd()).resolve()
        return cls(next((folder for folder in (here, *here.parents) if is_project_root(folder)), PACKAGE_ROOT))

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def bibliography(self) -> Path:
        return self.root / "references.bib"

    @property
    def report_dir(self) -> Path:
        return self.root / "report"

    @property
    def ignore_list(self) -> Path:
        """Phrases of the archive whose numbers are not figures (see :mod:`nkreport.completeness`)."""
        return self.data_dir / "completeness-ignore.csv"

    @property
    def archive(self) -> Path:
        """The source archive the dataset is built from: NKREPORT_ARCHIVE, else read-only beside the checkout."""
        named = os.environ.get("NKREPORT_ARCHIVE")
        return Path(named) if named else self.root.parent / "shared" / "sources" / "emigration-archive.txt"

    @property
    def work(self) -> Path:
        """Where ``scripts/build`` and ``nkreport check`` build before publishing."""
        return self.root / "_build" / "work"

    @property
    def known_valid(self) -> Path:
        """The record of the data last found valid, which builds need not check again (:mod:`nkreport.schema`).

        It lives with the chart cache: the build's other record of what it derived from the data.
        """
        return self.report_dir / "_generated" / "valid-data.sha256"

    def load(self) -> data.Dataset:
        """The validated dataset, with its bibliography (cached until a file changes)."""
        return data.load(self.data_dir, self.bibliography, self.known_valid)

    def load_while_checking(self) -> tuple[data.Dataset, Callable[[], data.Dataset]]:
        """The dataset as the report's own checks find it, and a function that waits for Frictionless's
        (in a forked process meanwhile): see :func:`data.load_while_checking`."""
        return data.load_while_checking(self.data_dir, self.bibliography, self.known_valid)


def is_project_root(folder: Path) -> bool:
    return (folder / "data" / "datapackage.json").is_file() and (folder / "scripts" / "nkreport").is_dir()
