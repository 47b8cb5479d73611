"""Every page in headless Chromium: no broken images, failed requests, console errors,
missing alt text or overflow at phone width; axe-core (the pinned version) finds no serious violation at
either width;
headings in order; usable with the keyboard. Screenshots go to _build/screenshots/."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from buildtools import REPO

pytestmark = [pytest.mark.build, pytest.mark.browser]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
SCREENSHOTS = REPO.root / "_build" / "screenshots"
# axe-core at the version package.json pins, installed from npm by scripts/setup.sh test (newer than
# the copy bundled with axe-playwright-python).
AXE = REPO.root / "node_modules" / "axe-core" / "axe.min.js"


def axe_version() -> str:
    return json.loads((REPO.root / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]


def visit(browser, url: str, viewport: dict, wait_until: str = "load"):
    """Open ``url``; return the page and the problems seen while loading it (and using it, until closed).

    By its load event the page's own scripts have run (all deferred), so it can be read and used;
    ``"networkidle"`` also waits for any request made after it (half a second of quiet per visit).
    """
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until=wait_until)
    return context, page, problems


@pytest.fixture(scope="module")
def visits(browser, site, pages):
    """Every page at both widths: problems, overflow, images, headings, axe results; screenshots saved."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: scripts/test installs axe-core {axe_version()} with npm")
    axe = AXE.read_text(encoding="utf-8")
    results = {}
    for name in pages:
        for width, viewport in VIEWPORTS.items():
            # Until the network is quiet: no request of the page fails, however late.
            context, page, problems = visit(browser, f"{site}/{name}", viewport, wait_until="networkidle")
            page.screenshot(path=SCREENSHOTS / f"{name.removesuffix('.html')}-{width}.png", full_page=True)
            found = page.evaluate("""() => ({
                overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                broken: [...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src),
                noAlt: [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src),
                headings: [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
                    .filter(h => h.checkVisibility())
                    .map(h => Number(h.tagName[1])),
            })""")
            # Copied before axe runs: axe re-fetches @import-ed stylesheets relative to the page.
            results[(name, width)] = {**found, "problems": list(problems)}
            page.evaluate(axe)
            audit = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            results[(name, width)].update(axe=audit["violations"], axe_version=audit["testEngine"]["version"])
            context.close()
    return results


def test_no_failed_requests_console_errors_or_broken_images(visits):
    bad = {f"{name} ({width})": r["problems"] + r["broken"] for (name, width), r in visits.items()
           if r["problems"] or r["broken"]}
    assert bad == {}


def test_every_image_has_alt_text(visits):
    assert {name: r["noAlt"] for (name, _), r in visits.items() if r["noAlt"]} == {}


def test_no_horizontal_overflow_at_phone_width(visits):
    overflowing = {name: r["overflow"] for (name, width), r in visits.items() if width == "phone" and r["overflow"] > 0}
    assert overflowing == {}


def test_no_serious_or_critical_accessibility_violations(visits):
    assert {r["axe_version"] for r in visits.values()} == {axe_version()}
    severity = Counter()
    serious = []
    for (name, width), r in visits.items():
        for violation in r["axe"]:
            severity[violation["impact"]] += len(violation["nodes"])
            if violation["impact"] in ("serious", "critical"):
                serious.append(
                    f"{name} ({width}): {violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
                )
    print("axe violations by severity:", dict(severity))
    assert serious == []


def test_headings_in_order(visits):
    for (name, _), r in visits.items():
        levels = r["headings"]
        assert levels and levels[0] == 1 and levels.count(1) == 1, (name, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)


def test_keyboard_reaches_content_with_visible_focus(browser, site):
    context, page, _ = visit(browser, f"{site}/demographics.html", VIEWPORTS["desktop"])
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("""() => {
            const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return {tag: e.tagName + '.' + e.className, inMain: !!e.closest('main'),
                    visible: r.width > 0 && r.height > 0,
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
        }"""))
    context.close()
    assert focused[0]["tag"].startswith("A.")  # the theme's skip link comes first
    assert any(f["inMain"] for f in focused), "Tab never reaches the chapter's content"
    assert all(f["visible"] for f in focused if f["inMain"])
    bare = [f["tag"] for f in focused if not f["outline"]]
    assert bare == [], "focused elements without a visible focus indicator"
