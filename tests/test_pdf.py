"""The PDF as a reader gets it, inspected with poppler: metadata, text, citations, fonts, vector charts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from nkreport import charts
from nkreport.bib import entries
from nkreport.data import load
from nkreport.paths import BIBLIOGRAPHY, ROOT

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
    project = re.search(r'^project = "(.*)"$', (ROOT / "conf.py").read_text(encoding="utf-8"), re.M)[1]
    assert info["Title"].strip() == project
    assert info["Author"].strip() == "The report's contributors"
    assert int(info["Pages"]) >= 20


def test_every_chapter_title_is_present(text):
    flat = normalised(text)
    for title in CHAPTER_TITLES:
        assert title in flat, title


def test_every_chart_caption_is_present(text):
    flat = normalised(text)
    ds = load()
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

    listed = re.findall(r"^\[[A-Z][^\[\]]*? (?:19|20)\d\d[a-z]?\] ", text, re.M)
    assert len(set(listed)) == len(entries(BIBLIOGRAPHY))
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
    assert len(set(citations)) == len(entries(BIBLIOGRAPHY))


def test_all_fonts_are_embedded(pdf):
    rows = poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not_embedded == []


def test_charts_are_vector_not_raster(pdf):
    images = poppler("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert images == [], "raster images in the PDF:\n" + "\n".join(images)


def test_figures_fit_the_page(pdf):
    log = pdf.with_suffix(".log").read_text(encoding="latin-1")
    assert "LaTeX Warning: Reference" not in log
    assert "LaTeX Warning: Citation" not in log
    overfull = re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)
    assert all(float(points) < 10 for points in overfull), overfull
