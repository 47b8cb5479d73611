"""Chart text as readers meet it: every text of every chart renders at 11 CSS px or more at 375 px wide, in
Chromium, and is printed at 7 pt or more in the PDF.

The browser gives the rendered width of whatever element holds the chart (an ``<img>`` of the SVG or the
SVG inline); the SVG gives each text's font size in its own units.  Rendered size = font size x rendered
width / the SVG's width, so the test holds however the page embeds the chart.  In the PDF each chart is a
form XObject placed on its page: printed size = font size x the scale of every transformation down to it.
"""

from __future__ import annotations

import math
import re
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from buildtools import REPO
from nkreport import charts
from test_browser import visit

pytestmark = [pytest.mark.build, pytest.mark.browser]

PHONE = {"width": 375, "height": 812}
SMALLEST = 11  # CSS px
SMALLEST_PRINTED = 7  # pt
SVG = "{http://www.w3.org/2000/svg}"

# Each chart's figure (its id is the chart's label): the rendered width of the element holding the chart,
# and the SVG itself (serialised when inline, its address when an image or object).
CHARTS_ON_PAGE = """(labels) => labels.flatMap(label => {
    const figure = document.getElementById(label);
    if (!figure) return [];
    const holder = figure.querySelector('svg, img, object');
    if (!holder) return [{label, width: 0, markup: null, src: null}];
    const inline = holder.tagName.toLowerCase() === 'svg';
    return [{label, width: holder.getBoundingClientRect().width,
             markup: inline ? new XMLSerializer().serializeToString(holder) : null,
             src: inline ? null : (holder.currentSrc || holder.src || holder.data)}];
})"""


def scale_of(transform: str) -> float:
    """How much an SVG transform list scales lengths (rotations and translations keep them)."""
    factor = 1.0
    for kind, arguments in re.findall(r"(\w+)\s*\(([^)]*)\)", transform or ""):
        numbers = [float(n) for n in re.split(r"[\s,]+", arguments.strip()) if n]
        if kind == "scale":
            factor *= math.sqrt(abs(numbers[0] * (numbers[1] if len(numbers) > 1 else numbers[0])))
        elif kind == "matrix":
            a, b, c, d = numbers[:4]
            factor *= math.sqrt(abs(a * d - b * c))
    return factor


def font_size(element: ET.Element) -> float | None:
    """The font size an element sets itself, in SVG user units (style or attribute), if any."""
    style = element.get("style", "")
    found = re.search(r"font-size\s*:\s*([\d.]+)(?:px)?", style) or re.search(r"(?:^|;)\s*font\s*:[^;]*?([\d.]+)px",
                                                                             style)
    if found:
        return float(found[1])
    if element.get("font-size"):
        return float(re.match(r"[\d.]+", element.get("font-size"))[0])
    return None


def svg_width(root: ET.Element) -> float:
    """The SVG's width in its own user units: the viewBox's, or the width attribute's number."""
    if root.get("viewBox"):
        return float(root.get("viewBox").split()[2])
    return float(re.match(r"[\d.]+", root.get("width"))[0])


def texts(root: ET.Element) -> list[tuple[str, float]]:
    """Each text element's words and font size in user units, inherited sizes and transforms applied."""
    found = []

    def walk(element, size, scale):
        size = font_size(element) or size
        scale *= scale_of(element.get("transform", ""))
        if element.tag == f"{SVG}text":
            words = " ".join("".join(element.itertext()).split())
            if words:
                assert size is not None, f"text {words!r} has no font size"
                found.append((words, size * scale))
            return
        for child in element:
            walk(child, size, scale)

    walk(root, None, 1.0)
    return found


def chart_svg(found: dict) -> ET.Element:
    markup = found["markup"]
    if markup is None:
        with urllib.request.urlopen(found["src"]) as response:
            markup = response.read()
    return ET.fromstring(markup)


@pytest.fixture(scope="module")
def rendered(browser, site, html):
    """chart name -> (rendered width in CSS px, SVG root) for every chart the pages embed, at phone width."""
    labels = {charts.get(name).LABEL: name for name in charts.CHARTS}
    pages = {page.name: [label for label in labels if f'id="{label}"' in page.read_text(encoding="utf-8")]
             for page in sorted(html.glob("*.html"))}
    found = {}
    for page, embedded in pages.items():
        if not embedded:
            continue
        context, tab, _ = visit(browser, f"{site}/{page}", PHONE)
        for chart in tab.evaluate(CHARTS_ON_PAGE, embedded):
            found[labels[chart["label"]]] = (chart["width"], chart_svg(chart))
        context.close()
    assert set(found) == {labels[label] for embedded in pages.values() for label in embedded}
    return found


def test_every_chart_is_found_on_a_page(rendered):
    assert set(rendered) == set(charts.CHARTS)


def test_reader_helpers_read_what_matplotlib_writes():
    """The font and transform readers on the forms an SVG may use, so a failure below is the chart's."""
    svg = ET.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200pt">'
        '<g transform="scale(2)" style="font-size: 4px"><text>small</text></g>'
        '<text style="font: 10px \'DejaVu Sans\'" transform="rotate(-90 3 4)">rotated</text>'
        '<text font-size="7" transform="matrix(0.5 0 0 0.5 0 0)">matrix</text></svg>'
    )
    assert svg_width(svg) == 200
    assert texts(svg) == [("small", 8.0), ("rotated", 10.0), ("matrix", 3.5)]


def test_no_chart_text_is_smaller_than_11_css_px_at_375_px(rendered):
    small = []
    for name, (width, svg) in sorted(rendered.items()):
        assert width > 0, f"{name}: the chart has no rendered width"
        words = texts(svg)
        assert words, f"{name}: no text in the SVG (drawn as paths?)"
        for text, size in words:
            px = size * width / svg_width(svg)
            if px < SMALLEST:
                small.append(f"{name}: {text!r} renders at {px:.2f} px")
    assert not small, f"chart text under {SMALLEST} CSS px at {PHONE['width']} px wide:\n" + "\n".join(small)


# --- in print ------------------------------------------------------------------------------


def _product(m: list[float], n: list[float]) -> list[float]:
    """The PDF matrix ``m`` applied before ``n`` (both [a b c d e f])."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]


def _scale(m: list[float]) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def printed_sizes(pdf: Path) -> list[tuple[int, list[float]]]:
    """(page number, the printed size in pt of each text it shows) for every form XObject (a chart) on a page."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(pdf)

    def walk(content, resources, ctm, sizes, inside):
        stack, matrix, size = [], [1, 0, 0, 1, 0, 0], 0.0
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _product([float(x) for x in operands], ctm)
            elif operator == b"BT":
                matrix = [1, 0, 0, 1, 0, 0]
            elif operator == b"Tf":
                size = float(operands[1])
            elif operator == b"Tm":
                matrix = [float(x) for x in operands]
            elif operator in (b"Tj", b"TJ", b"'", b'"') and inside is not None:
                inside.append(size * _scale(matrix) * _scale(ctm))
            elif operator == b"Do":
                form = resources["/XObject"][operands[0]].get_object()
                if form.get("/Subtype") == "/Form":
                    own = [float(x) for x in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    found = [] if inside is None else inside
                    walk(form, form.get("/Resources", resources), _product(own, ctm), sizes, found)
                    if inside is None:
                        sizes.append(found)

    pages = []
    for number, page in enumerate(reader.pages, start=1):
        sizes: list[list[float]] = []
        walk(page.get_contents(), page["/Resources"], [1, 0, 0, 1, 0, 0], sizes, None)
        pages += [(number, found) for found in sizes if found]
    return pages


def test_the_pdf_prints_no_chart_text_under_7_pt(pdf):
    charts_printed = printed_sizes(pdf)
    embedded = sum(page.read_text(encoding="utf-8").count("```{chart}") for page in (REPO.root / "report").glob("*.md"))
    assert len(charts_printed) == embedded, "every chart in the PDF is measured"
    small = [f"page {page}: a chart's text printed at {min(sizes):.2f} pt" for page, sizes in charts_printed
             if min(sizes) < SMALLEST_PRINTED]
    assert not small, f"chart text under {SMALLEST_PRINTED} pt in print:\n" + "\n".join(small)
