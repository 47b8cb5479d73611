"""CONTRIBUTING's workflows followed as written, on a temporary copy of the project."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import new_version, replace_in
from nkreport import bib, data, formatting
from test_chapters import key_points
from test_environment import second_checkout

NEW_SOURCE = """
@article{rfa2099walkthrough,
  author       = {{Radio Free Asia}},
  title        = {A walkthrough report on arrivals},
  journal      = {Radio Free Asia},
  outlet       = {RFA},
  date         = {2099-06-01},
  year         = {2099},
  month        = {June},
}
"""
NEW_ROW = ("defectors-resident-2015-rfa2099,defectors-resident,as-of,calendar,2015-06-01,2015-06-01,27500,,,"
           "people,about,rfa2099walkthrough,nkew2015emigration,a walkthrough phrase,,\n")


def run(root, *command: str) -> subprocess.CompletedProcess:
    """A command as CONTRIBUTING writes it, with this test run's environment (NKREPORT_VENV)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NKREPORT_ROOT", "PYTHONPATH")}
    env |= {"NKREPORT_VENV": sys.prefix, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    result.stdout += result.stderr
    return result


@pytest.mark.build
def test_add_a_source_is_an_entry_rows_a_version_and_a_stamp(tmp_path):
    root = second_checkout(tmp_path)
    # "Adding a new source is a BibTeX entry in references.bib plus rows that use its key."
    with (root / "references.bib").open("a", encoding="utf-8") as bibliography:
        bibliography.write(NEW_SOURCE)
    with (root / "data" / "figures.csv").open("a", encoding="utf-8") as figures:
        figures.write(NEW_ROW)
    # Update the data, step 2: a new version with its changelog entry, then the stamp.
    refused = run(root, "scripts/run", "python", "-m", "nkreport", "validate")
    assert refused.returncode == 1 and "data/figures.csv:1:1: changed since data version" in refused.stdout
    new_version(root / "data", "9.9.9", "2099-12-01")
    stamped = run(root, "scripts/run", "python", "-m", "nkreport", "stamp")
    assert stamped.returncode == 0, stamped.stdout
    # Step 3: the build, then the fast checks.
    built = run(root, "bash", "scripts/build")
    assert built.returncode == 0, built.stdout[-4000:]
    site = root / "_build" / "html"
    assert 'id="data-defectors-resident-2015-rfa2099"' in (site / "methods.html").read_text(encoding="utf-8")
    assert "A walkthrough report on arrivals" in (site / "bibliography.html").read_text(encoding="utf-8")
    assert bib.missing_fields(root / "references.bib") == []
    fast = run(root, "scripts/run", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not build and not browser")
    assert fast.returncode == 0, fast.stdout[-4000:]


# The rules every chapter and chart must follow, as a contributor runs them on their checkout.
RULES = ("scripts/run", "pytest", "-v", "-p", "no:cacheprovider", "-m", "not build and not browser",
         "tests/test_chapters.py", "tests/test_charts.py")


def add_a_chart(root: Path, name: str, series: str) -> str:
    """CONTRIBUTING's "Add a chart": the template copied under the chart's name, its LABEL and SERIES set."""
    module = root / "scripts" / "nkreport" / "charts" / f"{name}.py"
    shutil.copy(root / "templates" / "chart.py", module)
    label = f"fig-{name.replace('_', '-')}"
    replace_in(module, 'LABEL = "fig-NAME"', f'LABEL = "{label}"')
    replace_in(module, 'SERIES = "SERIES"', f'SERIES = "{series}"')
    return label


def follows_the_rules(root: Path, *names: str) -> None:
    """The chapter and chart rules pass on the copy, and ran on ``names``."""
    rules = run(root, *RULES)
    assert rules.returncode == 0, rules.stdout[-4000:]
    for name in names:
        assert f"[{name}] PASSED" in rules.stdout, (name, rules.stdout[-4000:])


@pytest.mark.build
def test_add_a_chart_is_the_template_and_the_chart_directive(tmp_path):
    root = second_checkout(tmp_path)
    name = "men_arrivals_by_year"
    label = add_a_chart(root, name, "men-arrivals")
    # "Embed it with ```{chart} NAME```" in a chapter before its sources, referred to by its label: in a
    # chapter whose key points already name the series' newest value.
    chapter = next(page for page in sorted((root / "report").glob("*.md"))
                   if "men-arrivals@latest`" in key_points(page.read_text(encoding="utf-8"))[1])
    replace_in(chapter, "\n## Sources\n", f"\n```{{chart}} {name}\n```\n\n{{numref}}`{label}` shows the men "
               "among arrivals each year.\n\n## Sources\n")
    checked = run(root, "make", "check", f"CHAPTER={chapter.stem}")
    assert checked.returncode == 0, checked.stdout[-4000:]
    page = (root / "_build" / "work" / "html" / f"{chapter.stem}.html").read_text(encoding="utf-8")
    assert re.search(rf'<svg [^>]*id="{name}" class="chart-svg"', page) and f'id="{label}"' in page
    plotted = (root / "report" / "_generated" / "charts" / f"{name}.csv").read_text(encoding="utf-8")
    newest = data.load().select("men-arrivals@latest")
    assert newest.id in plotted
    follows_the_rules(root, name)


@pytest.mark.build
def test_add_a_chapter_is_the_template_a_chart_and_a_toctree_line(tmp_path):
    root = second_checkout(tmp_path)
    name, series = "men_arrivals_by_year", "men-arrivals"
    label = add_a_chart(root, name, series)
    # "Copy templates/chapter.md to report/NAME.md and replace each word in capitals."
    chapter = root / "report" / "men-arriving.md"
    shutil.copy(root / "templates" / "chapter.md", chapter)
    source = data.load().select(f"{series}@latest").source
    for placeholder, value in (("TITLE", "Men among arrivals"), ("SERIES", series), ("CHART_MODULE", name),
                               ("CHART_LABEL", label), ("SOURCE", source)):
        text = chapter.read_text(encoding="utf-8")
        assert placeholder in text, placeholder
        chapter.write_text(re.sub(rf"\b{placeholder}\b", value, text), encoding="utf-8")
    replace_in(root / "report" / "index.md", "\nmethods\n", "\nmen-arriving\nmethods\n")
    checked = run(root, "make", "check", "CHAPTER=men-arriving")
    assert checked.returncode == 0, checked.stdout[-4000:]
    page = (root / "_build" / "work" / "html" / "men-arriving.html").read_text(encoding="utf-8")
    assert "Men among arrivals" in page and re.search(rf'<svg [^>]*id="{name}" class="chart-svg"', page)
    assert 'href="men-arriving.html"' in (root / "_build" / "work" / "html" / "index.html").read_text(encoding="utf-8")
    follows_the_rules(root, name, "men-arriving")


NEW_RELEASE_SOURCE = """
@misc{mou2099walkthrough,
  outlet       = {Ministry of Unification},
  author       = {{Ministry of Unification}},
  title        = {{[Arrivals of North Korean defectors in South Korea by year and sex], a walkthrough release}},
  howpublished = {Statistics page, Ministry of Unification, Republic of Korea},
  url          = {https://www.unikorea.go.kr/web/unikorea/contents/status_lately},
  date         = {2099-02-04},
  year         = {2099},
  month        = {February},
}
"""


def append_row(table: Path, row: dict) -> None:
    """A row appended to a CSV table, its cells in the order of the table's header."""
    with table.open(encoding="utf-8", newline="") as existing:
        header = next(csv.reader(existing))
    with table.open("a", encoding="utf-8", newline="") as appended:
        csv.writer(appended, lineterminator="\n").writerow([row.get(column, "") for column in header])


@pytest.mark.build
def test_update_the_data_with_a_new_release_moves_charts_and_numbers(tmp_path):
    root = second_checkout(tmp_path)
    ds = data.load()
    newest = {series: ds.select(f"{series}@latest") for series in ("arrivals", "women-arrivals", "men-arrivals")}
    year = newest["arrivals"].period_end.year + 1
    # One more man than the year before, so the numbers differ and every claim about them still holds.
    values = {"arrivals": newest["arrivals"].value + 1, "women-arrivals": newest["women-arrivals"].value,
              "men-arrivals": newest["men-arrivals"].value + 1}
    # Step 2: the release, from a new entry of references.bib.
    with (root / "references.bib").open("a", encoding="utf-8") as bibliography:
        bibliography.write(NEW_RELEASE_SOURCE)
    append_row(root / "data" / "releases.csv", {
        "id": "mou-2099-02-table", "source": "mou2099walkthrough",
        "producer": "Ministry of Unification (Republic of Korea)", "title": f"Arrivals by year and sex to {year}",
        "date_published": "2099-02-04", "date_accessed": "2099-02-05",
        "url": "https://www.unikorea.go.kr/web/unikorea/contents/status_lately",
        "licence": "Not stated on the page.", "note": "The ministry's statistics page, read directly."})
    # Step 3: its values, one row each, with the table cell each was read from, marked provisional as the
    # ministry marks its newest year.
    for series, value in values.items():
        append_row(root / "data" / "official.csv", {
            "id": f"{series}-{year}-mou2099", "series": series, "period_type": "year", "year_basis": "calendar",
            "period_start": f"{year}-01-01", "period_end": f"{year}-12-31", "value": str(value), "unit": "people",
            "release": "mou-2099-02-table", "cell": f"row {series}, column {year}(잠정)"})
    # Step 5: a new minor version, its changelog entry and CITATION.cff, then the stamp.
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    major, minor, _ = package["version"].split(".")
    new_version(root / "data", f"{major}.{int(minor) + 1}.0", "2099-02-05")
    stamped = run(root, "scripts/run", "python", "-m", "nkreport", "stamp")
    assert stamped.returncode == 0, stamped.stdout
    # Step 6: the check of every chapter (the data, their claims, the HTML with warnings as errors).
    checked = run(root, "make", "check")
    assert checked.returncode == 0, checked.stdout[-4000:]
    added = {series: f"{series}-{year}-mou2099" for series in values}
    plotted = "".join(p.read_text(encoding="utf-8") for p in (root / "report" / "_generated" / "charts").glob("*.csv"))
    assert all(figure_id in plotted for figure_id in added.values()), plotted[-2000:]
    # Key points that name a series' newest value now give the new year's, linked to its provenance.
    named = set()
    for chapter in sorted((root / "report").glob("*.md")):
        written = key_points(chapter.read_text(encoding="utf-8"))[1]
        page = (root / "_build" / "work" / "html" / f"{chapter.stem}.html").read_text(encoding="utf-8")
        for series in (s for s in added if f"{{fig}}`{s}@latest`" in written):
            points = re.search(r'class="[^"]*key-points[^"]*">(.*?)</div>', page, re.S)[1]
            links = re.findall(rf'href="methods.html#data-{added[series]}"[^>]*>(.*?)</a>', points, re.S)
            assert any(formatting.number(values[series]) in text for text in links), (chapter.name, series, links)
            named.add(series)
    assert named == set(added)
    rules = run(root, "scripts/run", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not build and not browser",
                "tests/test_data.py", "tests/test_bibliography.py", "tests/test_chapters.py", "tests/test_charts.py")
    assert rules.returncode == 0, rules.stdout[-4000:]
