"""How to cite the report: CITATION.cff at the project root, kept equal to the data's version and date.

The title and authors are CITATION.cff's; the version and date are the data
package's (``version``, ``updated``), which CITATION.cff must repeat so that
GitHub's "Cite this repository" and the report's Cite page say the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import DataError, Problem, display_path, read_text

# CITATION.cff key: the data package's key it must equal.
MATCHED = {"version": "version", "date-released": "updated"}


@dataclass(frozen=True)
class Citation:
    title: str
    authors: list[str]
    version: str
    date: str

    @property
    def year(self) -> str:
        return self.date[:4]

    def text(self) -> str:
        """The ready citation, in the author–year style of the report's bibliography."""
        return f"{'; '.join(self.authors)} ({self.year}). {self.title}. Data version {self.version}, {self.date}."

    def bibtex(self) -> str:
        authors = " and ".join(f"{{{name}}}" for name in self.authors)
        return (
            "@misc{nk-emigration,\n"
            f"  title   = {{{self.title}}},\n"
            f"  author  = {{{authors}}},\n"
            f"  year    = {{{self.year}}},\n"
            f"  version = {{{self.version}}},\n"
            f"  date    = {{{self.date}}},\n"
            f"  note    = {{Data version {self.version} of {self.date}}},\n"
            "}"
        )


def path_for(data_dir: Path) -> Path:
    return data_dir.parent / "CITATION.cff"


def _read(path: Path) -> tuple[dict | None, list[Problem]]:
    where = display_path(path)
    if not path.exists():
        return None, [Problem(where, 1, 1, "missing: expected the report's citation (Citation File Format)")]
    try:
        text = read_text(path)
    except DataError as err:  # a byte that is not UTF-8, named by line and column
        return None, err.problems
    try:
        # Dates stay text: the comparison with the data package is of the text a maintainer typed.
        cff = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(where, line, column, f"invalid YAML: {getattr(err, 'problem', err)}")]
    if not isinstance(cff, dict):
        return None, [Problem(where, 1, 1, "expected a mapping of Citation File Format keys")]
    return cff, []


def check(data_dir: Path, descriptor: dict) -> list[Problem]:
    """CITATION.cff's version and release date must be the data package's version and date."""
    path = path_for(data_dir)
    cff, problems = _read(path)
    if cff is None:
        return problems
    lines = path.read_text(encoding="utf-8").splitlines()
    for key, package_key in MATCHED.items():
        expected = str(descriptor.get(package_key))
        if cff.get(key) == expected:
            continue
        line = next((n for n, text in enumerate(lines, 1) if re.match(rf"{re.escape(key)}\s*:", text)), 1)
        found = f"'{cff[key]}'" if key in cff else "missing"
        problems.append(Problem(
            display_path(path), line, 1,
            f"{key}: {found}, but datapackage.json has {package_key} '{expected}': expected {key}: \"{expected}\"",
        ))
    return problems


def load(data_dir: Path, descriptor: dict) -> Citation:
    """The citation of the report at this data version (CITATION.cff is checked by validation)."""
    cff, problems = _read(path_for(data_dir))
    if cff is None:
        raise ValueError(problems[0])
    return Citation(
        title=cff["title"],
        authors=[a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
                 for a in cff["authors"]],
        version=descriptor["version"],
        date=descriptor["updated"],
    )
