"""Numbers show their provenance where they stand, the provenance list reads as prose for people, and a
textual citation names its author once: periods in words, every number's preview in Chromium (hover and
keyboard focus, at desktop and phone width), the provenance list in HTML and in the PDF's text."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import date
from urllib.parse import unquote

import pytest
from buildtools import REPO
from nkreport import bib, formatting
from test_browser import VIEWPORTS, visit

ISO_DATE = r"\d{4}-\d{2}-\d{2}"
FIGURE_LINK = re.compile(r"#data-(.+)$")
CALC_ROLE = re.compile(r"\{calc\}`([^`]+)`")
CITE_T = re.compile(r"\{cite:t\}`([^`]+)`")
INLINE_CODE = re.compile(r"(?<!`)``(?!`)(?:[^`]|`(?!`))+?``(?!`)")
FENCE = re.compile(r"\s*(`{3,})(.*)")


def split_code(text: str) -> tuple[str, list[str]]:
    """MyST source as its prose (directives included) and the Markdown it shows as code: literal blocks
    and ``inline code`` (the methods chapter shows how a role is written)."""
    prose, code, fences = [], [], []  # fences: (backticks, shows code) of each open fence
    for line in text.splitlines():
        opened = FENCE.fullmatch(line)
        if fences and line.strip() == fences[-1][0]:
            fences.pop()
        elif opened:
            fences.append((opened[1], not opened[2].startswith("{")))
        (code if any(shows for _, shows in fences) else prose).append(line)
    kept = "\n".join(prose)
    return INLINE_CODE.sub("", kept), ["\n".join(code), *INLINE_CODE.findall(kept)]


def chapter_prose(page: str) -> str:
    """A chapter's MyST source without the Markdown it shows as code."""
    source = REPO.report_dir / page.replace(".html", ".md")
    return split_code(source.read_text(encoding="utf-8"))[0] if source.exists() else ""


def ids_shown_as_code() -> set[str]:
    """Figure ids the chapters print on purpose, as code examples of the roles."""
    code = " ".join(c for p in REPO.report_dir.glob("*.md") for c in split_code(p.read_text(encoding="utf-8"))[1])
    return {i for i in REPO.load().figures if i in code}


# --- periods in words ------------------------------------------------------------------------------


def period(period_type: str, start: date | None, end: date, basis: str = "calendar"):
    """A figure of the data given another period."""
    figure = next(iter(REPO.load().figures.values()))
    return dataclasses.replace(figure, period_type=period_type, year_basis=basis, period_start=start, period_end=end)


@pytest.mark.parametrize("figure, words", [
    (period("half", date(2013, 1, 1), date(2013, 6, 30)), "the first half of 2013"),
    (period("half", date(2013, 7, 1), date(2013, 12, 31)), "the second half of 2013"),
    (period("quarter", date(2012, 10, 1), date(2012, 12, 31)), "the fourth quarter of 2012"),
    (period("month", date(2014, 2, 1), date(2014, 2, 28)), "February 2014"),
    (period("date-range", date(2014, 1, 1), date(2014, 5, 31)), "January–May 2014"),
    (period("date-range", date(2021, 10, 1), date(2022, 6, 30)), "October 2021 to June 2022"),
    (period("date-range", date(2011, 1, 1), date(2014, 12, 31)), "2011–2014"),
    (period("date-range", date(2012, 1, 1), date(2014, 2, 19)), "January 2012 to 19 February 2014"),
    (period("fiscal-year", date(2015, 10, 1), date(2016, 9, 30), "fiscal"), "fiscal year 2016"),
    (period("as-of", None, date(2015, 6, 30)), "as of June 2015"),
    (period("as-of", date(2015, 7, 5), date(2015, 7, 5)), "as of 5 July 2015"),
    (period("before", None, date(1998, 12, 31)), "before 1999"),
    (period("each-year", date(2006, 1, 1), date(2012, 12, 31)), "each year, 2006–2012"),
])
def test_a_period_reads_in_words(figure, words):
    assert formatting.period_words(figure) == words


@pytest.mark.parametrize("given, words", [
    (date(2014, 4, 8), "8 April 2014"), ("2015-07-05", "5 July 2015"), ("2015-08", "August 2015"), ("2015", "2015"),
    ("summer 2015", "summer 2015"), ("2015-13-01", "2015-13-01"),  # free text stays as written
])
def test_a_date_reads_in_words_as_precise_as_given(given, words):
    assert formatting.date_words(given) == words


def test_every_period_of_the_data_reads_in_words_with_its_own_years():
    for figure in REPO.load().figures.values():
        words = formatting.period_words(figure)
        assert not re.search(r"\d{4}-\d{2}", words), (figure.id, words)
        years = {int(year) for year in re.findall(r"\d{4}", words)}
        first = (figure.period_start or figure.period_end).year
        assert years and years <= set(range(first, figure.period_end.year + 2)), (figure.id, words)


# --- what each page shows of its numbers, in Chromium ----------------------------------------------

NUMBERS = """() => [...document.querySelectorAll('main .data-figure, main .data-derived')].map(number => {
    const target = number.closest('a') || number;
    const tip = document.getElementById(target.getAttribute('aria-describedby') || '');
    return {
        text: number.textContent, derived: number.classList.contains('data-derived'),
        href: target.getAttribute('href'), focusable: target.tabIndex >= 0,
        role: tip && tip.getAttribute('role'), preview: tip ? tip.textContent : null,
        hidden: tip ? !tip.checkVisibility() : null,
        nested: tip ? tip.querySelectorAll('a, button, input, select, textarea, [tabindex]').length : 0,
    };
})"""

# Number i scrolled into view if it is not, the middle of its first line box (a number may wrap), and
# whether something else is on top there.
POINT_AT = """(i) => {
    const target = document.querySelectorAll('.nk-number')[i].firstElementChild;
    target.scrollIntoViewIfNeeded(true);
    const box = target.getClientRects()[0], x = box.left + box.width / 2, y = box.top + box.height / 2;
    return [x, y, !target.contains(document.elementFromPoint(x, y))];
}"""

# The preview of number i as shown now: visible, inside the window, its visible text.
SHOWN = """(i) => {
    const target = document.querySelectorAll('.nk-number')[i].firstElementChild;
    const tip = document.getElementById(target.getAttribute('aria-describedby'));
    const box = tip.getBoundingClientRect();
    return {visible: tip.checkVisibility(), text: tip.innerText, left: box.left, right: box.right,
            width: document.documentElement.clientWidth};
}"""

# Both in one round trip: the preview of number i as shown now, then the next number pointed at (or null).
SHOWN_THEN_POINT_AT = f"""(i) => [({SHOWN})(i),
    i + 1 < document.querySelectorAll('.nk-number').length ? ({POINT_AT})(i + 1) : null]"""

# The page's citations: text, the linked year, and the entry the link's title gives.
CITATIONS = """() => [...document.querySelectorAll('main .bibtex-citation')].map(c => ({
    text: c.textContent, year: c.querySelector('a') ? c.querySelector('a').textContent : '',
    entry: c.querySelector('a') ? c.querySelector('a').getAttribute('title') : ''}))"""

FOCUS_EACH = """() => [...document.querySelectorAll('.nk-number')].map((number, i) => {
    const target = number.firstElementChild;
    target.focus();
    const tip = document.getElementById(target.getAttribute('aria-describedby'));
    const box = tip.getBoundingClientRect();
    const shown = {focused: document.activeElement === target, visible: tip.checkVisibility(), text: tip.innerText,
                   left: box.left, right: box.right, width: document.documentElement.clientWidth};
    target.blur();
    return shown;
})"""


def expected_words(ds, href: str) -> list[str]:
    """What the preview of a number linked to ``href`` must say, from the data: source, period, quote."""
    figure = ds.figure(unquote(FIGURE_LINK.search(href)[1]))
    entry = bib.entries(REPO.bibliography)[figure.source]
    return [entry.fields["outlet"], formatting.period_words(figure), figure.cell or figure.quote]


def calc_inputs(ds, expression: str) -> list:
    """The figures a {calc} expression names, as the data holds them."""
    names = re.findall(r"[\w@-]+(?=\.(?:low|high)\b)|[\w@-]+@[\w-]+|[\w-]+", expression)
    return [ds.figure(name) for name in dict.fromkeys(names) if name in ds.figures or "@" in name]


def expected_derived(ds, page: str) -> list[list[str]]:
    """For each derived number of a chapter, what its preview must name of each input."""
    return [
        [item for figure in calc_inputs(ds, expression)
         for item in (formatting.figure(figure), formatting.period_words(figure), figure.source_label)]
        for expression in CALC_ROLE.findall(chapter_prose(page))
    ]


@pytest.fixture(scope="module")
def numbers(browser, site, pages):
    """Per page and width: each number with its preview, as hovered and as focused; and the page's
    citations, read before anything is hovered (one visit of each page serves both)."""
    found = {}
    for name in pages:
        for width, viewport in VIEWPORTS.items():
            context, page, problems = visit(browser, f"{site}/{name}", viewport)
            citations = page.evaluate(CITATIONS)
            listed = page.evaluate(NUMBERS)
            hovered = []
            targets = page.locator(".nk-number > :first-child")
            point = page.evaluate(POINT_AT, 0) if targets.count() else None
            while point is not None:
                # The pointer onto the number, scrolled to as Playwright's hover() would, without its waits for
                # stillness (a static page: they only cost time); first away, if the last preview covers it.
                x, y, covered = point
                if covered:
                    page.mouse.move(0, 0)
                page.mouse.move(x, y)
                shown, point = page.evaluate(SHOWN_THEN_POINT_AT, len(hovered))
                hovered.append(shown)
            page.mouse.move(0, 0)
            focused = page.evaluate(FOCUS_EACH)
            escaped = None
            if focused:
                targets.first.focus()
                page.keyboard.press("Escape")
                escaped = page.evaluate(SHOWN, 0) | {"still_focused": page.evaluate(
                    "() => document.activeElement === document.querySelector('.nk-number > :first-child')")}
            found[(name, width)] = {"listed": listed, "hovered": hovered, "focused": focused,
                                    "escaped": escaped, "problems": problems, "citations": citations}
            context.close()
    return found


@pytest.mark.build
@pytest.mark.browser
def test_every_number_on_every_page_is_described_by_a_hidden_preview(numbers):
    ds = REPO.load()
    total = 0
    for (name, width), seen in numbers.items():
        assert seen["problems"] == [], (name, width)
        for number in seen["listed"]:
            where = (name, width, number["text"])
            assert number["focusable"], where
            assert number["role"] == "tooltip" and number["preview"], where
            assert number["hidden"] and number["nested"] == 0, where
            if not number["derived"]:
                assert number["href"] and FIGURE_LINK.search(number["href"]), where
                assert all(words in number["preview"] for words in expected_words(ds, number["href"])), where
        total += len(seen["listed"])
        assert len(seen["hovered"]) == len(seen["focused"]) == len(seen["listed"]), (name, width)
    chapters = REPO.report_dir.glob("*.md")
    roles = sum(len(re.findall(r"\{(?:fig|calc|period)\}`", chapter_prose(p.name))) for p in chapters)
    assert total >= 2 * roles  # at both widths; pages may add numbers of their own (captions), never lose one


@pytest.mark.build
@pytest.mark.browser
def test_derived_numbers_preview_the_figures_they_are_computed_from(numbers):
    ds = REPO.load()
    for (name, width), seen in numbers.items():
        derived = [n for n in seen["listed"] if n["derived"]]
        expected = expected_derived(ds, name)
        assert len(derived) == len(expected), (name, width)
        for number in derived:  # footnotes move some from their place in the source: any of the page's will do
            named = [words for words in expected if words and all(w in number["preview"] for w in words)]
            assert named, (name, width, number["text"], number["preview"])


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("how", ["hovered", "focused"])
def test_hover_and_focus_show_the_preview_inside_the_window(numbers, how):
    ds = REPO.load()
    for (name, width), seen in numbers.items():
        for number, shown in zip(seen["listed"], seen[how], strict=True):
            where = (name, width, how, number["text"])
            assert shown["visible"], where
            assert shown.get("focused", True), where
            assert 0 <= shown["left"] and shown["right"] <= shown["width"], where
            words = expected_words(ds, number["href"]) if not number["derived"] else ["Derived", "From"]
            shown_text = " ".join(shown["text"].split())
            assert all(" ".join(w.split()) in shown_text for w in words), (where, words)


@pytest.mark.build
@pytest.mark.browser
def test_escape_hides_a_preview_and_keeps_focus(numbers):
    escaped = [seen["escaped"] for seen in numbers.values() if seen["escaped"]]
    assert escaped
    assert all(not e["visible"] and e["still_focused"] for e in escaped)


# --- the provenance list: prose, no ISO ranges, no raw ids ------------------------------------------

APPENDIX = """() => [...document.querySelectorAll('li[id^="data-"]')].map(item => {
    const words = item.cloneNode(true);
    words.querySelectorAll('.data-text').forEach(text => text.remove());
    return {id: item.id, text: item.textContent, own: words.textContent};
})"""


@pytest.mark.build
@pytest.mark.browser
def test_the_provenance_list_reads_as_prose(browser, site):
    ds = REPO.load()
    context, page, _ = visit(browser, f"{site}/methods.html", VIEWPORTS["desktop"])
    entries = page.evaluate(APPENDIX)
    context.close()
    assert sorted(e["id"] for e in entries) == sorted(f"data-{i}" for i in ds.figures)
    for entry in entries:
        figure = ds.figure(entry["id"].removeprefix("data-"))
        assert not re.search(ISO_DATE, entry["own"]), entry  # dates in the report's words, data text aside
        assert f"{formatting.figure(figure)} ({formatting.period_words(figure)})" in " ".join(entry["text"].split())
        assert [i for i in ds.figures if i in entry["own"]] == [], entry


@pytest.fixture(scope="module")
def pdf_text(pdf) -> dict[str, str]:
    """The PDF's text: as words (line-end hyphens undone), and without any white space (for ids)."""
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = re.sub(r"\s+", " ", re.sub(r"-\n\s*", "", raw))
    return {"words": words, "squeezed": re.sub(r"\s", "", raw), "unhyphenated": re.sub(r"\s", "", words)}


@pytest.mark.build
def test_the_pdf_prints_periods_in_words_and_no_raw_ids(pdf_text):
    ds = REPO.load()
    text = pdf_text["words"]
    printed = {i for i in ds.figures if i in pdf_text["squeezed"] or i in pdf_text["unhyphenated"]}
    # The data's own notes and changelog may name a row; the report prints them as they are.
    notes = " ".join([*(f.note for f in ds.figures.values()), *(r.note for r in ds.releases.values()),
                      (REPO.data_dir / "CHANGELOG.md").read_text(encoding="utf-8")])
    assert printed - ids_shown_as_code() - {i for i in ds.figures if i in notes} == set()
    iso = re.findall(rf"{ISO_DATE} to {ISO_DATE}|(?:\(as of|before|[Pp]ublished|read on) {ISO_DATE}", text)
    assert [dates for dates in iso if dates not in notes] == []
    missing = [f.id for f in ds.figures.values() if f"({formatting.period_words(f)})" not in text]
    assert missing == []


# --- textual citations -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def textual_citations(numbers):
    """(page, text, year, entry) of each citation that is not bracketed: the {cite:t} ones (at desktop width)."""
    return [(name, c) for (name, width), seen in numbers.items() if width == "desktop"
            for c in seen["citations"] if not c["text"].startswith("[")]


@pytest.mark.build
@pytest.mark.browser
def test_a_textual_citation_names_its_author_once_then_the_year(textual_citations):
    written = sum(len(keys.split(",")) for p in REPO.report_dir.glob("*.md")
                  for keys in CITE_T.findall(chapter_prose(p.name)))
    assert len(textual_citations) >= written
    for name, citation in textual_citations:
        # A year, or "n.d." for a page that gives no date.
        match = re.fullmatch(r"(.+) \(((?:19|20)\d\d[a-z]?|n\.d\.[a-z]?)\)", citation["text"])
        assert match and match[2] == citation["year"], (name, citation)
        author = match[1]
        assert author.removesuffix(" et al.") in citation["entry"].split(". ")[0], (name, citation)
        assert match[2][:4] in citation["entry"] and citation["text"].count(author) == 1, (name, citation)


@pytest.mark.build
@pytest.mark.browser
def test_the_pdf_cites_author_year_in_sentences(pdf_text, textual_citations):
    text = pdf_text["words"]
    assert re.findall(r"(\b[A-Z][\w.' -]{2,60}) \[\1 (?:19|20)\d\d", text) == []
    missing = sorted({f"{m[1]} ({m[2]})" for _, c in textual_citations
                      for m in [re.fullmatch(r"(.+) \((.+)\)", c["text"])]} - {""})
    assert [c for c in missing if c not in text] == []
