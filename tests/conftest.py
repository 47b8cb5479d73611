"""Shared fixtures: temporary copies of the data, never the real files."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from buildtools import BASE_URL, REPO  # noqa: F401 (BASE_URL: for the tests)
from nkreport.project import ARCHIVE_SHA256, ARCHIVE_URL


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first, for pytest-xdist (scripts/test: ``--dist loadscope``, each module in one worker,
    so that a module's fixtures are made once and the browser modules share their worker's Chromium).

    First the module that reads the shared build most, so that one worker makes that build at once,
    and the module with the most builds of its own copies, for the other worker. Then the modules that
    use the browser: they wait on Chromium more than they compute, so they run beside those builds,
    not beside each other at the end. Then the other modules that build, the other readers of the
    shared build, and the quick modules.
    """

    def kind(item: pytest.Item) -> int:
        if not item.get_closest_marker("build"):
            return 2
        return int("built" in getattr(item, "fixturenames", ()))

    modules: dict[Path, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.path, []).append(item)
    # A module's place: its slowest kind of test, then how many it has (most first).
    place = {}
    for path, module in modules.items():
        kinds = [kind(item) for item in module]
        place[path] = (min(kinds), -kinds.count(min(kinds)))
    ranked = sorted(modules, key=place.get)
    readers = [path for path in ranked if place[path][0] == 1]
    builders = [path for path in ranked if place[path][0] == 0]
    browsing = [path for path in ranked if any(item.get_closest_marker("browser") for item in modules[path])]
    first = [*readers[:1], *builders[:1]]
    order = [*first, *(path for path in browsing if path not in first)]
    order += [path for path in ranked if path not in order]
    items.sort(key=lambda item: order.index(item.path))


NEEDS_ARCHIVE = "needs the source archive (NKREPORT_ARCHIVE), missing"


def pytest_terminal_summary(terminalreporter) -> None:
    """Where tests skipped for want of the source archive, one line saying how to provide it."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if NEEDS_ARCHIVE in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} test(s) skipped: no source archive at {REPO.archive}. Set NKREPORT_ARCHIVE to a copy of "
            f"the 'Emigration' category archive of North Korean Economy Watch ({ARCHIVE_URL}) as text, "
            f"sha256 {ARCHIVE_SHA256}", yellow=True)


@pytest.fixture(scope="session")
def archive() -> str:
    """The text of the source archive; skips where it is missing, fails where it is not the text recorded."""
    if not REPO.archive.exists():
        pytest.skip(NEEDS_ARCHIVE)
    digest = hashlib.sha256(REPO.archive.read_bytes()).hexdigest()
    if digest != ARCHIVE_SHA256:
        pytest.fail(f"{REPO.archive}: sha256 {digest}, expected {ARCHIVE_SHA256} (nkreport/project.py): "
                    f"not the archive the dataset was read from ({ARCHIVE_URL})", pytrace=False)
    return REPO.archive.read_text(encoding="utf-8")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/, references.bib and CITATION.cff; returns the data dir."""
    target = tmp_path / "data"
    shutil.copytree(REPO.data_dir, target)
    shutil.copy(REPO.bibliography, tmp_path / "references.bib")
    shutil.copy(REPO.root / "CITATION.cff", tmp_path / "CITATION.cff")
    return target


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Edit a copied file, failing loudly if the text to replace is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def release(root: Path) -> str:
    """CONTRIBUTING's version step on a copy: the next patch version, its changelog entry, the tables stamped."""
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    major, minor, patch = package["version"].split(".")
    version = f"{major}.{minor}.{int(patch) + 1}"
    new_version(root / "data", version, package["updated"])
    subprocess.run([sys.executable, "-m", "nkreport", "stamp"], cwd=root, check=True, capture_output=True)
    return version


def new_version(data_dir: Path, version: str, updated: str) -> None:
    """Step 5 of CONTRIBUTING's data update: version and date in the package and CITATION.cff, a changelog entry."""
    descriptor = data_dir / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    replace_in(descriptor, f'"version": "{package["version"]}"', f'"version": "{version}"')
    replace_in(descriptor, f'"updated": "{package["updated"]}"', f'"updated": "{updated}"')
    citation = data_dir.parent / "CITATION.cff"
    replace_in(citation, f'version: "{package["version"]}"', f'version: "{version}"')
    replace_in(citation, f'date-released: "{package["updated"]}"', f'date-released: "{updated}"')
    replace_in(data_dir / "CHANGELOG.md", "\n## ", f"\n## {version} — {updated}\n\n- A revised figure.\n\n## ")


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory) -> Path:
    """A copy of the project with every chart drawn, once per test run: ``copy_project(...,
    charts_from=chart_cache)`` gives a copy that draws only the charts its edits change."""
    from buildtools import draw_charts, once_per_run

    return once_per_run(tmp_path_factory, "chart-cache", draw_charts)


@pytest.fixture(scope="session")
def built(tmp_path_factory, chart_cache) -> Path:
    """A maintainer's checkout after ``bash scripts/build``, built once per test run (shared by
    pytest-xdist workers): the site in _build/html, the PDF, the doctests' report in _build/work/doctest
    and the chart cache. Read it, never change it: a test that edits builds a copy."""
    from buildtools import build_shared, once_per_run

    return once_per_run(tmp_path_factory, "shared-build", lambda root: build_shared(root, chart_cache))


@pytest.fixture(scope="module")
def projects(tmp_path_factory, chart_cache) -> dict:
    """For the tests that stop builds (tests/stopping.py): a copy built once, and a clean build of revised data."""
    from stopping import built_and_reference

    return built_and_reference(tmp_path_factory, chart_cache)


@pytest.fixture(scope="session")
def html(built: Path) -> Path:
    """The HTML site of the shared build, warnings as errors."""
    return built / "_build" / "html"


@pytest.fixture(scope="session")
def pdf(built: Path) -> Path:
    """The PDF of the shared build, through LaTeX and latexmk."""
    return built / "_build" / "latex" / "nk-emigration.pdf"


CHROMIUM = "/usr/bin/chromium"
# Chromium on a closed network: no background fetches, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # Chromium drops connections it no longer needs (a page closed while a file was on its way): a
        # traceback in the test log, not a fault of the site. A request that fails in a page is a test failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site(html):
    server = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=html))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def pages(html):
    return sorted(p.relative_to(html).as_posix() for p in html.glob("*.html"))


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, launched once per test run (per pytest-xdist worker)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
