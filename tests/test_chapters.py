"""Chapters: figures, citations, numbers bound to the data, claims that fail when the data moves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from buildtools import REPO, copy_project, revise_figure, sphinx
from nkreport import charts, formatting

# Every page of report/ is checked; chapters are all pages but the front page, summary, appendix and bibliography.
ALL_PAGES = sorted(p.stem for p in REPO.report_dir.glob("*.md"))
# The data downloads, what's new, data changelog and citation pages are reference pages for readers, not chapters.
CHAPTERS = [
    name for name in ALL_PAGES
    if name not in {"index", "summary", "methods", "bibliography", "data", "whats-new", "changelog", "cite"}
]
FIGURE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")

FENCE = re.compile(r"^(```+|:::+).*?^\1\s*$", re.S | re.M)
# Directives whose body is prose a reader reads (the rest hold code, data or options).
PROSE_DIRECTIVE = re.compile(r"^(```+|:::+)\{(admonition|list-table|note|important|tip|warning|seealso|sidebar)\}")
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
QUOTATION = re.compile(r"“([^”]*)”")
YEARS = re.compile(r"\b(?:mid-)?(?:19[89]\d|20[0-3]\d)s?(?:\s*[–-]\s*(?:\d\d|19[89]\d|20[0-3]\d))?\b")


def page(name: str) -> str:
    return (REPO.report_dir / f"{name}.md").read_text(encoding="utf-8")


def without_code(fence: re.Match) -> str:
    """A fenced block blanked, line for line; of a prose directive (key points, a table) only its
    opening line and options, so that its text is held to the rules of prose."""
    lines = fence[0].split("\n")
    if not PROSE_DIRECTIVE.match(lines[0]):
        return "\n" * (len(lines) - 1)
    options = next((n for n, line in enumerate(lines[1:], 1) if not line.startswith(":")), len(lines))
    return "\n" * options + "\n".join(lines[options:-1]) + "\n"


def prose_lines(text: str):
    """(line number, text) of prose: code and data blocks, roles, substitutions and targets blanked."""
    blanked = FENCE.sub(without_code, text)
    for number, line in enumerate(blanked.splitlines(), start=1):
        line = re.sub(r"\{\{[^}]*\}\}", "", ROLE.sub("", line))
        if re.match(r"^\(.*\)=\s*$", line):
            continue
        yield number, line


def quoted_phrases() -> list[str]:
    ds = REPO.load()
    return [row.quote for row in [*ds.figures.values(), *ds.events.values()]]


def key_points(text: str) -> tuple[int, str]:
    """The line the chapter's key-points callout starts on, and its text (empty if it has none)."""
    match = re.search(r"^```\{admonition\} Key points\n.*?^```\s*$", text, re.S | re.M)
    return (text.count("\n", 0, match.start()) + 1, match[0]) if match else (1, "")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_follows_the_chapter_rules(chapter):
    """A chapter opens with key points, embeds a chart it refers to by name, cites, and closes with its sources."""
    text, where = page(chapter), f"report/{chapter}.md"
    lines = text.splitlines()
    problems = []
    if not key_points(text)[1]:
        problems.append(f"{where}:1: no key points: open with a ```{{admonition}} Key points callout")
    if not re.search(r"^```\{chart\} \w+", text, re.M):
        problems.append(f"{where}:1: no chart: embed one with ```{{chart}} NAME")
    elif "{numref}`fig-" not in text:
        problems.append(f"{where}:1: never refers to its chart: name it with {{numref}}`fig-NAME`")
    if not re.search(r"\{cite:[pt]\}`", text):
        problems.append(f"{where}:1: cites nothing: cite sources with {{cite:p}}`KEY`")
    headings = [(n, line[3:].strip()) for n, line in enumerate(lines, start=1) if line.startswith("## ")]
    if not headings or headings[-1][1] != "Sources":
        line = headings[-1][0] if headings else len(lines)
        problems.append(f"{where}:{line}: does not close with its sources: end with a '## Sources' section")
    assert problems == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_key_points_reach_the_newest_period_of_every_official_series_charted(chapter):
    """When a new year is added, the chapter's key points move with it: they name each series' latest value."""
    text = page(chapter)
    line, points = key_points(text)
    ds = REPO.load()
    problems = []
    for name in re.findall(r"^```\{chart\} (\w+)", text, re.M):
        named = {i for row in charts.get(name).rows(ds) for i in FIGURE_ID.findall(row["id"]) if i in ds.figures}
        for series in sorted({ds.figure(i).series for i in named if ds.figure(i).is_official}):
            if f"{series}@latest`" not in points:
                newest = formatting.period_label(ds.select(f"{series}@latest"))
                problems.append(
                    f"report/{chapter}.md:{line}: key points do not reach {series}'s newest period ({newest}), "
                    f"charted in {name}: add {{fig}}`{series}@latest` or {{period}}`{series}@latest`"
                )
    assert problems == []


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
def test_pages_that_render_numbers_have_doctests(name):
    text = page(name)
    if re.search(r"\{(fig|calc)\}`", text):
        assert "```{doctest}" in text, (
            f"report/{name}.md:1: renders numbers but pins no claim: add a ```{{doctest}} block")


@pytest.mark.build
def test_changing_a_quoted_figure_fails_naming_chapter_line_and_claim(tmp_path: Path, chart_cache: Path):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    # 2014 arrivals up from 1,396 to 2,600: "fell by almost half" no longer holds.
    revise_figure(root / "data" / "figures.csv", "arrivals-2014-yonhap2015", "2600")
    result = sphinx(root, "doctest", root / "_doctest", check=False)
    assert result.returncode != 0
    failures = re.findall(r'([\w-]+\.md):(\d+): WARNING: doctest "# Claim: [^"]*" failed', result.stdout)
    assert failures, result.stdout[-3000:]
    assert {"demographics.md"} <= {chapter for chapter, _ in failures}


@pytest.mark.build
def test_chapter_doctests_pass(built: Path):
    """The shared build ran the chapters' doctests (scripts/build's doctest step); its report says so."""
    summary = (built / "_build" / "work" / "doctest" / "output.txt").read_text(encoding="utf-8")
    assert "0 failures in tests" in summary and "0 failures in setup code" in summary, summary[-3000:]
    total = summary.rpartition("Doctest summary")[2]
    assert int(re.search(r"(\d+) tests", total)[1]) >= 100


@pytest.mark.parametrize("name", ["index", "summary"])
def test_front_page_and_summary_open_with_the_newest_count_against_the_peak_of_the_same_table(name):
    """A reader's first paragraph answers: the newest count and its year, the peak of the current table, the fall."""
    text = page(name)
    first = next(p for p in re.split(r"\n\s*\n", text.split("\n", 1)[1]) if p.strip() and not p.startswith("#"))
    for role in ("{fig}`arrivals@latest`", "{period}`arrivals@latest`", "{fig}`arrivals@peak`",
                 "{period}`arrivals@peak`", "percent_fall(arrivals@peak, arrivals@latest"):
        assert role in first, f"report/{name}.md: the opening paragraph lacks {role}"
    assert "provisional" in first, (f"report/{name}.md: the opening paragraph does not say the newest count "
                                    "is provisional")

