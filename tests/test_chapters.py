"""Chapters: figures, citations, numbers bound to the data, claims that fail when the data moves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from buildtools import copy_project, sphinx
from conftest import revise_figure
from nkreport import data
from nkreport.paths import REPORT_DIR

CHAPTERS = ["border-controls", "demographics", "elite-defections", "us-refugees", "market-survey"]
ALL_PAGES = ["index", "summary", *CHAPTERS, "methods"]

FENCE = re.compile(r"^(```+|:::+).*?^\1\s*$", re.S | re.M)
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
QUOTATION = re.compile(r"“([^”]*)”")
YEARS = re.compile(r"\b(?:mid-)?(?:19[89]\d|20[0-3]\d)s?(?:\s*[–-]\s*(?:\d\d|19[89]\d|20[0-3]\d))?\b")


def page(name: str) -> str:
    return (REPORT_DIR / f"{name}.md").read_text(encoding="utf-8")


def prose_lines(text: str):
    """(line number, text) of prose: fenced blocks, roles, substitutions and targets blanked."""
    blanked = FENCE.sub(lambda m: "\n" * m[0].count("\n"), text)
    for number, line in enumerate(blanked.splitlines(), start=1):
        line = re.sub(r"\{\{[^}]*\}\}", "", ROLE.sub("", line))
        if re.match(r"^\(.*\)=\s*$", line):
            continue
        yield number, line


def quoted_phrases() -> list[str]:
    ds = data.load()
    return [row.quote for row in [*ds.figures.values(), *ds.events.values()]]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_embeds_a_chart_and_refers_to_it(chapter):
    text = page(chapter)
    assert re.search(r"^```\{chart\} \w+", text, re.M), f"{chapter}.md embeds no chart"
    assert "{numref}`fig-" in text, f"{chapter}.md never refers to a figure by name"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_opens_with_key_points_cites_and_closes_with_sources(chapter):
    text = page(chapter)
    assert re.search(r"\{cite:[pt]\}`", text), f"{chapter}.md cites nothing"
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings and headings[-1].strip() == "Sources", f"{chapter}.md does not close with its sources"
    assert "Key points" in text.split("\n## ", 1)[0] + text, f"{chapter}.md has no key points"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_number_in_prose_is_rendered_from_the_data(name):
    """Bare digits are allowed only as years or inside quotations the data holds."""
    phrases = quoted_phrases()
    problems = []
    for number, line in prose_lines(page(name)):
        for quotation in QUOTATION.findall(line):
            if re.search(r"\d", quotation) and not any(quotation.strip(" .,…") in p for p in phrases):
                problems.append(f"{name}.md:{number}: quotation with a number not in the data: “{quotation}”")
        outside = YEARS.sub("", QUOTATION.sub("", line))
        for digits in re.findall(r"\d[\d,.]*", outside):
            problems.append(f"{name}.md:{number}: bare number {digits!r}: use {{fig}} or {{calc}}")
    assert problems == []


@pytest.mark.parametrize("name", ALL_PAGES)
def test_pages_have_doctests(name):
    assert "```{doctest}" in page(name) or name == "index"


@pytest.mark.build
def test_changing_a_quoted_figure_fails_naming_chapter_line_and_claim(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    # 2014 arrivals up from 1,396 to 2,600: "fell by almost half" no longer holds.
    revise_figure(root / "data" / "figures.csv", "arrivals-2014-yonhap2015", "2600")
    result = sphinx(root, "doctest", root / "_doctest", check=False)
    assert result.returncode != 0
    failures = re.findall(r'File "(?:.*/)?([\w-]+\.md)", line (\d+)', result.stdout)
    assert failures, result.stdout[-3000:]
    assert "Claim:" in result.stdout
    assert {"demographics.md"} <= {chapter for chapter, _ in failures}


@pytest.mark.build
def test_chapter_doctests_pass(tmp_path: Path):
    from nkreport.paths import ROOT

    result = sphinx(ROOT, "doctest", tmp_path / "doctest")
    summary = (tmp_path / "doctest" / "output.txt").read_text(encoding="utf-8")
    assert "0 failures in tests" in summary and "0 failures in setup code" in summary, result.stdout[-3000:]
    total = summary.rpartition("Doctest summary")[2]
    assert int(re.search(r"(\d+) tests", total)[1]) >= 100
