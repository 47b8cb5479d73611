"""The report builds (HTML and PDF) with warnings as errors, deterministically and incrementally."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import pytest
from buildtools import copy_project, read_docs, regenerated, revise_figure, sphinx
from conftest import line_of, replace_in
from nkreport import charts

pytestmark = pytest.mark.build

CHAPTERS = ["border-controls", "demographics", "elite-defections", "us-refugees", "market-survey", "methods"]


def test_every_chapter_is_built(html):
    for chapter in ["index", "summary", *CHAPTERS, "bibliography"]:
        assert (html / f"{chapter}.html").exists(), chapter


def test_charts_are_embedded_as_svg_with_alt_text_and_data(html):
    for name in charts.CHARTS:
        assert list((html / "_downloads").glob(f"*/{name}.csv")), name
    page = (html / "demographics.html").read_text(encoding="utf-8")
    # Inline, so that its marks can take focus (tests/test_chart_views.py); the alt text names the drawing.
    assert re.search(r'<svg [^>]*id="women_share" class="chart-svg" role="group" aria-label="[^"]*women', page)


def test_numbers_link_to_their_provenance(html):
    page = (html / "summary.html").read_text(encoding="utf-8")
    assert 'href="methods.html#data-arrivals-2011-yonhap2013"' in page


def test_two_clean_builds_are_byte_identical(tmp_path):
    builds = []
    for name in ("first", "second"):
        root = copy_project(tmp_path / name)
        sphinx(root, "html", root / "_out")
        builds.append(root)
    first, second = builds
    charts_dir = Path("report/_generated/charts")
    for ext in ("svg", "csv"):
        for chart in charts.CHARTS:
            a, b = first / charts_dir / f"{chart}.{ext}", second / charts_dir / f"{chart}.{ext}"
            assert a.read_bytes() == b.read_bytes(), f"{chart}.{ext} differs between clean builds"
    compared = filecmp.dircmp(first / "_out", second / "_out", ignore=[".doctrees", ".buildinfo"])
    differing = []

    def collect(cmp, prefix=""):
        differing.extend(prefix + f for f in cmp.diff_files + cmp.left_only + cmp.right_only)
        for sub, child in cmp.subdirs.items():
            collect(child, f"{prefix}{sub}/")

    collect(compared)
    assert differing == []


def test_rebuilds_are_incremental(tmp_path):
    root = copy_project(tmp_path / "project")
    out = root / "_out"
    cold = sphinx(root, "html", out).stdout
    assert sorted(regenerated(cold)) == sorted(charts.CHARTS)

    noop = sphinx(root, "html", out).stdout
    assert regenerated(noop) == []
    assert read_docs(noop) == 0

    replace_in(root / "report" / "market-survey.md", "\n## ", "\nAn added sentence.\n\n## ")
    edited = sphinx(root, "html", out).stdout
    assert regenerated(edited) == []
    # The chapter, and What's new, which quotes the chapters' sentences whose numbers moved; nothing else.
    assert read_docs(edited) == 2

    # A data change redraws only the charts whose plotted rows changed.
    revise_figure(root / "data" / "figures.csv", "unemployment-defectors-2013-chosun2014", "9.8")
    changed = sphinx(root, "html", out).stdout
    assert regenerated(changed) == ["earnings_unemployment"]
    page = (out / "demographics.html").read_text(encoding="utf-8")
    assert "9.8%" in page


def test_doctests_and_latex_from_the_html_steps_reading_equal_their_own(tmp_path, chart_cache):
    """scripts/build's doctest and LaTeX steps start from the HTML step's saved environment (nkreport.check
    --environment-from) and read no page: what they make is what they make reading every page themselves."""
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    sphinx(root, "html", root / "html")
    made = {}
    for how, options in (("seeded", ("--environment-from=html",)), ("read", ())):
        for builder in ("doctest", "latex"):
            made[how, builder] = read_docs(sphinx(root, builder, root / how / builder, *options).stdout)
    assert made["seeded", "doctest"] == made["seeded", "latex"] == 0
    assert made["read", "doctest"] == made["read", "latex"] > 0
    # The doctests' report, less its first line (the time it ran).
    reports = [(root / how / "doctest" / "output.txt").read_text(encoding="utf-8").split("\n", 1)[1]
               for how in ("seeded", "read")]
    assert reports[0] == reports[1] and "0 failed" in reports[0]
    compared = filecmp.dircmp(root / "seeded" / "latex", root / "read" / "latex", ignore=[".doctrees"])
    assert compared.diff_files == compared.left_only == compared.right_only == []


OWN_RULE = ("figures.csv", ",75.6,,,percent,", ",756,,,percent,", "756 is not a percentage between 0 and 100")
# Found by Frictionless alone, whose checks run in another process while the build reads the pages.
FRICTIONLESS_ONLY = ("figures.csv", "arrivals-2012-yonhap2014,", "arrivals-2011-yonhap2013,", "id: primary-key")
# ... and breaking, before they end, a chart as its rows are read, or a page as it is read.
UNIT_OF_A_CHART = ("figures.csv", ",50,,,percent,more than,yonhap2015femaleshare",
                   ",50,,,pounds,more than,yonhap2015femaleshare", "unit: constraint-error")
UNIT_OF_A_SENTENCE = ("figures.csv", "2013-03-31,-10,,,percent change,", "2013-03-31,-10,,,pounds,",
                      "unit: constraint-error")


@pytest.mark.parametrize("mistakes", [(OWN_RULE, FRICTIONLESS_ONLY), (FRICTIONLESS_ONLY,), (UNIT_OF_A_CHART,),
                                      (UNIT_OF_A_SENTENCE,)],
                         ids=["a rule of the report's own and Frictionless's", "Frictionless's alone",
                              "Frictionless's, breaking a chart", "Frictionless's, breaking a page"])
def test_invalid_data_stops_the_build_before_writing(tmp_path, chart_cache, mistakes):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    record = root / "report" / "_generated" / "valid-data.sha256"  # the last data found valid
    recorded = record.read_bytes()
    for table, old, new, _ in mistakes:
        replace_in(root / "data" / table, old, new)
    result = sphinx(root, "html", root / "_out", check=False)
    assert result.returncode != 0
    assert "figures.csv:" in result.stdout and all(said in result.stdout for *_, said in mistakes)
    assert "Traceback" not in result.stdout and "chart '" not in result.stdout, "one line per problem of the data"
    assert not list((root / "_out").glob("*.html"))
    assert record.read_bytes() == recorded, "the invalid data recorded as valid"


def test_failing_chart_points_at_its_module_and_line(tmp_path, chart_cache):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    module = root / "scripts" / "nkreport" / "charts" / "defection_cost.py"
    failing = "def draw(rows) -> Figure:\n    raise ValueError('no data to draw')\n"
    replace_in(module, "def draw(rows) -> Figure:\n", failing)
    line = next(n for n, text in enumerate(module.read_text().splitlines(), 1) if "no data to draw" in text)
    result = sphinx(root, "html", root / "_out", check=False)
    assert result.returncode != 0
    assert f"defection_cost.py:{line}: chart 'defection_cost' failed: ValueError: no data to draw" in result.stdout
    assert "Traceback" not in result.stdout, "a crash report, not one line"
    showing = showing_chart(root, "defection_cost")
    assert not (root / "_out" / f"{showing}.html").exists(), "the page showing the chart, with its old drawing"


def test_a_parallel_build_draws_its_stale_charts_before_forking_its_writers(tmp_path, chart_cache):
    """With ``-j`` Sphinx writes pages in forked processes, which would wait for ever for a drawing the
    build's own process receives later: the build draws every stale chart before it writes any page."""
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    module = root / "scripts" / "nkreport" / "charts" / "defection_cost.py"
    # Stale, and still being drawn when the pages are read.
    replace_in(module, "def draw(rows) -> Figure:\n", "def draw(rows) -> Figure:\n    __import__('time').sleep(5)\n")
    result = sphinx(root, "html", root / "_out", "--jobs=2", timeout=120)
    assert regenerated(result.stdout) == ["defection_cost"]
    assert "defection_cost" in (root / "_out" / f"{showing_chart(root, 'defection_cost')}.html").read_text()


def showing_chart(root: Path, name: str) -> str:
    """The page showing chart ``name``."""
    return next(page.stem for page in (root / "report").glob("*.md")
                if f"{{chart}} {name}" in page.read_text(encoding="utf-8"))


# A writer's mistakes in roles: (the line written, what the build says of it).
UNKNOWN_FIGURE = ("Typo here: {fig}`arrivals-2014-yonhap`.",
                  "ERROR: no figure with id 'arrivals-2014-yonhap'; did you mean 'arrivals-2014-yonhap2015'")
CALCS_THAT_CANNOT_BE_COMPUTED = {
    "share(arrivals-2014-yonhap2015, 0)": "DivisionByZero",
    "percent_change(arrivals-2014-yonhap2015, 2, places=900)": "InvalidOperation",
}


@pytest.fixture(scope="module")
def role_mistakes(tmp_path_factory, chart_cache) -> tuple[Path, str]:
    """One copy with every role mistake above, each its own paragraph of one chapter, built once with the
    dummy builder (roles are checked while the chapters are read); the chapter and the build's output."""
    root = copy_project(tmp_path_factory.mktemp("roles") / "project", charts_from=chart_cache)
    page = root / "report" / "demographics.md"
    written = [UNKNOWN_FIGURE[0], *(f"A derived number: {{calc}}`{e}`." for e in CALCS_THAT_CANNOT_BE_COMPUTED)]
    lines = page.read_text(encoding="utf-8").splitlines()
    lines[2:2] = [line for text in written for line in (text, "")]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sphinx(root, "dummy", root / "_out", check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout, result.stdout[-3000:]
    return page, result.stdout


def test_unknown_figure_id_points_at_file_and_line(role_mistakes):
    page, output = role_mistakes
    text, message = UNKNOWN_FIGURE
    assert f"demographics.md:{line_of(page, text)}: {message}" in output, output[-3000:]


@pytest.mark.parametrize(("expression", "why"), CALCS_THAT_CANNOT_BE_COMPUTED.items())
def test_calc_that_cannot_be_computed_points_at_file_and_line(role_mistakes, expression, why):
    page, output = role_mistakes
    line = line_of(page, f"{{calc}}`{expression}`")
    assert f"demographics.md:{line}: ERROR: {{calc}}: cannot compute {expression}: {why}: expected" in output, (
        output[-3000:])


def test_failing_rows_of_a_chart_point_at_its_module_and_line(tmp_path, chart_cache):
    """rows() runs in the build's own process (its result decides what to redraw): named just the same."""
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    module = root / "scripts" / "nkreport" / "charts" / "us_admissions.py"
    header = "def rows(ds) -> list[dict]:\n"
    replace_in(module, header, header + "    raise KeyError('no such row')\n")
    line = next(n for n, text in enumerate(module.read_text().splitlines(), 1) if "no such row" in text)
    result = sphinx(root, "html", root / "_out", check=False)
    assert result.returncode != 0
    assert f"us_admissions.py:{line}: chart 'us_admissions' failed: KeyError: 'no such row'" in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.parametrize("function", ["caption", "alt_text"])
def test_failing_caption_or_alt_text_of_a_chart_points_at_its_module_and_line(tmp_path, chart_cache, function):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    name = charts.CHARTS[0]
    module = root / "scripts" / "nkreport" / "charts" / f"{name}.py"
    lines = module.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(n for n, text in enumerate(lines) if text.startswith(f"def {function}("))
    lines.insert(header + 1, f"    raise LookupError('no {function}')\n")
    module.write_text("".join(lines), encoding="utf-8")
    result = sphinx(root, "html", root / "_out", check=False)
    assert result.returncode != 0
    assert f"{name}.py:{header + 2}: chart '{name}' failed: LookupError: no {function}" in result.stdout
    assert "Traceback" not in result.stdout
    assert not (root / "_out" / "index.html").exists()


def test_chapter_that_is_not_utf8_is_named_by_line_and_column(tmp_path, chart_cache):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    page = root / "report" / "demographics.md"
    line = line_of(page, "arrivals")
    lines = page.read_bytes().split(b"\n")
    column = lines[line - 1].index(b"arrivals") + 1
    lines[line - 1] = lines[line - 1].replace(b"arrivals", b"\xe4rrivals", 1)
    page.write_bytes(b"\n".join(lines))
    result = sphinx(root, "html", root / "_out", check=False)
    assert result.returncode != 0
    assert f"report/demographics.md:{line}:{column}: byte 0xe4 is not UTF-8: expected UTF-8 text" in result.stdout
    assert "Traceback" not in result.stdout
    assert not (root / "_out" / "index.html").exists()
