"""CONTRIBUTING's workflows followed as written, on a temporary copy of the project."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from buildtools import REPO, second_checkout
from conftest import replace_in
from nkreport import bib, data, formatting, versions
from test_chapters import key_points

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
# A report the archive does not relay: no post, so its quote is not looked for in the archive.
NEW_ROW = ("defectors-resident-2015-rfa2099,defectors-resident,as-of,calendar,2015-06-01,2015-06-01,27500,,,"
           "people,about,rfa2099walkthrough,,a walkthrough phrase,,\n")


def run(root, *command: str) -> subprocess.CompletedProcess:
    """A command as CONTRIBUTING writes it, with this test run's environment (NKREPORT_VENV)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"NKREPORT_VENV": sys.prefix, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    result.stdout += result.stderr
    return result


def add_a_source(root: Path) -> None:
    """CONTRIBUTING: "Adding a new source is a BibTeX entry in references.bib plus rows that use its key",
    released as a data update; until its version is bumped, validation refuses the changed data.

    test_workflow's new-year walkthrough goes on from here: its new data version adds this source, and
    its build lists it (:func:`the_source_is_listed`) and passes the fast checks."""
    with (root / "references.bib").open("a", encoding="utf-8") as bibliography:
        bibliography.write(NEW_SOURCE)
    with (root / "data" / "figures.csv").open("a", encoding="utf-8") as figures:
        figures.write(NEW_ROW)
    refused = run(root, "scripts/run", "python", "-m", "nkreport", "validate")
    assert refused.returncode == 1, refused.stdout[-3000:]
    assert "data/figures.csv:1:1: changed since data version" in refused.stdout, refused.stdout[-3000:]


def the_source_is_listed(root: Path) -> None:
    """In the site ``root`` has built: the new source's row on the Data page and its entry in the
    Bibliography, which lacks no field."""
    site = root / "_build" / "html"
    assert 'id="data-defectors-resident-2015-rfa2099"' in (site / "methods.html").read_text(encoding="utf-8")
    assert "A walkthrough report on arrivals" in (site / "bibliography.html").read_text(encoding="utf-8")
    assert bib.missing_fields(root / "references.bib") == []


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
def test_add_a_chart_and_a_chapter_are_the_templates_the_chart_directive_and_a_toctree_line(tmp_path, chart_cache):
    """CONTRIBUTING's "Add a chart" (to a chapter there is), then "Add a chapter" (with a chart of its own),
    in one checkout: each chapter passes ``make check``, and the rules pass on both charts and the chapter."""
    root = second_checkout(tmp_path, charts_from=chart_cache)
    series = "men-arrivals"
    name = "men_arrivals_by_year"
    label = add_a_chart(root, name, series)
    # "Embed it with ```{chart} NAME```" in a chapter before its sources, referred to by its label: in a
    # chapter whose key points already name the series' newest value.
    chapter = next(page for page in sorted((root / "report").glob("*.md"))
                   if f"{series}@latest`" in key_points(page.read_text(encoding="utf-8"))[1])
    replace_in(chapter, "\n## Sources\n", f"\n```{{chart}} {name}\n```\n\n{{numref}}`{label}` shows the men "
               "among arrivals each year.\n\n## Sources\n")
    checked = run(root, "make", "check", f"CHAPTER={chapter.stem}")
    assert checked.returncode == 0, checked.stdout[-4000:]
    page = (root / "_build" / "work" / "html" / f"{chapter.stem}.html").read_text(encoding="utf-8")
    assert re.search(rf'<svg [^>]*id="{name}" class="chart-svg"', page) and f'id="{label}"' in page
    plotted = (root / "report" / "_generated" / "charts" / f"{name}.csv").read_text(encoding="utf-8")
    newest = REPO.load().select(f"{series}@latest")
    assert newest.id in plotted

    # "Copy templates/chapter.md to report/NAME.md and replace each word in capitals", its chart added as above.
    chapter_chart = "men_arrivals_in_their_chapter"
    chapter_label = add_a_chart(root, chapter_chart, series)
    chapter = root / "report" / "men-arriving.md"
    shutil.copy(root / "templates" / "chapter.md", chapter)
    for placeholder, value in (("TITLE", "Men among arrivals"), ("SERIES", series), ("CHART_MODULE", chapter_chart),
                               ("CHART_LABEL", chapter_label), ("SOURCE", newest.source)):
        text = chapter.read_text(encoding="utf-8")
        assert placeholder in text, placeholder
        chapter.write_text(re.sub(rf"\b{placeholder}\b", value, text), encoding="utf-8")
    replace_in(root / "report" / "index.md", "\nmethods\n", "\nmen-arriving\nmethods\n")
    checked = run(root, "make", "check", "CHAPTER=men-arriving")
    assert checked.returncode == 0, checked.stdout[-4000:]
    page = (root / "_build" / "work" / "html" / "men-arriving.html").read_text(encoding="utf-8")
    assert "Men among arrivals" in page and re.search(rf'<svg [^>]*id="{chapter_chart}" class="chart-svg"', page)
    assert 'href="men-arriving.html"' in (root / "_build" / "work" / "html" / "index.html").read_text(encoding="utf-8")
    follows_the_rules(root, name, chapter_chart, "men-arriving")


def release_file(root: Path) -> tuple[Path, int, dict[str, Decimal]]:
    """The ministry's table a year on, made from its kept copy: the newest year restated as final, and the next
    year, provisional as the ministry marks it, with one more man than the year before (so the numbers differ and
    every claim about them still holds). Returns the file, the new year and each series' new value."""
    ds = data.load(root / "data", root / "references.bib")
    kept = max((r for r in ds.releases.values() if r.snapshot.endswith(".json")), key=lambda r: r.date_published)
    records = json.loads((root / "data" / kept.snapshot).read_text(encoding="utf-8"))
    last = records[-1]
    year = ds.select("arrivals@latest").year + 1
    last["period"] = f"{year - 1:04}"[2:]
    records.append({"period": f"{year % 100:02}.12(잠정)", "male": last["male"] + 1, "female": last["female"],
                    "total": last["total"] + 1, "female_pct": round(last["female"] * 100 / (last["total"] + 1), 1)})
    file = root.parent / "table.json"
    file.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    values = {"arrivals": Decimal(last["total"] + 1), "men-arrivals": Decimal(last["male"] + 1),
              "women-arrivals": Decimal(last["female"])}
    return file, year, values


@pytest.mark.build
def test_update_the_data_with_a_new_release_moves_charts_and_numbers(tmp_path, chart_cache):
    root = second_checkout(tmp_path, charts_from=chart_cache)
    # Get the file, run the command, read the summary.
    file, year, values = release_file(root)
    updated = run(root, "scripts/run", "python", "-m", "nkreport", "update", str(file), "--published",
                  f"{year + 1}-02-04", "--accessed", f"{year + 1}-02-05", "--url",
                  "https://www.unikorea.go.kr/web/unikorea/contents/status_lately")
    assert updated.returncode == 0, updated.stdout
    assert f"New: {year}, provisional: {formatting.number(values['arrivals'])} arrivals" in updated.stdout
    # Build.
    built = run(root, "bash", "scripts/build")
    assert built.returncode == 0, built.stdout[-4000:]
    ds = data.load(root / "data", root / "references.bib")
    added = {series: ds.select(f"{series}@latest").id for series in values}
    assert all(ds.figure(figure_id).year == year for figure_id in added.values())
    plotted = "".join(p.read_text(encoding="utf-8") for p in (root / "report" / "_generated" / "charts").glob("*.csv"))
    assert all(figure_id in plotted for figure_id in added.values()), plotted[-2000:]
    # Key points that name a series' newest value now give the new year's, linked to its provenance.
    named = set()
    for chapter in sorted((root / "report").glob("*.md")):
        written = key_points(chapter.read_text(encoding="utf-8"))[1]
        page = (root / "_build" / "html" / f"{chapter.stem}.html").read_text(encoding="utf-8")
        for series in (s for s in added if f"{{fig}}`{s}@latest`" in written):
            points = re.search(r'class="[^"]*key-points[^"]*">(.*?)</div>', page, re.S)[1]
            links = re.findall(rf'href="methods.html#data-{added[series]}"[^>]*>(.*?)</a>', points, re.S)
            assert any(formatting.number(values[series]) in text for text in links), (chapter.name, series, links)
            named.add(series)
        if "{period}`arrivals@latest`" in written:
            assert str(year) in re.search(r'class="[^"]*key-points[^"]*">(.*?)</div>', page, re.S)[1], chapter.name
    assert named == set(added)
    # The front page links what the version changed, with its version and date; that page says it in words.
    index = (root / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'href="whats-new.html"[^>]*>[^<]*What’s new in version {re.escape(ds.version)}', index)
    assert formatting.date_words(ds.descriptor["updated"]) in index
    # The page as read: tags and the numbers' provenance previews (tooltips) left out.
    news = (root / "_build" / "html" / "whats-new.html").read_text(encoding="utf-8")
    news = re.sub(r"<[^>]+>", "", re.sub(r'<span class="nk-preview".*?</span></span>', "", news, flags=re.S))
    assert f"now runs to {year}: {formatting.number(values['arrivals'])}, provisional" in news
    assert f"{year - 1} before, {year} now" in news
    cite = (root / "_build" / "html" / "cite.html").read_text(encoding="utf-8")
    assert all(f"<strong>{version.version}</strong>" in cite for version in versions.history(root / "data"))
    rules = run(root, "scripts/run", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not build and not browser",
                "tests/test_data.py", "tests/test_bibliography.py", "tests/test_chapters.py", "tests/test_charts.py")
    assert rules.returncode == 0, rules.stdout[-4000:]
