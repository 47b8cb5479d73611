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

from . import inputrules
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
        """The citation as a BibTeX entry; every value is text, whatever characters CITATION.cff holds."""
        authors = " and ".join(f"{{{bibtex_text(name)}}}" for name in self.authors)
        version, date = bibtex_text(self.version), bibtex_text(self.date)
        return (
            "@misc{nk-emigration,\n"
            f"  title   = {{{bibtex_text(self.title)}}},\n"
            f"  author  = {{{authors}}},\n"
            f"  year    = {{{bibtex_text(self.year)}}},\n"
            f"  version = {{{version}}},\n"
            f"  date    = {{{date}}},\n"
            f"  note    = {{Data version {version} of {date}}},\n"
            "}"
        )


# LaTeX's special characters as text.  BibTeX counts braces even after a backslash, so a
# brace is written as a command: "\}" would end the field.
_BIBTEX_TEXT = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%", "#": r"\#",
    "&": r"\&", "$": r"\$", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}


def bibtex_text(text: str) -> str:
    """``text`` as a BibTeX field value that reads as itself (LaTeX's special characters escaped)."""
    return "".join(_BIBTEX_TEXT.get(char, char) for char in text)


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
    problems += _shape_problems(display_path(path), cff, lines)
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


# Keys of the Citation File Format whose value is an address a page may link.
ADDRESS_KEYS = ("url", "repository", "repository-code", "repository-artifact")


def _shape_problems(where: str, cff: dict, lines: list[str]) -> list[Problem]:
    """The title and authors the Cite page prints, and the addresses it may link, in the form it needs."""
    def line_of(key: str) -> int:
        return next((n for n, text in enumerate(lines, 1) if re.match(rf"{re.escape(key)}\s*:", text)), 1)

    found = []
    title = cff.get("title")
    if not isinstance(title, str) or not title.strip():
        found.append(("title", "expected the report's title as text"))
    elif problem := inputrules.character_problem(title):
        found.append(("title", problem))
    authors = cff.get("authors")
    if not (isinstance(authors, list) and authors and all(isinstance(a, dict) for a in authors)):
        found.append(("authors", "expected a list of authors, each with a name or family-names"))
    else:
        for author in authors:
            name = _author_name(author)
            if not isinstance(name, str) or not name.strip():
                found.append(("authors", "an author without a name: expected name, or given-names and family-names"))
            elif problem := inputrules.character_problem(name):
                found.append(("authors", problem))
    for key in ADDRESS_KEYS:
        if key in cff and (problem := inputrules.address_problem(str(cff[key]))):
            found.append((key, problem))
    return [Problem(where, line_of(key), 1, f"{key}: {what}") for key, what in found]


def _author_name(author: dict):
    parts = [author.get("given-names"), author.get("family-names")]
    if author.get("name") is not None:
        return author["name"]
    if not all(isinstance(part, str | None) for part in parts):
        return None
    return " ".join(filter(None, parts))


def load(data_dir: Path, descriptor: dict) -> Citation:
    """The citation of the report at this data version (CITATION.cff is checked by validation)."""
    cff, problems = _read(path_for(data_dir))
    if cff is None:
        raise ValueError(problems[0])
    return Citation(
        title=cff["title"],
        authors=[_author_name(a) for a in cff["authors"]],
        version=descriptor["version"],
        date=descriptor["updated"],
    )
