"""The site on a phone (375 px, a touch screen) as a reader notices it, in Chromium: a tap on a number
shows its preview and keeps the reader where they are, with a link to the number's entry; a table wider
than the screen says that it scrolls, and its caption stays whole in view; the key points keep most of
the width; the data's date reads in words."""

from __future__ import annotations

import re

import pytest
from buildtools import REPO
from nkreport import formatting

pytestmark = [pytest.mark.build, pytest.mark.browser]

PHONE = {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_a_tap_on_a_number_shows_its_preview_and_keeps_the_reader_on_the_page(phone, site):
    phone.goto(f"{site}/demographics.html", wait_until="networkidle")
    number = phone.locator(".nk-number > a").nth(3)
    number.scroll_into_view_if_needed()
    where = phone.evaluate("() => [location.href, window.scrollY]")
    number.tap()
    phone.wait_for_timeout(300)
    assert phone.evaluate("() => [location.href, window.scrollY]") == where
    tip = number.locator("xpath=following-sibling::*[@role='tooltip']")
    assert tip.is_visible()
    box = tip.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 375
    # The link inside the preview goes to the number's entry in Data and methods.
    entry = number.get_attribute("href")
    tip.locator("a.nk-preview-link").tap()
    phone.wait_for_url(re.compile(re.escape(entry.split("#")[1]) + "$"))
    assert phone.evaluate("() => document.getElementById(location.hash.slice(1)) !== null")


def test_a_tap_elsewhere_closes_the_preview(phone, site):
    phone.goto(f"{site}/demographics.html", wait_until="networkidle")
    number = phone.locator(".nk-number > a").nth(3)
    number.tap()
    phone.touchscreen.tap(4, 600)  # the page margin, beside the text
    assert not number.locator("xpath=following-sibling::*[@role='tooltip']").is_visible()


def test_a_wide_table_says_it_scrolls_and_its_caption_stays_whole(phone, site):
    phone.goto(f"{site}/methods.html", wait_until="networkidle")
    tables = phone.evaluate("""() => [...document.querySelectorAll('main table')].map(table => {
        const frame = table.closest('.pst-scrollable-table-container') || table.parentElement;
        const hint = frame.previousElementSibling;
        const caption = table.querySelector('caption');
        const box = caption ? caption.getBoundingClientRect() : null;
        return {wide: frame.scrollWidth > frame.clientWidth + 1,
                hint: hint && hint.classList.contains('nk-scroll-hint') && hint.checkVisibility() ? hint.innerText : '',
                columns: table.rows[0].cells.length,
                caption: box && {left: box.left, right: box.right, whole: caption.scrollWidth <= box.width + 1}};
    })""")
    wide = [table for table in tables if table["wide"]]
    assert wide, "no table wider than a phone on the methods page: the test checks nothing"
    for table in wide:
        assert f"all {table['columns']} columns" in table["hint"], table
    for table in tables:
        if table["caption"]:
            assert 0 <= table["caption"]["left"] and table["caption"]["right"] <= 375, table
    assert not [table for table in tables if table["hint"] and not table["wide"]]


def test_the_key_points_keep_most_of_the_width(phone, site):
    phone.goto(f"{site}/demographics.html", wait_until="networkidle")
    width = phone.evaluate("() => document.querySelector('main .admonition li').getBoundingClientRect().width")
    assert width >= 0.75 * 375


def test_the_front_page_gives_the_datas_date_in_words(phone, site):
    import json

    package = json.loads((REPO.data_dir / "datapackage.json").read_text(encoding="utf-8"))
    phone.goto(f"{site}/index.html", wait_until="networkidle")
    shown = " ".join(phone.inner_text("main").split())
    assert f"Data version {package['version']}, last updated {formatting.date_words(package['updated'])}" in shown
