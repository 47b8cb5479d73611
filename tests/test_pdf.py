"""The PDF as a reader gets it, inspected with poppler: metadata, text, citations, fonts, vector charts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
import yaml
from buildtools import BASE_URL, REPO, environment
from nkreport import charts
from nkreport.bib import entries
from PIL import Image

pytestmark = pytest.mark.build

CHAPTER_TITLES = [
    "Summary", "Border controls", "Defector demographics", "Elite defections",
    "The US refugee program", "Market-survey findings", "Data and methods", "Bibliography",
]


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def text(pdf: Path) -> str:
    return poppler("pdftotext", str(pdf), "-")


def normalised(text: str) -> str:
    """Text with hyphenation and line breaks undone, for phrase searches."""
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "", text)).replace("\u2019", "'")


def test_title_and_metadata(pdf):
    info = dict(line.split(":", 1) for line in poppler("pdfinfo", str(pdf)).splitlines() if ":" in line)
    project = re.search(r'^project = "(.*)"$', (REPO.root / "conf.py").read_text(encoding="utf-8"), re.M)[1]
    assert info["Title"].strip() == project
    assert info["Author"].strip() == "The report's contributors"
    assert int(info["Pages"]) >= 20


def test_every_chapter_title_is_present(text):
    flat = normalised(text)
    for title in CHAPTER_TITLES:
        assert title in flat, title


def test_every_chart_caption_is_present(text):
    flat = normalised(text)
    ds = REPO.load()
    for name in charts.CHARTS:
        module = charts.get(name)
        opening = module.caption(module.rows(ds)).split(". ")[0]
        assert opening in flat, f"caption of {name} not in the PDF: {opening!r}"
    numbers = set(re.findall(r"Figure (\d+): ", flat))  # 1-N through the report, as on the site
    assert len(numbers) == len(charts.CHARTS)


def test_no_unresolved_references(text):
    assert "??" not in text
    assert "[?]" not in text


LABEL = r"[A-Z][^\[\]]*? (?:19|20)\d\d[a-z]?"


def test_every_citation_resolves_to_a_bibliography_entry(pdf, text):
    """Each citation is a link to a bibliography entry that exists; each entry is listed with its label."""
    from pypdf import PdfReader

    # "[Yonhap 2013b] ", or "n.d." for a page that gives no date; not a wrapped citation.
    listed = re.findall(r"^\[[A-Z][^\[\]\n]*? (?:(?:19|20)\d\d|n\.d\.)[a-z]?\] ", text, re.M)
    assert len(set(listed)) == len(entries(REPO.bibliography))
    reader = PdfReader(pdf)
    targets = [
        str(link["/A"]["/D"])
        for page in reader.pages
        for link in (a.get_object() for a in page.get("/Annots") or [])
        if link.get("/Subtype") == "/Link" and "/A" in link and "/D" in link["/A"]
    ]
    citations = [t for t in targets if t.startswith("cite.")]
    assert len(citations) >= 50
    assert set(citations) <= set(reader.named_destinations)
    assert len(set(citations)) == len(entries(REPO.bibliography))


def test_all_fonts_are_embedded(pdf):
    rows = poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not_embedded == []


def test_charts_are_vector_not_raster(pdf):
    images = poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert images == [], "raster images in the PDF:\n" + "\n".join(images)


def test_one_more_pdflatex_pass_changes_nothing(built, pdf, tmp_path):
    """latexmk stops after two passes (nkreport.sphinxext.latex): by then the contents, cross-references
    and page numbers have settled, and a third pass over the published LaTeX makes the same PDF."""
    env = environment(epoch=None, PYTHONPATH=str(built / "scripts"))  # the date the shared build carries
    epoch = subprocess.run([sys.executable, "-m", "nkreport.builddate"], cwd=built, env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    latex = shutil.copytree(pdf.parent, tmp_path / "latex")
    again = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", pdf.with_suffix(".tex").name],
                           cwd=latex, env=env | {"SOURCE_DATE_EPOCH": epoch}, capture_output=True, text=True)
    assert again.returncode == 0, again.stdout[-3000:]
    assert (latex / pdf.name).read_bytes() == pdf.read_bytes(), "the PDF changed on a third pdflatex pass"


def test_figures_fit_the_page(pdf):
    log = pdf.with_suffix(".log").read_text(encoding="latin-1")
    assert "LaTeX Warning: Reference" not in log
    assert "LaTeX Warning: Citation" not in log
    overfull = re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)
    assert all(float(points) < 10 for points in overfull), overfull


# The page design, read back from the PDF: fonts, pages, links, and where text and ink fall on each page.

TEXT_FAMILY = "TeXGyreHeros"
# Literal text (file and column names a reader types, code) is set in a monospace face of the same
# TeX Gyre collection; it is the only other face allowed.
MONOSPACE_FAMILY = "TeXGyreCursor"
POINTS_PER_INCH = 72
# Korean (the data's quotations) is set in ko.TeX's Nanum Gothic, whose fonts are named nanumgt…, one
# per block of characters; the only other family allowed.
KOREAN_FAMILY = "nanum"


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float  # from the top of the page, in points
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Layout:
    """The text block, found from the running head and foot that recur at the same place on most pages."""

    head_top: float
    head_bottom: float
    foot_top: float
    foot_baseline: float
    left: float
    right: float

    def in_head_or_foot(self, word: Word) -> bool:
        return abs(word.y0 - self.head_top) < 0.5 or abs(word.y1 - self.foot_baseline) < 0.5


XHTML = "{http://www.w3.org/1999/xhtml}"


def xhtml_pages(xhtml: str) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(xhtml).iter(XHTML + "page"))


def words_of(element: ElementTree.Element) -> list[Word]:
    return [
        Word(*(float(word.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")), word.text or "")
        for word in element.iter(XHTML + "word")
    ]


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[list[Word]]:
    """The words of each page with their boxes (pdftotext -bbox)."""
    return [words_of(page) for page in xhtml_pages(poppler("pdftotext", "-bbox", str(pdf), "-"))]


@pytest.fixture(scope="module")
def layout(pages: list[list[Word]]) -> Layout:
    body = pages[1:]  # the title page has no running head or foot
    tops = Counter(round(min(w.y0 for w in page), 1) for page in body if page)
    bottoms = Counter(round(max(w.y1 for w in page), 1) for page in body if page)
    head_top, foot_baseline = tops.most_common(1)[0][0], bottoms.most_common(1)[0][0]
    head = [w for page in body for w in page if abs(w.y0 - head_top) < 0.5]
    foot = [w for page in body for w in page if abs(w.y1 - foot_baseline) < 0.5]
    # Justified lines, the running head and foot reach both edges of the text block on most pages.
    return Layout(
        head_top=head_top, head_bottom=max(w.y1 for w in head),
        foot_top=min(w.y0 for w in foot), foot_baseline=foot_baseline,
        left=Counter(round(min(w.x0 for w in page), 1) for page in body if page).most_common(1)[0][0],
        right=Counter(round(max(w.x1 for w in page), 1) for page in body if page).most_common(1)[0][0],
    )


def test_running_head_and_foot_are_found(pages, layout):
    """The geometry the tests below rely on: a head above a foot, recurring on most pages."""
    assert 0 < layout.head_bottom < layout.foot_top < 842
    assert layout.left < layout.right
    with_foot = [page for page in pages[1:] if any(abs(w.y1 - layout.foot_baseline) < 0.5 for w in page)]
    assert len(with_foot) > len(pages) / 2


def pdffonts_rows(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table, cut at the columns its dashed line marks (a type can contain spaces)."""
    lines = poppler("pdffonts", str(pdf)).splitlines()
    spans = [match.span() for match in re.finditer(r"-+", lines[1])]
    header = [lines[0][start:end].strip() for start, end in spans]
    return [dict(zip(header, (line[start:end].strip() for start, end in spans), strict=True)) for line in lines[2:]]


def family(font_name: str) -> str:
    """``ABCDEF+TeXGyreHeros-Bold`` -> ``TeXGyreHeros``."""
    return font_name.split("+")[-1].split("-")[0]


def test_text_and_charts_share_one_type_family(pdf):
    rows = pdffonts_rows(pdf)
    assert rows and all(row["emb"] == "yes" for row in rows), rows
    # pdfTeX embeds the text's fonts as Type 1; every other font comes from a chart drawn by matplotlib.
    text_fonts = {family(row["name"]) for row in rows if row["type"] == "Type 1"}
    chart_fonts = {family(row["name"]) for row in rows if row["type"] != "Type 1"}
    assert TEXT_FAMILY in text_fonts
    text_fonts = {name for name in text_fonts if not name.startswith(KOREAN_FAMILY)}
    assert text_fonts <= {TEXT_FAMILY, MONOSPACE_FAMILY}, f"text set in other families: {text_fonts}"
    assert chart_fonts == {TEXT_FAMILY}, f"charts lettered in {chart_fonts}, the text in {TEXT_FAMILY}"


def test_korean_quotations_are_printed_in_a_korean_font(pdf, text):
    ds = REPO.load()
    hangul = re.compile(r"[\uac00-\ud7af]+(?:\s+[\uac00-\ud7af]+)*")
    quoted = {f.id: max(hangul.findall(f.cell or f.quote), key=len) for f in ds.figures.values()
              if hangul.search(f.cell or f.quote)}
    assert quoted
    squeezed = re.sub(r"\s+", "", text)
    assert {i: words for i, words in quoted.items() if re.sub(r"\s+", "", words) not in squeezed} == {}
    assert any(family(row["name"]).startswith(KOREAN_FAMILY) for row in pdffonts_rows(pdf))
    missing = re.findall(r"Missing character: .*", pdf.with_suffix(".log").read_text(encoding="latin-1"))
    assert missing == [], "characters printed as nothing"


def test_title_page_names_the_data_version_and_date(pages):
    package = json.loads((REPO.root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    updated = date.fromisoformat(package["updated"])
    title_page = " ".join(w.text for w in pages[0])
    assert f"Data version {package['version']}" in title_page
    assert f"{updated.day} {updated:%B %Y}" in title_page
    assert "Contents" not in title_page and "CONTENTS" not in title_page
    # The abstract (CITATION.cff's), and how to cite the report at the address the host gave the build.
    abstract = " ".join(yaml.safe_load((REPO.root / "CITATION.cff").read_text(encoding="utf-8"))["abstract"].split())
    title_page = re.sub(r"-\s", "-", title_page).replace("\u2019", "'")
    assert f"Abstract. {abstract}" in title_page
    assert "Cite as: The report's contributors" in title_page
    assert "Published at" in title_page and BASE_URL in re.sub(r"\s+", "", title_page)


def test_no_blank_pages(pages, layout):
    """Every page has text besides its running head and foot (a chart's lettering counts)."""
    blank = [number for number, page in enumerate(pages, 1)
             if not [w for w in page if not layout.in_head_or_foot(w)]]
    assert blank == [], f"blank pages: {blank}"


def test_captions_stay_clear_of_the_running_head_and_foot(pdf, layout):
    """Each figure's and table's caption, and all other text, lies between the running head and foot."""
    clearance = (layout.foot_top - layout.head_bottom) / 100  # a few points: the rule beside each
    captions = 0
    for number, page in enumerate(xhtml_pages(poppler("pdftotext", "-bbox-layout", str(pdf), "-")), 1):
        for block in page.iter(XHTML + "block"):
            text = " ".join(w.text for w in words_of(block))
            if not re.match(r"(Figure|Table) \d+(\.\d+)?: ", text):
                continue
            captions += 1
            top, bottom = float(block.get("yMin")), float(block.get("yMax"))
            assert top > layout.head_bottom + clearance, f"page {number}: caption under the running head: {text[:60]}"
            assert bottom < layout.foot_top - clearance, f"page {number}: caption over the running foot: {text[:60]}"
    assert captions >= len(charts.CHARTS)


def test_text_stays_between_the_running_head_and_foot(pages, layout):
    """All text, a chart's lettering included. (Across the page, ink is checked on page images below:
    poppler's boxes for a chart's rotated axis labels are wider than their glyphs.)"""
    clearance = (layout.foot_top - layout.head_bottom) / 100
    outside = [
        (number, w.text)
        for number, page in enumerate(pages[1:], 2)
        for w in page
        if not layout.in_head_or_foot(w)
        and not layout.head_bottom + clearance < w.y0 < w.y1 < layout.foot_top - clearance
    ]
    assert outside == [], f"text over the running head or foot (page, word): {outside[:20]}"


def test_tables_and_charts_fit_the_page(pdf, layout, tmp_path):
    """No ink (a table's rules or text, a chart) in the margins beside the text block, on rendered pages."""
    resolution = 36
    subprocess.run(["pdftoppm", "-gray", "-r", str(resolution), str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.pgm"))
    assert len(images) == int(poppler("pdfinfo", str(pdf)).split("Pages:")[1].split()[0])
    left = int(layout.left * resolution / POINTS_PER_INCH) - 1
    right = int(layout.right * resolution / POINTS_PER_INCH) + 2
    inked = []
    for number, image in enumerate(images[1:], 2):
        pixels = np.asarray(Image.open(image))
        if (pixels[:, :left] < 160).any() or (pixels[:, right:] < 160).any():
            inked.append(number)
    assert inked == [], f"ink in the margin beside the text block on pages {inked}"


def link_annotations(reader) -> list[tuple[int, dict, tuple[float, float, float, float]]]:
    """(page index, annotation, rectangle from the top of the page) of every link."""
    found = []
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        for annotation in (a.get_object() for a in page.get("/Annots") or []):
            if annotation.get("/Subtype") == "/Link":
                x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
                found.append((index, annotation, (x0, height - y1, x1, height - y0)))
    return found


def destination(reader, annotation) -> str | None:
    """Where a link goes: a named destination that exists, or a web address; None if nowhere."""
    action = annotation.get("/A") or {}
    if action.get("/S") == "/GoTo":
        name = str(action.get("/D"))
        return name if name in reader.named_destinations else None
    if action.get("/S") == "/URI":
        uri = str(action.get("/URI"))
        return uri if re.match(r"https?://\S+$", uri) else None
    return None


def inside(word: Word, rect: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = rect
    middle_x, middle_y = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
    return x0 <= middle_x <= x1 and y0 <= middle_y <= y1


def test_no_dead_links_or_link_text(pdf, pages):
    """Every link goes somewhere, and text that reads as a link (a web address, "(CSV)") is one."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    links = link_annotations(reader)
    assert links
    dead = [(index + 1, link.get("/A")) for index, link, _ in links if destination(reader, link) is None]
    assert dead == [], f"links to nowhere (page, action): {dead[:10]}"
    log = pdf.with_suffix(".log").read_text(encoding="latin-1")
    assert "Hyper reference" not in log, "a link to a label the PDF does not have, printed as plain text"
    unlinked = [
        (index + 1, word.text)
        for index, page in enumerate(pages)
        for word in page
        if re.match(r"(https?://|www\.)|\(CSV\)", word.text)
        and not any(i == index and inside(word, rect) for i, _, rect in links)
    ]
    assert unlinked == [], f"link text that links nowhere (page, word): {unlinked[:10]}"


def example_after(pages, phrase: str) -> tuple[int, Word]:
    """The word after ``phrase`` in the text: the summary's example of a notation."""
    wanted = phrase.split()
    for index, page in enumerate(pages):
        texts = [w.text for w in page]
        for at in range(len(texts) - len(wanted)):
            if texts[at:at + len(wanted)] == wanted:
                return index, page[at + len(wanted)]
    raise AssertionError(f"{phrase!r} not in the PDF")


def dotted_runs(pdf: Path, page_index: int, word: Word, tmp_path: Path) -> int:
    """The most separate runs of ink in one pixel row just below the word's digits: a dotted line has many."""
    resolution = 288
    scale = resolution / POINTS_PER_INCH
    digits = re.search(r"[-\u2212]?[\d.,]*\d%?", word.text)
    right = word.x0 + (word.x1 - word.x0) * digits.end() / len(word.text)  # not the trailing comma
    prefix = tmp_path / f"crop-{page_index}-{word.x0:.0f}"
    subprocess.run([
        "pdftoppm", "-gray", "-r", str(resolution), "-f", str(page_index + 1), "-l", str(page_index + 1),
        "-x", str(int(word.x0 * scale)), "-y", str(int((word.y0 + word.y1) / 2 * scale)),
        "-W", str(int((right - word.x0) * scale)), "-H", str(int(((word.y1 - word.y0) / 2 + 3) * scale)),
        "-singlefile", str(pdf), str(prefix),
    ], check=True)
    ink = np.asarray(Image.open(prefix.with_suffix(".pgm"))) < 128
    return max(int(np.count_nonzero(row[1:] & ~row[:-1]) + row[0]) for row in ink)


def test_numbers_follow_the_notation_the_summary_explains(pdf, pages, tmp_path):
    """The summary's examples: a stated figure shown plainly (upright, a link to its entry in the list of
    every figure), a derived one underlined with dots."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    links = link_annotations(reader)
    stated_page, stated = example_after(pages, "A figure shown plainly, such as")
    derived_page, derived = example_after(pages, "A figure underlined with dots, such as")

    targets = [destination(reader, a) for i, a, rect in links if i == stated_page and inside(stated, rect)]
    assert targets and targets[0], f"the stated example {stated.text} links nowhere"
    entry_page = reader.get_destination_page_number(reader.named_destinations[targets[0]])
    assert stated.text.rstrip(",") in " ".join(w.text for w in pages[entry_page])
    assert not any(i == derived_page and inside(derived, rect) for i, _, rect in links)

    fonts = set()

    def note_font(text, cm, tm, font, size):
        if font and (stated.text.rstrip(",") in text or derived.text.rstrip(",") in text):
            fonts.add(str(font["/BaseFont"]))

    for index in {stated_page, derived_page}:
        reader.pages[index].extract_text(visitor_text=note_font)
    assert fonts and not [f for f in fonts if "Italic" in f or "Oblique" in f], fonts

    dots = len(derived.text) * 2  # a dot every 1.5 pt: some four to a digit
    assert dotted_runs(pdf, derived_page, derived, tmp_path) >= dots, "the derived example is not dotted"
    assert dotted_runs(pdf, stated_page, stated, tmp_path) < dots, "the stated example is underlined"


def test_references_are_listed_in_the_bibliography_chapter(pdf, pages):
    """Every entry (the target of its citations) lies between the Bibliography chapter's first page and the
    next chapter's, not at the end of the PDF under whichever chapter comes last."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    chapters = [(item.title, reader.get_destination_page_number(item))
                for item in reader.outline if not isinstance(item, list)]
    [at] = [at for at, (title, _) in enumerate(chapters) if title == "Bibliography"]
    first = chapters[at][1]
    last = chapters[at + 1][1] if at + 1 < len(chapters) else len(pages) - 1
    entries = {name: reader.get_destination_page_number(destination)
               for name, destination in reader.named_destinations.items() if name.startswith("cite.")}
    assert entries
    outside = {name: page + 1 for name, page in entries.items() if not first <= page <= last}
    assert outside == {}, f"entries outside the Bibliography chapter (pages {first + 1}-{last + 1}): {outside}"


def test_a_missing_chart_font_stops_the_chart_naming_the_style_line(monkeypatch):
    """Matplotlib would draw every chart in its fallback font, saying so only in a log message."""
    from matplotlib import font_manager
    from nkreport.charts import style

    def not_installed(*args, **kwargs):
        raise ValueError("not found")

    monkeypatch.setattr(font_manager, "findfont", not_installed)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    with pytest.raises(RuntimeError) as stopped:
        style.find_house_font.__wrapped__()
    line = next(number for number, text in enumerate(style.STYLE.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("font.family:"))
    assert str(stopped.value).startswith(f"{style.STYLE}:{line}: font.family: 'TeX Gyre Heros' is not installed: ")
    assert "fonts-texgyre" in str(stopped.value)


def test_every_table_has_a_caption(pdf, text):
    tex = pdf.with_suffix(".tex").read_text(encoding="utf-8")
    tables = len(re.findall(r"\\begin\{(?:tabulary|longtable|tabular)\}", tex))
    captions = set(re.findall(r"Table (\d+): ", normalised(text)))
    assert tables and captions == {str(n) for n in range(1, tables + 1)}


def test_web_addresses_are_printed_short_and_linked_in_full(pdf, text):
    """A bibliography's address prints as its host and a short path (never percent-encoded, never a
    mirror's), and links to the whole address."""
    from nkreport.sphinxext.bibstyle import SHORT_ADDRESS, short_address
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    linked = {destination(reader, link) for _, link, _ in link_annotations(reader)}
    addresses = {entry.fields["url"] for entry in entries(REPO.bibliography).values() if "url" in entry.fields}
    assert addresses and addresses <= linked
    flat = normalised(text)
    for address in addresses:  # the ellipsis printed as LaTeX's \dots
        assert short_address(address).replace("\u2026", ". . .") in flat, address
    printed = re.findall(r"URL: (\S+)", flat)
    assert len(printed) == len(addresses)
    assert [shown for shown in printed if "%" in shown or "//" in shown or len(shown) > SHORT_ADDRESS + 3] == []


def test_no_half_empty_page_but_where_a_chapter_ends(pages, layout):
    """Text flows past a chart that does not fit where it is called: a page ends above the middle of the
    text block only where the next page starts a chapter."""
    height = layout.foot_top - layout.head_bottom
    short = []
    for number, (page, following) in enumerate(zip(pages[1:], pages[2:], strict=False), 2):
        body = [w for w in page if not layout.in_head_or_foot(w)]
        chapter_next = any(w.text == "Chapter" and w.y0 < layout.head_bottom + height / 3 for w in following)
        if body and max(w.y1 for w in body) < layout.head_bottom + height / 2 and not chapter_next:
            short.append(number)
    assert short == [], f"pages that end above the middle, mid-chapter: {short}"
