"""The maintainer's data-update workflow, end to end on temporary copies; untrusted text stays text."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildtools import copy_project, latex_pdf, run_build, sphinx
from conftest import new_version, replace_in
from nkreport import bib, data
from nkreport.paths import DATA_DIR, ROOT

CHANGELOG_ENTRY = re.compile(r"^## (\S+) — (\d{4}-\d\d-\d\d)$", re.M)


def test_changelog_records_the_current_version():
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    newest = CHANGELOG_ENTRY.search((DATA_DIR / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert newest, "data/CHANGELOG.md has no '## VERSION — DATE' entry"
    assert newest.groups() == (package["version"], package["updated"])


@pytest.mark.build
def test_report_shows_the_data_as_of_stamp(html):
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    page = (html / "index.html").read_text(encoding="utf-8")
    assert package["version"] in page and package["updated"] in page


def test_a_new_source_is_an_entry_and_rows(data_copy):
    """A report the archive does not relay needs no post; its label comes from its entry."""
    bibfile = data_copy.parent / "references.bib"
    bibfile.write_text(
        bibfile.read_text(encoding="utf-8")
        + "\n@article{rfa2099newreport,\n  author = {{Radio Free Asia}},\n  title = {A new report},\n"
        "  journal = {Radio Free Asia},\n  outlet = {RFA},\n  date = {2099-03-01},\n  year = {2099},\n}\n",
        encoding="utf-8",
    )
    with (data_copy / "figures.csv").open("a", encoding="utf-8") as table:
        table.write("arrivals-2015-rfa2099,arrivals,year,calendar,2015-01-01,2015-12-31,1200,,,people,about,"
                    "rfa2099newreport,,a new phrase,\n")
    ds = data.load(data_copy, bibfile)
    figure = ds.figure("arrivals-2015-rfa2099")
    assert (figure.value, figure.post, figure.source_label, figure.published) == (1200, "", "RFA 2099", "2099-03-01")
    assert "rfa2099newreport" in ds.sources() <= bib.keys(bibfile)
    assert bib.missing_fields(bibfile) == []


def maintainer_copy(tmp_path: Path) -> Path:
    """A copy a maintainer could run the Quick start's first command in."""
    root = copy_project(tmp_path / "project")
    for name in ("pyproject.toml", "README.md", "CONTRIBUTING.md"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    return root


def stamp_copy(root: Path) -> subprocess.CompletedProcess:
    """`nkreport stamp` on the copy: its root replaces the checkout's that scripts/env.sh exported."""
    env = {**os.environ, "NKREPORT_ROOT": str(root)}
    command = [sys.executable, "-m", "nkreport", "stamp"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


@pytest.mark.build
def test_update_flows_into_charts_numbers_and_stamp_or_fails_named(tmp_path):
    root = maintainer_copy(tmp_path)
    # (a) a revised value and a year added, version bumped, changelog entry added.
    figures = root / "data" / "figures.csv"
    replace_in(figures, ",2100000,,,people,slightly over,", ",2200000,,,people,slightly over,")
    with figures.open("a", encoding="utf-8") as table:
        table.write("arrivals-2015-test,arrivals,year,calendar,2015-01-01,2015-12-31,1275,,,people,,"
                    "yonhap2014q1,nkew2014q1,a test phrase,\n")
    new_version(root / "data", "9.9.9", "2099-12-01")
    stamp = stamp_copy(root)
    assert stamp.returncode == 0, stamp.stderr
    built = run_build(root)
    assert built.returncode == 0, built.stdout[-4000:]
    site = root / "_build" / "html"
    assert "2,200,000" in (site / "border-controls.html").read_text(encoding="utf-8")
    assert "data-arrivals-2015-test" in (site / "methods.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "9.9.9" in index and "2099-12-01" in index
    assert "arrivals-2015-test" in (root / "report" / "_generated" / "charts" / "arrivals_annual.csv").read_text()
    assert (root / "_build" / "latex" / "nk-emigration.pdf").exists()

    # (b) an update that contradicts the text: the build fails naming chapter, line and claim,
    # and no stale report is left published.
    replace_in(figures, ",1396,,,people,", ",2600,,,people,")
    new_version(root / "data", "9.9.10", "2099-12-02")
    stamp_copy(root).check_returncode()
    failed = run_build(root)
    assert failed.returncode != 0
    assert re.search(r'File "(?:.*/)?demographics\.md", line \d+', failed.stdout), failed.stdout[-4000:]
    assert "Claim:" in failed.stdout
    assert "no report published" in failed.stdout
    assert not site.exists() and not (root / "_build" / "latex").exists()


def append_next_year(root: Path) -> dict[str, str]:
    """A routine update on a copy: every official annual series gets its next year, as a maintainer adds it.

    Each series repeats its newest value one year later, from one new release;
    the version and changelog are bumped and the tables stamped.  Returns series -> the new year.
    """
    ds = data.load(root / "data", root / "references.bib")
    newest = {f.series: f for f in ds.figures.values() if f.is_official and f.period_type in data.ANNUAL}
    newest = {series: ds.select(f"{series}@latest") for series in newest}
    source = ds.releases[next(iter(newest.values())).release].source
    with (root / "data" / "releases.csv").open("a", encoding="utf-8") as table:
        table.write(f"next-release,{source},Test producer,Next release,2099-01-15,2099-01-20,,,,,,\n")
    added = {}
    with (root / "data" / "official.csv").open("a", encoding="utf-8") as table:
        for series, f in newest.items():
            start, end = f.period_start.replace(year=f.period_start.year + 1), f.period_end.replace(year=f.year + 1)
            table.write(f"{series}-next-test,{series},{f.period_type},{f.year_basis},{start},{end},{f.value},"
                        f"{f.unit},,next-release,row {end.year},,\n")
            added[series] = str(end.year)
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    major, minor, _ = package["version"].split(".")
    version = f"{major}.{int(minor) + 1}.0"
    new_version(root / "data", version, "2099-01-20")
    stamp_copy(root).check_returncode()
    return added


@pytest.mark.build
def test_a_new_year_of_every_official_series_passes_without_editing_a_test(tmp_path):
    """The whole routine: data plus a changelog line; the build passes, the charts and key points move on."""
    root = maintainer_copy(tmp_path)
    shutil.copytree(ROOT / "tests", root / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    added = append_next_year(root)
    built = run_build(root)
    assert built.returncode == 0, built.stdout[-4000:]
    charts_dir = root / "report" / "_generated" / "charts"
    plotted = "".join(path.read_text(encoding="utf-8") for path in charts_dir.glob("*.csv"))
    for series in added:
        assert f"{series}-next-test" in plotted, series
    site = root / "_build" / "html"
    for chapter in ("border-controls", "demographics"):
        page = (site / f"{chapter}.html").read_text(encoding="utf-8")
        points = re.search(r'class="[^"]*key-points[^"]*">(.*?)</div>', page, re.S)[1]
        assert max(added.values()) in points, chapter
    env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "NKREPORT_ROOT": str(root)}
    fast = ["-q", "-p", "no:cacheprovider", "-m", "not build and not browser"]
    suite = subprocess.run([sys.executable, "-m", "pytest", *fast], cwd=root, env=env, capture_output=True, text=True)
    assert suite.returncode == 0, suite.stdout[-4000:]


HOSTILE = r"<script>alert('x')</script> {braces} 50% back\slash & ampersand $dollar$ #hash ~tilde ^caret _under"
RSA_NOTE = ",Yonhap relaying a Radio Free Asia report based on State Department data."
SSD_EVENT = "A senior State Security Department official flees and reaches South Korea"
PAY_NOTE = ",The source does not say over what period the pay is measured."


@pytest.mark.build
def test_untrusted_text_from_the_data_stays_text(tmp_path):
    """Markup in notes (provenance list, a chart caption) and an event (chart alt text) renders as literal text."""
    root = copy_project(tmp_path / "project")
    replace_in(root / "data" / "figures.csv", RSA_NOTE, f',"{HOSTILE}"')
    replace_in(root / "data" / "figures.csv", PAY_NOTE, f',"{HOSTILE}"')
    replace_in(root / "data" / "events.csv", SSD_EVENT, HOSTILE)
    html = root / "_html"
    sphinx(root, "html", html)
    escaped = "&lt;script&gt;alert('x')&lt;/script&gt; {braces} 50% back\\slash &amp; ampersand $dollar$"
    assert escaped in (html / "methods.html").read_text(encoding="utf-8")
    caption = (html / "demographics.html").read_text(encoding="utf-8")
    assert re.search(r'<figcaption>(?:(?!</figcaption>).)*' + re.escape(escaped), caption, re.S), "caption"
    assert 'alt="' in (page := (html / "elite-defections.html").read_text(encoding="utf-8"))
    assert re.search(r'alt="[^"<>]*&lt;script&gt;alert\(', page), "event text not escaped in the chart's alt text"
    assert "<script>alert(" not in "".join(p.read_text(encoding="utf-8") for p in html.glob("*.html"))
    pdf = latex_pdf(root, root / "_latex")
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert HOSTILE.replace("'", "’") in text or HOSTILE in text
