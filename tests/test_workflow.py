"""The maintainer's data-update workflow, end to end on temporary copies; untrusted text stays text."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildtools import (
    BASE_URL,
    CHART_CACHE,
    DATA_RULES,
    REPO,
    GitSpy,
    copy_project,
    latex_pdf,
    maintainer_copy,
    published,
    revise_figure,
    run_build,
    sphinx,
)
from conftest import new_version, replace_in
from nkreport import bib, data, formatting
from test_contributing import add_a_source, the_source_is_listed

CHANGELOG_ENTRY = re.compile(r"^## (\S+) — (\d{4}-\d\d-\d\d)$", re.M)


def test_changelog_records_the_current_version():
    package = json.loads((REPO.data_dir / "datapackage.json").read_text(encoding="utf-8"))
    newest = CHANGELOG_ENTRY.search((REPO.data_dir / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert newest, "data/CHANGELOG.md has no '## VERSION — DATE' entry"
    assert newest.groups() == (package["version"], package["updated"])


@pytest.mark.build
def test_report_shows_the_data_as_of_stamp(html):
    package = json.loads((REPO.data_dir / "datapackage.json").read_text(encoding="utf-8"))
    page = (html / "index.html").read_text(encoding="utf-8")
    # In words, as readers read dates: "6 December 2026".
    assert package["version"] in page and formatting.date_words(package["updated"]) in page


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
                    "rfa2099newreport,,a new phrase,,\n")
    ds = data.load(data_copy, bibfile)
    figure = ds.figure("arrivals-2015-rfa2099")
    assert (figure.value, figure.post, figure.source_label, figure.published) == (1200, "", "RFA 2099", "2099-03-01")
    assert "rfa2099newreport" in ds.sources() <= bib.keys(bibfile)
    assert bib.missing_fields(bibfile) == []


def stamp_copy(root: Path) -> subprocess.CompletedProcess:
    """`nkreport stamp` on the copy, never on the checkout the tests run from."""
    command = [sys.executable, "-m", "nkreport", "stamp"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True)


@pytest.mark.build
def test_update_flows_into_charts_numbers_and_stamp_or_fails_named(tmp_path, chart_cache):
    root = maintainer_copy(tmp_path / "project", charts_from=chart_cache)
    # (a) a revised value and a year added, version bumped, changelog entry added.
    figures = root / "data" / "figures.csv"
    revise_figure(figures, "china-visitors-south-korea-2015h1-dailynk2015", "2200000", ("2.1 million", "2.2 million"))
    with figures.open("a", encoding="utf-8") as table:
        table.write("arrivals-2015-test,arrivals,year,calendar,2015-01-01,2015-12-31,1275,,,people,,"
                    "yonhap2014q1,nkew2014q1,a test phrase,,\n")
    new_version(root / "data", "9.9.9", "2099-12-01")
    stamp = stamp_copy(root)
    assert stamp.returncode == 0, stamp.stderr
    built = run_build(root)
    assert built.returncode == 0, built.stdout[-4000:]
    site = root / "_build" / "html"
    assert "2.2 million" in (site / "border-controls.html").read_text(encoding="utf-8")
    assert "data-arrivals-2015-test" in (site / "methods.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "9.9.9" in index and "1 December 2099" in index
    assert "arrivals-2015-test" in (root / "report" / "_generated" / "charts" / "arrivals_annual.csv").read_text()
    assert (root / "_build" / "latex" / "nk-emigration.pdf").exists()

    # (b) an update that contradicts the text: the build fails naming chapter, line and claim,
    # and no stale report is left published.
    revise_figure(figures, "arrivals-2014-yonhap2015", "2600")
    new_version(root / "data", "9.9.10", "2099-12-02")
    stamp_copy(root).check_returncode()
    failed = run_build(root)
    assert failed.returncode != 0
    assert re.search(r'demographics\.md:\d+: WARNING: doctest "# Claim: [^"]*" failed',
                     failed.stdout), failed.stdout[-4000:]
    assert "no report published" in failed.stdout
    assert not site.exists() and not (root / "_build" / "latex").exists()


def append_next_year(root: Path) -> dict[str, str]:
    """A routine update on a copy: every official annual series gets its next year, as a maintainer adds it.

    Each series repeats its newest value one year later, from one new release that marks it provisional
    (as the ministry marks its newest year); the version and changelog are bumped and the tables stamped.
    Returns series -> the new year.
    """
    ds = data.load(root / "data", root / "references.bib")
    newest = {f.series: f for f in ds.figures.values() if f.is_official and f.period_type in data.ANNUAL}
    newest = {series: ds.select(f"{series}@latest") for series in newest}
    source = ds.releases[next(iter(newest.values())).release].source
    with (root / "data" / "releases.csv").open("a", encoding="utf-8") as table:
        table.write(f"next-release,{source},Test producer,Next release,2099-01-15,2099-01-20,,,,,,,,,\n")
    added = {}
    with (root / "data" / "official.csv").open("a", encoding="utf-8") as table:
        for series, f in newest.items():
            start, end = f.period_start.replace(year=f.period_start.year + 1), f.period_end.replace(year=f.year + 1)
            table.write(f"{series}-next-test,{series},{f.period_type},{f.year_basis},{start},{end},{f.value},"
                        f"{f.unit},,next-release,row {end.year},,Marked provisional in this release.,\n")
            added[series] = str(end.year)
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    major, minor, _ = package["version"].split(".")
    version = f"{major}.{int(minor) + 1}.0"
    new_version(root / "data", version, "2099-01-20")
    stamp_copy(root).check_returncode()
    return added


def plotted_ids(charts_dir: Path) -> set[str]:
    """The ids of every row the charts' CSV tables plot."""
    return {row["id"] for path in charts_dir.glob("*.csv")
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))}


@pytest.mark.build
def test_a_new_year_of_every_official_series_passes_without_editing_a_test(tmp_path, chart_cache):
    """The whole routine: data plus a changelog line; the build passes, the charts and key points move on.

    The same version adds a source, as CONTRIBUTING's "add a source" does (test_contributing.add_a_source):
    the site lists it, and the fast tests pass on both."""
    # The whole checkout, as a maintainer has it, so that the fast tests of the data can run in it.
    root = tmp_path / "project"
    shutil.copytree(REPO.root, root, ignore=shutil.ignore_patterns(
        ".git", ".venv", "_build", "_generated", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache"))
    shutil.copytree(chart_cache / CHART_CACHE, root / CHART_CACHE)
    charts_dir = root / "report" / "_generated" / "charts"
    ds = data.load(root / "data", root / "references.bib")
    charted = {series for series in ds.series_info if plotted_ids(charts_dir) & {f.id for f in ds.official(series)}}
    add_a_source(root)
    added = append_next_year(root)
    built = run_build(root)
    assert built.returncode == 0, built.stdout[-4000:]
    # Every series a chart plotted plots its new year.
    assert charted & set(added)
    for series in charted & set(added):
        assert f"{series}-next-test" in plotted_ids(charts_dir), series
    site = root / "_build" / "html"
    for chapter in ("border-controls", "demographics"):
        page = (site / f"{chapter}.html").read_text(encoding="utf-8")
        points = re.search(r'class="[^"]*key-points[^"]*">(.*?)</div>', page, re.S)[1]
        assert max(added.values()) in points, chapter
    # The front page answers first, and its headline moves to the new year too.
    headline = re.search(r"<strong>(.*?)</strong>", (site / "index.html").read_text(encoding="utf-8"), re.S)[1]
    assert added["arrivals"] in headline
    the_source_is_listed(root)
    env = {**os.environ, "PYTHONPATH": str(root / "scripts")}
    fast = ["-q", "-p", "no:cacheprovider", *DATA_RULES]
    suite = subprocess.run([sys.executable, "-m", "pytest", *fast], cwd=root, env=env, capture_output=True, text=True)
    assert suite.returncode == 0, suite.stdout[-4000:]


HOSTILE = r"<script>alert('x')</script> {braces} 50% back\slash & ampersand $dollar$ #hash ~tilde ^caret _under"
RSA_NOTE = ",Yonhap relaying a Radio Free Asia report based on State Department data."
SSD_EVENT = "A senior State Security Department official flees and reaches South Korea"
PAY_NOTE = "The source does not say over what period the pay is measured."  # inside a quoted note
VISITORS = "North Koreans visiting China legally"
ROLE = "{cite:p}`nkew2014q1`"


@pytest.mark.build
def test_untrusted_text_from_the_data_stays_text(tmp_path, chart_cache):
    """Markup in notes (provenance list, a chart's alt text), an event (chart alt text) and a series title
    (a chart caption, beside the chart's own citation) renders as literal text."""
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    replace_in(root / "data" / "series.csv", VISITORS, f"{ROLE} {HOSTILE.replace('&', 'and')} {VISITORS}")
    replace_in(root / "data" / "figures.csv", RSA_NOTE, f',"{HOSTILE}"')
    replace_in(root / "data" / "figures.csv", PAY_NOTE, HOSTILE)
    replace_in(root / "data" / "events.csv", SSD_EVENT, HOSTILE)
    html = root / "_html"
    sphinx(root, "html", html)
    escaped = "&lt;script&gt;alert('x')&lt;/script&gt; {braces} 50% back\\slash &amp; ampersand $dollar$"
    assert escaped in (html / "methods.html").read_text(encoding="utf-8")
    pay = (html / "demographics.html").read_text(encoding="utf-8")
    # The chart is inline: its alt text is the drawing's label.
    assert re.search(r'<svg [^>]*aria-label="[^"<>]*&lt;script&gt;alert\(', pay), "note not escaped in the alt text"
    page = (html / "elite-defections.html").read_text(encoding="utf-8")
    assert re.search(r'<svg [^>]*aria-label="[^"<>]*&lt;script&gt;alert\(', page), "event text not escaped in alt text"
    # The event's mark says it too.
    assert re.search(r'class="chart-mark"[^>]*aria-label="[^"<>]*&lt;script&gt;alert\(', page), "nor in its mark"
    assert "<script>alert(" not in "".join(p.read_text(encoding="utf-8") for p in html.glob("*.html"))
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
def test_a_build_from_an_exported_tree_equals_one_from_the_checkout(built, tmp_path):
    """No git needed: the date is the data's own (no SOURCE_DATE_EPOCH here), never 1970 or a commit's.

    The checkout is the shared build: a git commit (dated 2031) of a maintainer's copy, built as the
    exported tree is here, with a git that records being called."""
    exported = tmp_path / "exported"
    exported.mkdir()
    archive = subprocess.run(["git", "-C", str(built), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(exported)], input=archive, check=True)
    spy = GitSpy(tmp_path)
    # Built as the shared checkout was, at the address a host gives it.
    result = run_build(exported, epoch=None, path=spy.bin, NKREPORT_BASE_URL=BASE_URL)
    assert result.returncode == 0, result.stdout[-4000:]
    assert not spy.called and not GitSpy.of_shared_build(built).called
    assert published(exported) == published(built)
    updated = json.loads((built / "data" / "datapackage.json").read_text(encoding="utf-8"))["updated"]
    assert f"© Copyright {updated[:4]}," in (exported / "_build" / "html" / "index.html").read_text(encoding="utf-8")
