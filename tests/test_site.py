"""What a reader of the site looks for: the PDF from every page, how to cite the report at the address
its host gives the build (and CITATION.cff kept equal to the data's version), the data changelog, the
data files for download (each official series' current values among them), and page descriptions and
addresses for link previews."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from buildtools import BASE_URL, REPO
from conftest import line_of, replace_in
from nkreport import charts, citation, data, formatting, tidy
from test_browser import VIEWPORTS, visit


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


def page_text(path: Path) -> str:
    return " ".join(" ".join(Page(path).text).split())


def edition() -> str:
    package = descriptor()
    return f"Data version {package['version']} of {formatting.date_words(package['updated'])}"


@pytest.mark.build
def test_cite_page_gives_the_version_date_and_the_hosts_address_as_text_bibtex_ris_and_csl_json(html):
    package = descriptor()
    text = page_text(html / "cite.html")
    assert f"{edition()}. {BASE_URL} (accessed {citation.ACCESSED_WORDS})." in text
    bibtex = re.search(r"@misc\{.*?\n\}", (html / "cite.html").read_text(encoding="utf-8"), re.S)[0]
    for field, value in (("version", package["version"]), ("date", package["updated"]), ("url", BASE_URL)):
        assert re.search(rf"^  {field} *= \{{{re.escape(value)}\}},$", bibtex, re.M), field
    blocks = [unescape(re.sub(r"<[^>]+>", "", block))
              for block in re.findall(r"<pre>(.*?)</pre>", (html / "cite.html").read_text(encoding="utf-8"), re.S)]
    [csl] = [json.loads(block) for block in blocks if block.startswith("[")]
    assert csl[0]["URL"] == BASE_URL and csl[0]["version"] == package["version"]
    assert csl[0]["issued"]["date-parts"] == [[int(part) for part in package["updated"].split("-")]]
    [ris] = [block.splitlines() for block in blocks if block.startswith("TY  - ")]
    assert {f"ET  - Data version {package['version']}", f"UR  - {BASE_URL}"} <= set(ris) and ris[-1].rstrip() == "ER  -"
    # The same address is the canonical one of every page, and the one link previews give.
    for path in report_pages(html):
        meta = Page(path).meta
        assert meta["og:url"] == BASE_URL + path.name, path.name
        assert f'<link rel="canonical" href="{BASE_URL}{path.name}"' in path.read_text(encoding="utf-8"), path.name


@pytest.mark.build
def test_cite_page_offers_citation_cff_with_the_hosts_address(html):
    [cff] = {href for href, _ in Page(html / "cite.html").links if href.endswith("/CITATION.cff")}
    offered = (html / cff).read_text(encoding="utf-8")
    assert offered == (REPO.root / "CITATION.cff").read_text(encoding="utf-8").rstrip() + f'\nurl: "{BASE_URL}"\n'


def test_the_address_is_the_hosts_own():
    assert citation.published_address({}) == ""
    assert citation.published_address({"NKREPORT_BASE_URL": "https://a.example/r"}) == "https://a.example/r/"
    both = {"NKREPORT_BASE_URL": "https://a.example/", "READTHEDOCS_CANONICAL_URL": "https://b.example/en/latest/"}
    assert citation.published_address(both) == "https://b.example/en/latest/"
    for bad in ("javascript:alert(1)/", "reports.example.org/", "https://a.example/x y/"):
        assert "NKREPORT_BASE_URL=" in citation.address_problem(bad, {"NKREPORT_BASE_URL": bad}), bad


@pytest.mark.build
def test_a_build_given_an_address_that_is_not_a_web_address_stops_naming_it(tmp_path):
    from buildtools import sphinx

    result = sphinx(REPO.root, "html", tmp_path / "html", check=False, env={"NKREPORT_BASE_URL": "file:///etc/passwd"})
    assert result.returncode != 0
    assert "conf.py: html_baseurl: NKREPORT_BASE_URL='file:///etc/passwd' is not a web address" in result.stdout
    assert not list((tmp_path / "html").glob("*.html"))


def test_without_an_address_the_citation_says_where_to_find_the_report():
    cited = citation.load(REPO.data_dir, descriptor())
    assert "http" not in cited.text() + cited.bibtex() + cited.csl_json()
    assert cited.text().endswith(f"{edition()}.")


def test_the_pdf_title_page_cites_the_address_it_is_given():
    from nkreport.sphinxext import latex

    config = SimpleNamespace(project="North Korean Emigration: A Living Report", html_baseurl=BASE_URL,
                             latex_elements={}, nkreport_project=REPO)
    latex.title_page(None, config)
    title_page = config.latex_elements["maketitle"]
    assert title_page.count(rf"\href{{{BASE_URL}}}{{\nolinkurl{{{BASE_URL}}}}}") == 2  # where, and cite as


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
def test_data_changelog_is_a_page_with_every_version_dated_in_words(html):
    versions = re.findall(r"^## (\S+) — (\S+)$", (REPO.data_dir / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    text = " ".join(Page(html / "changelog.html").text)
    assert versions and all(f"{v} of {formatting.date_words(d)}" in text for v, d in versions)
    assert not re.search(r"(?<![\w-])\d{4}-\d\d-\d\d(?![\w-])", text), "an ISO date where readers read"
    assert "changelog.html" in {href for href, _ in Page(html / "index.html").links}


def downloads(html: Path) -> dict[str, bytes]:
    """Each file the Data page links for download, by name."""
    links = {href for href, _ in Page(html / "data.html").links if href.startswith("_downloads/")}
    served = {Path(href).name: (html / href).read_bytes() for href in links}
    assert len(served) == len(links), "two files of one name"
    return served


@pytest.mark.build
def test_the_data_page_offers_the_data_packages_tables_current_series_and_chart_tables(html):
    package = descriptor()
    served = downloads(html)
    tables = ["datapackage.json", *(resource["path"] for resource in package["resources"])]
    current = [f"{series}.csv" for series in tidy.official_series(REPO.load())]
    plotted = [f"{name}.csv" for name in charts.CHARTS]
    assert sorted(served) == sorted(tables + current + plotted)  # and no file that is not data
    for name in tables:
        assert served[name] == (REPO.data_dir / name).read_bytes(), name
    text = page_text(html / "data.html")
    for resource in package["resources"]:
        assert resource["title"] in text
    for series in tidy.official_series(REPO.load()):
        assert REPO.load().series_info[series].title in text


def csv_table(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.build
def test_each_official_series_downloads_with_one_row_per_period_at_its_current_value(html):
    served = downloads(html)
    ds = REPO.load()
    for series in tidy.official_series(ds):
        rows = csv_table(served[f"{series}.csv"])
        periods = [(row["period_start"], row["period_end"]) for row in rows]
        assert len(periods) == len(set(periods)), series
        current = {(f.period_start.isoformat() if f.period_start else "", f.period_end.isoformat()): f
                   for f in ds.official(series, None)}
        assert set(periods) == set(current), series
        for row in rows:
            figure = current[row["period_start"], row["period_end"]]
            assert (row["value"], row["unit"], row["period"]) == (
                str(figure.value), figure.unit, formatting.period_words(figure)), row
            assert row["release_date"] == figure.published and row["source"] == figure.source_label, row


def test_a_revision_replaces_the_value_of_its_period_in_the_current_table(data_copy):
    rows = {row["id"]: row for row in csv_table((data_copy / "releases.csv").read_bytes())}
    official = csv_table((data_copy / "official.csv").read_bytes())
    newest = max(rows.values(), key=lambda row: row["date_published"])
    # A later release typed in from a report (no kept file to re-read its values from).
    published = date.fromisoformat(newest["date_published"]) + timedelta(days=1)
    later = {**newest, "id": "mou-later", "date_published": str(published),
             "date_accessed": str(published + timedelta(days=1)), "snapshot": "", "sha256": ""}
    revised = [{**row, "id": f"{row['id']}-later", "release": "mou-later", "value": str(Decimal(row["value"]) + 1)}
               for row in official if row["release"] == newest["id"]]
    assert revised
    for table, added in (("releases.csv", [later]), ("official.csv", revised)):
        path = data_copy / table
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(added[0]), lineterminator="\n")
        writer.writerows(added)
        path.write_text(path.read_text(encoding="utf-8") + buffer.getvalue(), encoding="utf-8")
    before, after = REPO.load(), data.load(data_copy, data_copy.parent / "references.bib")
    for series in {row["series"] for row in revised}:
        old, new = tidy.current_rows(before, series), tidy.current_rows(after, series)
        assert len(new) == len(old)
        assert {row["value"] for row in new} >= {row["value"] for row in revised if row["series"] == series}


@pytest.mark.build
def test_every_page_has_a_description_and_social_card_tags(html):
    for path in report_pages(html):
        meta = Page(path).meta
        assert len(meta.get("description", "")) > 40, path.name
        assert meta.get("og:description") == meta["description"], path.name
        assert meta.get("og:title") and meta.get("twitter:card"), path.name
        assert "<" not in meta["description"], path.name


@pytest.mark.build
@pytest.mark.browser
def test_the_cite_page_gives_the_day_it_is_read_as_the_access_date(browser, site):
    context, page, problems = visit(browser, f"{site}/cite.html", VIEWPORTS["phone"])
    shown = page.inner_text("main")
    context.close()
    today = date.today()
    assert problems == []
    assert f"{BASE_URL} (accessed {formatting.date_words(today)})." in shown
    assert f"urldate = {{{today.isoformat()}}}" in shown and f'"raw": "{today.isoformat()}"' in shown
    assert citation.ACCESSED_WORDS not in shown and citation.ACCESSED_ISO not in shown
