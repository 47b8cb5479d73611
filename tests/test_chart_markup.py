"""The markup the site gets for each chart, without a build: its SVG made inline-ready (marks named by their
rows, ids that no other chart on a page shares) and its table view, from the same rows as its CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from buildtools import REPO
from nkreport import chartbuild, charts
from nkreport.sphinxext.charts import interactive_svg, rows_table

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture(scope="module")
def inlined():
    """name -> (CSV rows, words, the inline SVG parsed), each chart rendered as the build renders it."""
    found, ds = {}, REPO.load()
    for name in charts.CHARTS:
        module = charts.get(name)
        rows = module.rows(ds)
        files = chartbuild.data_files(module, rows, ds) | chartbuild.render(name, ("svg",), rows,
                                                                            chartbuild.credit(rows, ds))
        words = json.loads(files["json"])
        marks = {row["gid"]: row["mark"] for row in words["rows"]}
        inline = interactive_svg(files["svg"], name, words["alt"], marks)
        rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8"))))
        found[name] = (rows, words, ET.fromstring(inline))
    return found


def references(element) -> list[str]:
    """The ids an element refers to: href="#id" and url(#id)."""
    found = []
    for attribute, value in element.attrib.items():
        if attribute in ("href", XLINK_HREF) and value.startswith("#"):
            found.append(value[1:])
        found += re.findall(r"url\(#([^)]+)\)", value)
    return found


@pytest.mark.parametrize("name", charts.CHARTS)
def test_table_words_and_csv_hold_the_same_rows(inlined, name):
    rows, words, _ = inlined[name]
    assert len(words["rows"]) == len(rows)
    assert all(w["source"] and w["period"] and w["what"] for w in words["rows"])


@pytest.mark.parametrize("name", charts.CHARTS)
def test_ids_are_the_charts_own_and_every_reference_resolves(inlined, name):
    _, _, svg = inlined[name]
    ids = [e.get("id") for e in svg.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i == name or i.startswith(f"{name}-") for i in ids), "an id another chart on the page could share"
    dangling = [r for e in svg.iter() for r in references(e) if r not in ids]
    assert dangling == []
    styles = " ".join(e.text or "" for e in svg.iter(f"{SVG}style"))
    assert all(rule.strip().startswith(f"#{name} ") for rule in re.findall(r"(?:^|})([^{}]+){", styles)), styles


@pytest.mark.parametrize("name", charts.CHARTS)
def test_every_row_has_a_focusable_mark_named_by_its_words(inlined, name):
    _, words, svg = inlined[name]
    focusable = [e for e in svg.iter() if e.get("tabindex") is not None and e is not svg]
    assert all(e.get("class") == "chart-mark" for e in focusable)
    # One tab stop, the first row's mark; the arrow keys reach the others in the rows' order (data-row).
    assert [e.get("data-row") for e in focusable if e.get("tabindex") == "0"] == ["0"]
    assert sorted(int(e.get("data-row")) for e in focusable) == list(range(len(words["rows"])))
    for row in words["rows"]:
        own = [e for e in svg.iter() if e.get("class") == "chart-mark"
               and e.get("id").removeprefix(f"{name}-").split("--")[0] == row["gid"]]
        assert own, f"{name}: no mark for {row['gid']}"
        assert {e.get("aria-label") for e in own} == {row["mark"]}
        assert [e.get("tabindex") for e in own if e.get("id") == f"{name}-{row['gid']}"] in (["0"], ["-1"])
    assert svg.get("aria-label") == words["alt"] and svg.get("role") == "group"
    assert svg.get("tabindex") == "-1", "Escape leaves the marks for the drawing, focused from script only"
    assert svg.get("width") is None and svg.get("viewBox"), "the drawing scales with the page, keeping its shape"


def test_words_from_the_data_are_text_in_the_svg_and_the_table():
    drawing = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="row-1"><path d="M 0 0"/></g></svg>'
    inline = interactive_svg(drawing, "c", HOSTILE, {"row-1": HOSTILE})
    assert "<script" not in inline and "<b>" not in inline
    parsed = ET.fromstring(inline)
    assert parsed.get("aria-label") == HOSTILE
    [mark] = [e for e in parsed.iter() if e.get("class") == "chart-mark"]
    assert mark.get("aria-label") == HOSTILE and mark.get("id") == "c-row-1"
    table = ET.fromstring(rows_table([{"what": HOSTILE, "period": "2014", "value": "", "source": HOSTILE}]))
    assert [cell.text for cell in table.iter("td")] == [HOSTILE, "2014", "–", HOSTILE]
    assert not [e for e in table.iter() if e.tag in ("script", "b")]
