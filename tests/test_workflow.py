"""The maintainer's data-update workflow, end to end on temporary copies; untrusted text stays text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from buildtools import copy_project, latex_pdf, published, sphinx
from conftest import replace_in, revise_figure
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
    """A copy a maintainer could run the Quick start's first command in."""
    root = copy_project(tmp_path / "project")
    for name in ("pyproject.toml", "README.md"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    return root


def run_build(root: Path) -> subprocess.CompletedProcess:
    """The Quick start's first command, with this test run's environment (NKREPORT_VENV)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NKREPORT_VENV": sys.prefix}
    result = subprocess.run(["bash", "scripts/build"], cwd=root, capture_output=True, text=True, env=env)
    result.stdout += result.stderr
    return result


@pytest.mark.build
def test_update_flows_into_charts_numbers_and_stamp_or_fails_named(tmp_path):
    root = maintainer_copy(tmp_path)
    # (a) a revised value and a year added, version bumped, changelog entry added.
    figures = root / "data" / "figures.csv"
    revise_figure(figures, "china-visitors-south-korea-2015h1-dailynk2015", "2200000", ("2.1 million", "2.2 million"))
    with figures.open("a", encoding="utf-8") as table:
        table.write("arrivals-2015-test,arrivals,year,calendar,2015-01-01,2015-12-31,1275,,,people,,"
                    "yonhap2014q1,nkew2014q1,a test phrase,\n")
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    replace_in(root / "data" / "datapackage.json", f'"version": "{package["version"]}"', '"version": "9.9.9"')
    replace_in(root / "data" / "datapackage.json", f'"updated": "{package["updated"]}"', '"updated": "2099-12-01"')
    replace_in(root / "data" / "CHANGELOG.md", "\n## ", "\n## 9.9.9 — 2099-12-01\n\n- Revised and added.\n\n## ")
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
    revise_figure(figures, "arrivals-2014-yonhap2015", "2600")
    failed = run_build(root)
    assert failed.returncode != 0
    assert re.search(r'File "(?:.*/)?demographics\.md", line \d+', failed.stdout), failed.stdout[-4000:]
    assert "Claim:" in failed.stdout
    assert "no report published" in failed.stdout
    assert not site.exists() and not (root / "_build" / "latex").exists()


HOSTILE = r"<script>alert('x')</script> {braces} 50% back\slash & ampersand $dollar$ #hash ~tilde ^caret _under"
RSA_NOTE = ",Yonhap relaying a Radio Free Asia report based on State Department data."
SSD_EVENT = "A senior State Security Department official flees and reaches South Korea"
PAY_NOTE = ",The source does not say over what period the pay is measured."
VISITORS = "North Koreans entering China on legal documents"
ROLE = "{cite:p}`nkew2014q1`"


@pytest.mark.build
def test_untrusted_text_from_the_data_stays_text(tmp_path):
    """Markup in notes (provenance list, a chart caption), an event (chart alt text) and a series description
    (a chart caption, beside the chart's own citation) renders as literal text."""
    root = copy_project(tmp_path / "project")
    replace_in(root / "data" / "series.csv", VISITORS, f"{ROLE} {HOSTILE.replace('&', 'and')} {VISITORS}")
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
    assert "<script>alert(" not in "".join(p.read_text(encoding="utf-8") for p in html.glob("_images/*.svg"))
    visitors = (html / "border-controls.html").read_text(encoding="utf-8")
    in_caption = r"<figcaption>(?:(?!</figcaption>).)*" + re.escape(VISITORS) + ".*?</figcaption>"
    caption = re.search(in_caption, visitors, re.S)
    assert caption and f"{ROLE} &lt;script&gt;" in caption[0], "a role in a series description was parsed"
    assert caption[0].count('class="reference internal"') >= 1, "the chart's own citation is still a link"
    pdf = latex_pdf(root, root / "_latex")
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert HOSTILE.replace("'", "’") in text or HOSTILE in text


def test_the_data_stamp_is_text_where_markdown_substitutes_it():
    """The data version and date reach chapters through MyST substitutions, which parse their values."""
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser
    from nkreport.sphinxext.dataset import markdown_literal

    settings = {
        "myst_enable_extensions": ["substitution"],
        "myst_substitutions": {"stamp": markdown_literal(HOSTILE + " {cite:p}`k` *em* [a](b) {{ x }}")},
        "report_level": 5,
    }
    doctree = publish_doctree("Data version {{ stamp }}.", parser=Parser(), settings_overrides=settings)
    assert doctree.astext() == f"Data version {HOSTILE} {{cite:p}}`k` *em* [a](b) {{{{ x }}}}."
    assert {type(n).__name__ for n in doctree.findall()} == {"document", "paragraph", "Text"}


@pytest.mark.build
def test_a_build_from_an_exported_tree_equals_one_from_the_checkout(tmp_path):
    """No git needed: the date is the data's own (no SOURCE_DATE_EPOCH here), never 1970 or a commit's."""
    checkout = maintainer_copy(tmp_path / "checkout")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(checkout)]
    commit_env = {**os.environ, "GIT_AUTHOR_DATE": "2031-06-01T00:00:00Z", "GIT_COMMITTER_DATE": "2031-06-01T00:00:00Z"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "test"]):
        subprocess.run([*git, *command], check=True, env=commit_env)
    exported = tmp_path / "exported"
    exported.mkdir()
    archive = subprocess.run([*git, "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(exported)], input=archive, check=True)
    # A git that records being called: the build must not need it.
    fake = tmp_path / "fake-git"
    fake.mkdir()
    (fake / "git").write_text(f"#!/bin/sh\ntouch {tmp_path}/git-was-called\nexit 1\n")
    (fake / "git").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env |= {"NKREPORT_VENV": sys.prefix, "PATH": f"{fake}:{os.environ['PATH']}"}
    for root in (checkout, exported):
        result = subprocess.run(["bash", "scripts/build"], cwd=root, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert not (tmp_path / "git-was-called").exists()
    assert published(exported) == published(checkout)
    updated = json.loads((checkout / "data" / "datapackage.json").read_text(encoding="utf-8"))["updated"]
    assert f"© Copyright {updated[:4]}," in (exported / "_build" / "html" / "index.html").read_text(encoding="utf-8")
