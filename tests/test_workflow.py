"""The maintainer's data-update workflow, end to end on temporary copies; untrusted text stays text."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from buildtools import copy_project, latex_pdf, sphinx
from conftest import replace_in

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
    bibfile = data_copy.parent / "references.bib"
    bibfile.write_text(
        bibfile.read_text(encoding="utf-8")
        + "\n@article{rfa2099newreport,\n  author = {{Radio Free Asia}},\n  title = {A new report},\n"
        "  journal = {Radio Free Asia},\n  year = {2099},\n}\n",
        encoding="utf-8",
    )
    with (data_copy / "figures.csv").open("a", encoding="utf-8") as table:
        table.write("arrivals-2015-rfa2099,arrivals,year,calendar,2015-01-01,2015-12-31,1200,,,people,about,"
                    "rfa2099newreport,nkew2015emigration,a new phrase,\n")
    ds = data.load(data_copy, bibfile)
    assert ds.value("arrivals-2015-rfa2099") == 1200
    assert "rfa2099newreport" in ds.sources() <= bib.keys(bibfile)
    assert bib.missing_fields(bibfile) == []


def maintainer_copy(tmp_path: Path) -> Path:
    """A copy a maintainer could run the Quick start's first command in (sharing this .venv)."""
    root = copy_project(tmp_path / "project")
    for name in ("pyproject.toml", "README.md"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    (root / ".venv").symlink_to(ROOT / ".venv")
    return root


def run_build(root: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(["bash", "scripts/build"], cwd=root, capture_output=True, text=True,
                            env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "1700000000"})
    result.stdout += result.stderr
    return result


@pytest.mark.build
def test_update_flows_into_charts_numbers_and_stamp_or_fails_named(tmp_path):
    root = maintainer_copy(tmp_path)
    # (a) a consistent update: 2014 arrivals revised, version bumped, changelog entry added.
    replace_in(root / "data" / "figures.csv", ",1396,,,people,", ",1398,,,people,")
    replace_in(root / "data" / "datapackage.json", '"version": "1.0.0"', '"version": "1.0.1"')
    replace_in(root / "data" / "datapackage.json", '"updated": "2026-11-26"', '"updated": "2026-12-01"')
    replace_in(root / "data" / "CHANGELOG.md", "\n## ", "\n## 1.0.1 — 2026-12-01\n\n- 2014 arrivals revised.\n\n## ")
    built = run_build(root)
    assert built.returncode == 0, built.stdout[-4000:]
    site = root / "_build" / "html"
    assert "1,398" in (site / "demographics.html").read_text(encoding="utf-8")
    assert "1.0.1" in (site / "index.html").read_text(encoding="utf-8")
    assert "2026-12-01" in (site / "index.html").read_text(encoding="utf-8")
    assert ",1398," in (root / "report" / "_generated" / "charts" / "arrivals_annual.csv").read_text()
    assert (root / "_build" / "latex" / "nk-emigration.pdf").exists()

    # (b) an update that contradicts the text: the build fails naming chapter, line and claim,
    # and no stale report is left published.
    replace_in(root / "data" / "figures.csv", ",1398,,,people,", ",2600,,,people,")
    failed = run_build(root)
    assert failed.returncode != 0
    assert re.search(r'File "(?:.*/)?report/demographics\.md", line \d+', failed.stdout), failed.stdout[-4000:]
    assert "Claim:" in failed.stdout
    assert "no report published" in failed.stdout
    assert not site.exists() and not (root / "_build" / "latex").exists()


HOSTILE = r"<script>alert('x')</script> {braces} 50% back\slash & ampersand $dollar$ #hash ~tilde ^caret _under"


@pytest.mark.build
def test_untrusted_text_from_the_data_stays_text(tmp_path):
    root = copy_project(tmp_path / "project")
    replace_in(root / "data" / "figures.csv", ",Yonhap relaying a Radio Free Asia report based on State Department data.",
               f',"{HOSTILE}"')
    replace_in(root / "data" / "events.csv", "Construction of the Chinese border fence completed", HOSTILE)
    html = root / "_html"
    sphinx(root, "html", html)
    methods = (html / "methods.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; {braces} 50% back\\slash &amp; ampersand" in methods
    assert "<script>alert(" not in "".join(p.read_text(encoding="utf-8") for p in html.glob("*.html"))
    svg = (root / "report" / "_generated" / "charts" / "elite_timeline.svg").read_text(encoding="utf-8")
    assert "<script>" not in svg
    pdf = latex_pdf(root, root / "_latex")
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "<script>alert('x')</script> {braces} 50% back\\slash & ampersand $dollar$ #hash ~tilde ^caret _under" in text
