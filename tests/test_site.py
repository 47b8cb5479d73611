"""What a reader of the site looks for: the PDF from every page, how to cite the report (and
CITATION.cff kept equal to the data's version), the data changelog, every data file for download,
and page descriptions for link previews."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from buildtools import REPO
from conftest import line_of, replace_in


class Page(HTMLParser):
    """Links, meta tags and text of one HTML page."""

    def __init__(self, path: Path):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, class of the enclosing element)
        self.meta: dict[str, str] = {}
        self.text: list[str] = []
        self._classes: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._classes.append(attrs.get("class") or (self._classes[-1] if self._classes else ""))
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], self._classes[-2] if len(self._classes) > 1 else ""))
        if tag == "meta" and attrs.get("content") is not None:
            self.meta[attrs.get("property") or attrs.get("name") or ""] = attrs["content"]

    def handle_endtag(self, tag):
        if self._classes:
            self._classes.pop()

    def handle_data(self, data):
        self.text.append(data)


def descriptor() -> dict:
    return json.loads((REPO.data_dir / "datapackage.json").read_text(encoding="utf-8"))


def report_pages(html: Path) -> list[Path]:
    return [p for p in sorted(html.glob("*.html")) if p.name not in {"genindex.html", "search.html"}]


@pytest.mark.build
def test_every_page_links_the_pdf_at_the_site_root(html):
    for path in sorted(html.glob("*.html")):
        pdf_links = [href for href, cls in Page(path).links if href.endswith(".pdf")]
        assert pdf_links == ["nk-emigration.pdf"], path.name


@pytest.mark.build
def test_cite_page_gives_the_data_version_and_date_as_text_bibtex_and_ris(html):
    package = descriptor()
    text = " ".join(" ".join(Page(html / "cite.html").text).split())
    stamp = f"Data version {package['version']}, {package['updated']}."
    assert stamp in text
    assert f"version = {{{package['version']}}}" in text and f"date = {{{package['updated']}}}" in text
    assert "TY - DATA" in text and f"ET - Data version {package['version']}" in text  # RIS


def test_citation_file_matches_the_data_package():
    cff = (REPO.root / "CITATION.cff").read_text(encoding="utf-8")
    package = descriptor()
    assert re.search(rf'^version: "{re.escape(package["version"])}"$', cff, re.M)
    assert re.search(rf'^date-released: "{re.escape(package["updated"])}"$', cff, re.M)


def test_validate_names_the_citation_line_that_disagrees_with_the_data(data_copy):
    cff = data_copy.parent / "CITATION.cff"
    replace_in(cff, f'version: "{descriptor()["version"]}"', 'version: "0.9.0"')
    result = subprocess.run(
        [sys.executable, "-m", "nkreport", "validate", "--data", str(data_copy)], capture_output=True, text=True
    )
    assert result.returncode == 1
    line = line_of(cff, 'version: "0.9.0"')
    assert f"CITATION.cff:{line}:1: version: '0.9.0', but datapackage.json has version" in result.stderr
    cff.unlink()
    missing = subprocess.run(
        [sys.executable, "-m", "nkreport", "validate", "--data", str(data_copy)], capture_output=True, text=True
    )
    assert "CITATION.cff:1:1: missing" in missing.stderr


@pytest.mark.build
def test_data_changelog_is_a_page_with_every_version(html):
    versions = re.findall(r"^## (\S+ — \S+)", (REPO.data_dir / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    text = " ".join(Page(html / "changelog.html").text)
    assert versions and all(v in text for v in versions)
    assert "changelog.html" in {href for href, _ in Page(html / "index.html").links}


@pytest.mark.build
def test_every_data_file_is_downloadable_from_the_data_page(html):
    links = {href for href, _ in Page(html / "data.html").links if href.startswith("_downloads/")}
    served = {Path(href).name: (html / href).read_bytes() for href in links}
    expected = sorted(p.name for p in REPO.data_dir.glob("*.csv")) + ["datapackage.json"]
    assert sorted(served) == sorted(expected)
    for name, content in served.items():
        assert content == (REPO.data_dir / name).read_bytes(), name
    for resource in descriptor()["resources"]:
        assert resource["title"] in " ".join(Page(html / "data.html").text)


@pytest.mark.build
def test_every_page_has_a_description_and_social_card_tags(html):
    for path in report_pages(html):
        meta = Page(path).meta
        assert len(meta.get("description", "")) > 40, path.name
        assert meta.get("og:description") == meta["description"], path.name
        assert meta.get("og:title") and meta.get("twitter:card"), path.name
        assert "<" not in meta["description"], path.name
