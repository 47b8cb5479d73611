"""How to cite the report: CITATION.cff at the project root, kept equal to the data's version and date.

The title, authors and abstract are CITATION.cff's; the version and date are
the data package's (``version``, ``updated``), which CITATION.cff must repeat
so that GitHub's "Cite this repository" and the report's Cite page say the
same. The address is the one the host publishing the report gives the build
(:func:`published_address`), never one written into the repository.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import inputrules
from .errors import DataError, Problem, display_path, read_text
from .formatting import date_words

# CITATION.cff key: the data package's key it must equal.
MATCHED = {"version": "version", "date-released": "updated"}
# Where the host publishing the report says it is published, first found first: Read the Docs sets the
# first; the GitHub Pages workflow (and any other host) sets the second.
ADDRESS_VARIABLES = ("READTHEDOCS_CANONICAL_URL", "NKREPORT_BASE_URL")
# What a reader fills in, or the cite page's script fills in with the day it is read.
ACCESSED_WORDS, ACCESSED_ISO = "[date you read it]", "YYYY-MM-DD"


def published_address(environ=os.environ) -> str:
    """The report's published address, ending in "/", from the first of ADDRESS_VARIABLES set; "" if none is.

    Checked by :func:`address_problem` when the build starts."""
    for name in ADDRESS_VARIABLES:
        address = environ.get(name, "").strip()
        if address:
            return address if address.endswith("/") else f"{address}/"
    return ""


def address_problem(address: str, environ=os.environ) -> str:
    """Why ``address`` (from :func:`published_address`) cannot be the report's address; "" if it can."""
    if not address:
        return ""
    # Braces too: the address is written as it is into BibTeX and LaTeX.
    if inputrules.address_problem(address) is None and not re.search(r"[\x00-\x1f{}]", address):
        return ""
    name = next((n for n in ADDRESS_VARIABLES if environ.get(n, "").strip()), "html_baseurl")
    return (f"{name}={address.rstrip('/')!r} is not a web address: expected the address the report is "
            "published at, starting http:// or https:// (or leave it unset)")


@dataclass(frozen=True)
class Citation:
    title: str
    authors: list[str]
    version: str
    date: str
    abstract: str = ""
    url: str = ""  # the published address; "" for a copy built without one

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def edition(self) -> str:
        """"Data version 2.1.0 of 1 December 2026"."""
        return f"Data version {self.version} of {date_words(self.date)}"

    def text(self) -> str:
        """The ready citation, in the author–year style of the report's bibliography; with the address,
        the day it was read, for the reader (or the cite page's script) to fill in."""
        cited = f"{'; '.join(self.authors)} ({self.year}). {self.title}. {self.edition}."
        return f"{cited} {self.url} (accessed {ACCESSED_WORDS})." if self.url else cited

    def bibtex(self) -> str:
        """The citation as a BibTeX entry; every value is text, whatever characters CITATION.cff holds (the
        address, checked when the build starts, as it is: BibTeX's url field is verbatim)."""
        authors = " and ".join(f"{{{bibtex_text(name)}}}" for name in self.authors)
        version, date = bibtex_text(self.version), bibtex_text(self.date)
        online = f"  url     = {{{self.url}}},\n  urldate = {{{ACCESSED_ISO}}},\n" if self.url else ""
        return (
            "@misc{nk-emigration,\n"
            f"  title   = {{{bibtex_text(self.title)}}},\n"
            f"  author  = {{{authors}}},\n"
            f"  year    = {{{bibtex_text(self.year)}}},\n"
            f"  version = {{{version}}},\n"
            f"  date    = {{{date}}},\n"
            f"{online}"
            f"  note    = {{{bibtex_text(self.edition)}}},\n"
            "}"
        )

    def csl_json(self) -> str:
        """The citation as CSL-JSON, which Zotero, Pandoc and citeproc read (the standard library's
        JSON writer escapes every field)."""
        year, month, day = (int(part) for part in self.date.split("-"))
        item = {
            "id": "nk-emigration", "type": "report", "title": self.title,
            "author": [{"literal": name} for name in self.authors],
            "issued": {"date-parts": [[year, month, day]]}, "version": self.version,
            "note": self.edition, "abstract": self.abstract,
        }
        if self.url:
            item |= {"URL": self.url, "accessed": {"raw": ACCESSED_ISO}}
        return json.dumps([item], ensure_ascii=False, indent=2)

    def cff(self, text: str) -> str:
        """CITATION.cff's ``text`` with the published address, as the site offers it for download."""
        return f"{text.rstrip()}\nurl: {json.dumps(self.url)}\n" if self.url else text

    def ris(self) -> str:
        """The citation in RIS (EndNote, Zotero, Mendeley): a tag per line, so no value may break a line."""
        def tagged(tag: str, value: str) -> str:
            return f"{tag}  - {' '.join(value.split())}"

        return "\n".join([
            tagged("TY", "DATA"), tagged("TI", self.title), *(tagged("AU", name) for name in self.authors),
            tagged("PY", self.year), tagged("DA", self.date.replace("-", "/")),
            tagged("ET", f"Data version {self.version}"), *([tagged("UR", self.url)] if self.url else []),
            tagged("ER", ""),
        ])


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
    if "url" in cff:
        problems.append(Problem(
            display_path(path), _line_of(lines, "url"), 1,
            "url: the report's address is the one the host publishing it gives the build "
            f"({' or '.join(ADDRESS_VARIABLES)}): expected no url here",
        ))
    for key, package_key in MATCHED.items():
        expected = str(descriptor.get(package_key))
        if cff.get(key) == expected:
            continue
        found = f"'{cff[key]}'" if key in cff else "missing"
        problems.append(Problem(
            display_path(path), _line_of(lines, key), 1,
            f"{key}: {found}, but datapackage.json has {package_key} '{expected}': expected {key}: \"{expected}\"",
        ))
    return problems


# Keys of the Citation File Format whose value is an address a page may link.
ADDRESS_KEYS = ("url", "repository", "repository-code", "repository-artifact")


def _shape_problems(where: str, cff: dict, lines: list[str]) -> list[Problem]:
    """The title and authors the Cite page prints, and the addresses it may link, in the form it needs."""
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
    abstract = cff.get("abstract", "")
    if not isinstance(abstract, str):
        found.append(("abstract", "expected a paragraph of text"))
    elif problem := inputrules.character_problem(abstract):
        found.append(("abstract", problem))
    for key in ADDRESS_KEYS:
        if key in cff and (problem := inputrules.address_problem(str(cff[key]))):
            found.append((key, problem))
    return [Problem(where, _line_of(lines, key), 1, f"{key}: {what}") for key, what in found]


def _line_of(lines: list[str], key: str) -> int:
    return next((n for n, text in enumerate(lines, 1) if re.match(rf"{re.escape(key)}\s*:", text)), 1)


def _author_name(author: dict):
    parts = [author.get("given-names"), author.get("family-names")]
    if author.get("name") is not None:
        return author["name"]
    if not all(isinstance(part, str | None) for part in parts):
        return None
    return " ".join(filter(None, parts))


def load(data_dir: Path, descriptor: dict, url: str = "") -> Citation:
    """The citation of the report at this data version, published at ``url`` (CITATION.cff is checked
    by validation)."""
    cff, problems = _read(path_for(data_dir))
    if cff is None:
        raise ValueError(problems[0])
    return Citation(
        title=cff["title"],
        authors=[_author_name(a) for a in cff["authors"]],
        version=descriptor["version"],
        date=descriptor["updated"],
        abstract=" ".join(cff.get("abstract", "").split()),
        url=url,
    )
