"""Each chart on the site as a reader meets it, in headless Chromium: every mark says its value, period and
source on hover and on keyboard focus; a chart is one tab stop, the arrow keys moving between its marks; a
table under the chart holds every row of its CSV; and the figure numbers of the site and the PDF agree.
Every chart is checked, found by the charts package, with no data values written here."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from buildtools import REPO
from nkreport import charts, formatting
from nkreport.charts._rows import gid
from test_browser import VIEWPORTS, visit
from test_pdf import normalised, poppler

pytestmark = [pytest.mark.build, pytest.mark.browser]

# Each chart on its page: the number in its caption, its table view, and its marks' words and ids.
READ_CHARTS = """(names) => Object.fromEntries(names.filter(name => document.getElementById(name)).map(name => {
    const svg = document.getElementById(name), figure = svg.closest('figure');
    const details = figure.nextElementSibling;
    return [name, {
        label: figure.id,
        number: figure.querySelector('figcaption .caption-number').textContent.trim(),
        summary: details && details.matches('details.chart-data') ? details.querySelector('summary').textContent : null,
        table: details ? [...details.querySelectorAll('tbody tr')].map(
            tr => [...tr.cells].map(td => td.textContent.trim())) : [],
        marks: [...svg.querySelectorAll('[id]')].map(e => ({
            id: e.id.slice(name.length + 1), words: e.getAttribute('aria-label'), tabindex: e.getAttribute('tabindex'),
            row: e.dataset.row === undefined ? null : Number(e.dataset.row),
        })),
    }];
}))"""


def csv_rows(html: Path, name: str) -> list[dict]:
    [path] = html.glob(f"_downloads/*/{name}.csv")
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def numbers_in(row: dict) -> list[str]:
    """The row's value, or its low and high, as the report writes numbers."""
    return [formatting.amount(Decimal(row[key])) for key in ("value", "low", "high") if row[key]]


def pages_with_charts(html: Path) -> list[str]:
    return sorted(p.name for p in html.glob("*.html") if 'class="chart-svg"' in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seen(browser, site, html):
    """Every chart as the site shows it, by name, with the page it is on."""
    found = {}
    for page_name in pages_with_charts(html):
        context, page, problems = visit(browser, f"{site}/{page_name}", VIEWPORTS["desktop"])
        assert problems == []
        for name, chart in page.evaluate(READ_CHARTS, list(charts.CHARTS)).items():
            found[name] = chart | {"page": page_name}
        context.close()
    assert sorted(found) == sorted(charts.CHARTS), "every chart is on a page of the site"
    return found


@pytest.mark.parametrize("name", charts.CHARTS)
def test_table_view_holds_every_row_of_the_csv(seen, html, name):
    chart = seen[name]
    rows = csv_rows(html, name)
    assert chart["summary"] == f"Data table for {chart['number']}"
    assert len(chart["table"]) == len(rows)
    for row, (what, period, value, source) in zip(rows, chart["table"], strict=True):
        assert what and what != "–", row["id"]
        assert row["period"] in period, (row["id"], period)
        assert all(number in value for number in numbers_in(row)), (row["id"], value)
        assert value == "–" if not numbers_in(row) else value != "–"
        assert (source.startswith("computed here from ") if row["derived"] == "True"
                else source == row["source_label"]), (row["id"], source)


@pytest.mark.parametrize("name", charts.CHARTS)
def test_every_row_has_a_focusable_mark_that_says_its_table_row(seen, html, name):
    chart = seen[name]
    rows = csv_rows(html, name)
    marks_of = {}
    for mark in chart["marks"]:
        marks_of.setdefault(mark["id"].split("--")[0], []).append(mark)
    for row, (what, period, value, source) in zip(rows, chart["table"], strict=True):
        marks = marks_of.get(gid(row["id"]))
        assert marks, f"{name}: no mark shows row {row['id']}"
        # The row's own mark takes focus (from the arrow keys); its secondary parts show its words on hover.
        assert [m["tabindex"] for m in marks if m["id"] == gid(row["id"])] in (["0"], ["-1"]), (row["id"], marks)
        for mark in marks:
            words = mark["words"]
            assert what in words and period in words and source in words, (row["id"], words)
            assert value == "–" or value in words, (row["id"], words)
    unnamed = [m["id"] for m in chart["marks"] if m["words"] is None and m["tabindex"] is not None]
    assert unnamed == []


@pytest.mark.parametrize("name", charts.CHARTS)
def test_a_chart_is_one_tab_stop(seen, name):
    stops = [m["id"] for m in seen[name]["marks"] if m["tabindex"] == "0"]
    assert len(stops) == 1, f"{name}: {len(stops)} tab stops: {stops}"


def test_ids_are_unique_on_every_page(browser, site, html):
    for page_name in pages_with_charts(html):
        context, page, _ = visit(browser, f"{site}/{page_name}", VIEWPORTS["phone"])
        repeated = page.evaluate("""() => {
            const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
            return ids.filter((id, i) => ids.indexOf(id) !== i);
        }""")
        context.close()
        assert repeated == [], page_name


TIP = """() => {
    const tip = document.querySelector('.chart-tip'), active = document.activeElement;
    const box = tip && !tip.hidden ? tip.getBoundingClientRect() : null;
    const style = getComputedStyle(active);
    const inView = box && box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= innerWidth
        && box.top >= 0 && box.bottom <= innerHeight;
    return {
        tip: inView ? tip.textContent : null,
        active: active.id, words: active.getAttribute('aria-label'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
}"""


def by_page(seen: dict) -> dict[str, dict]:
    """The charts of each page, by name: a page is opened once for all of its charts."""
    pages: dict[str, dict] = {}
    for name, chart in seen.items():
        pages.setdefault(chart["page"], {})[name] = chart
    return pages


@pytest.mark.parametrize("width", VIEWPORTS)
def test_arrow_keys_move_through_every_mark_showing_its_words(browser, site, seen, width):
    for page_name, charts_on_page in by_page(seen).items():
        context, page, problems = visit(browser, f"{site}/{page_name}", VIEWPORTS[width])
        for name, chart in charts_on_page.items():
            # Start on the chart's drawing (not itself a tab stop): Tab goes to the mark of the first row.
            page.evaluate("(name) => document.getElementById(name).focus()", name)
            marks = sorted((m for m in chart["marks"] if m["row"] is not None), key=lambda m: m["row"])
            page.keyboard.press("Tab")
            for step, mark in enumerate(marks):
                if step:
                    page.keyboard.press("ArrowRight" if step % 2 else "ArrowDown")
                state = page.evaluate(TIP)
                assert state["active"] == f"{name}-{mark['id']}", (name, state)
                assert state["tip"] == mark["words"], (name, width, state)
                assert state["outline"], f"{name}: focused mark {mark['id']} has no visible outline"
            page.keyboard.press("ArrowRight")
            assert page.evaluate(TIP)["active"] == f"{name}-{marks[-1]['id']}", "the last mark stays focused"
            page.keyboard.press("Home")
            assert page.evaluate(TIP)["active"] == f"{name}-{marks[0]['id']}"
            page.keyboard.press("End")
            page.keyboard.press("ArrowLeft")
            assert page.evaluate(TIP)["active"] == f"{name}-{marks[-2 if len(marks) > 1 else 0]['id']}"
            page.keyboard.press("Escape")
            state = page.evaluate(TIP)
            assert state["tip"] is None and state["active"] == name, "Escape hides the tooltip and leaves the marks"
            # Tab goes on past the chart; Shift+Tab comes back to the mark last focused.
            page.keyboard.press("Tab")
            assert not page.evaluate("(name) => document.getElementById(name).contains(document.activeElement)", name)
            page.keyboard.press("Shift+Tab")
            assert page.evaluate(TIP)["active"] == f"{name}-{marks[-2 if len(marks) > 1 else 0]['id']}"
        context.close()
        assert problems == [], page_name


# A point of the viewport where the pointer is over the mark itself (its fill or stroke, not a gap in it), even
# where another mark is drawn over it, searched on a grid over its box; null where the pointer cannot reach it.
POINT_ON = """(id) => {
    const mark = document.getElementById(id), box = mark.getBoundingClientRect();
    for (let i = 0; i <= 12; i++) for (let j = 0; j <= 12; j++) {
        // Whole pixels, as the pointer moves.
        const x = Math.round(box.left + box.width * (0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) / 12));
        const y = Math.round(box.top + box.height * (0.5 + (j % 2 ? 1 : -1) * Math.ceil(j / 2) / 12));
        if (document.elementsFromPoint(x, y).some(e => e.closest('.chart-mark') === mark)) return [x, y];
    }
    return null;
}"""


def test_the_pointer_reaches_every_mark(browser, site, seen):
    for page_name, charts_on_page in by_page(seen).items():
        context, page, _ = visit(browser, f"{site}/{page_name}", VIEWPORTS["desktop"])
        unreached = []
        for name, chart in charts_on_page.items():
            for mark in (m for m in chart["marks"] if m["row"] is not None):
                page.locator(f"#{name}-{mark['id']}").scroll_into_view_if_needed()
                point = page.evaluate(POINT_ON, f"{name}-{mark['id']}")
                if point is None:
                    unreached.append(f"{name}: {mark['id']}")
                    continue
                page.mouse.move(*point)
                # Over marks drawn one on another, the tooltip says each of them.
                assert mark["words"] in page.evaluate(TIP)["tip"].split("\n"), (name, mark["id"])
        context.close()
        assert unreached == [], f"{page_name}: the pointer cannot reach {unreached}"


# --- the same figure numbers on the site and in the PDF ------------------------------------------


def test_pdf_numbers_each_chart_as_the_site_does(seen, html, pdf):
    flat = normalised(poppler("pdftotext", str(pdf), "-"))
    # The number LaTeX gives each label, as \\ref prints it (a {numref} in the PDF).
    aux = (pdf.parent / pdf.name.replace(".pdf", ".aux")).read_text(encoding="utf-8", errors="replace")
    refs = dict(re.findall(r"\\newlabel\{[^:{}]+:([^{}]+)\}\{\{([^{}]*)\}", aux))
    for name, chart in seen.items():
        number = chart["number"].removeprefix("Figure ").strip()
        module = charts.get(name)
        opening = chart_caption_opening(name)
        assert f"Figure {number}: {opening}" in flat, f"{name}: the PDF's caption is not Figure {number}"
        assert refs.get(module.LABEL) == number, (name, refs.get(module.LABEL), number)
        # Every {numref} to it on the site says the caption's number too.
        for page in html.glob("*.html"):
            said = re.findall(rf'href="[^"]*#{module.LABEL}"><span class="std std-numref">([^<]*)</span>',
                              page.read_text(encoding="utf-8"))
            assert set(said) <= {chart["number"]}, (name, page.name, said)
    assert "Data for this chart" not in flat, "the PDF prints the site's download link as dead text"


def chart_caption_opening(name: str) -> str:
    """The first words of the chart's caption, up to any markup (as pdftotext reads them)."""
    module = charts.get(name)
    caption = module.caption(module.rows(REPO.load()))
    return re.split(r"[{`]|\. ", caption)[0][:60].strip()

