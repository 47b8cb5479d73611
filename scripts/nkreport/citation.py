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
from urllib.parse import urlsplit

import yaml

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
    parts = urlsplit(address)
    if parts.scheme in ("http", "https") and parts.netloc and not re.search(r"[\s\x00-\x1f\"<>\\]", address):
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
        authors = " and ".join(f"{{{name}}}" for name in self.authors)
        online = f"  url     = {{{self.url}}},\n  urldate = {{{ACCESSED_ISO}}},\n" if self.url else ""
        return (
            "@misc{nk-emigration,\n"
            f"  title   = {{{self.title}}},\n"
            f"  author  = {{{authors}}},\n"
            f"  year    = {{{self.year}}},\n"
            f"  version = {{{self.version}}},\n"
            f"  date    = {{{self.date}}},\n"
            f"{online}"
            f"  note    = {{{self.edition}}},\n"
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
    if "url" in cff:
        line = next((n for n, text in enumerate(lines, 1) if re.match(r"url\s*:", text)), 1)
        problems.append(Problem(
            display_path(path), line, 1,
            "url: the report's address is the one the host publishing it gives the build "
            f"({' or '.join(ADDRESS_VARIABLES)}): expected no url here",
        ))
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


def load(data_dir: Path, descriptor: dict, url: str = "") -> Citation:
    """The citation of the report at this data version, published at ``url`` (CITATION.cff is checked
    by validation)."""
    cff, problems = _read(path_for(data_dir))
    if cff is None:
        raise ValueError(problems[0])
    return Citation(
        title=cff["title"],
        authors=[a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
                 for a in cff["authors"]],
        version=descriptor["version"],
        date=descriptor["updated"],
        abstract=" ".join(cff.get("abstract", "").split()),
        url=url,
    )
