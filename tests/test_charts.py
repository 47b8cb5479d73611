"""The charts: their rows are the dataset's numbers, their figures draw exactly those rows.

Each chart is drawn once per module (the ``drawn`` fixture); the tests read
the numbers back from the figure's artists, found by the ``gid`` each mark
carries, and compare them with the rows and the rows with the dataset.
Derived values are recomputed here with plain Decimal arithmetic.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations
from pathlib import Path
from unittest import mock

import matplotlib as mpl
import pytest
from buildtools import REPO
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from nkreport import bib, chartbuild, charts, data, formatting
from nkreport.chartfiles import rows_csv
from nkreport.charts import _marks, _rows, style

DS = REPO.load()

# Rows whose values run along x: horizontal dot plots.
HORIZONTAL = {"arrivals_subannual": lambda row: True, "defection_cost": lambda row: True,
              "us_shorter_periods": lambda row: True, "us_support": lambda row: True}
# Rows on a time axis, where a point must sit within (or, dodged, just beside) its period.
TIME_AXIS = {"arrivals_annual": lambda row: True, "women_share": lambda row: True,
             "us_admissions": lambda row: True, "us_running_total": lambda row: True}

FIGURE_ID = r"[a-z0-9]+(?:-[a-z0-9]+)+"


def one_decimal(number: Decimal) -> Decimal:
    return number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def operand(figure_id: str) -> tuple[Decimal, Decimal]:
    """A figure's (low, high): its value twice, or the ends of its stated range."""
    f = DS.figure(figure_id)
    return (f.value, f.value) if f.value is not None else (f.low, f.high)


def recompute(formula: str) -> dict[str, Decimal]:
    """A derived row's value (or low and high), recomputed here from the formula its id names.

    Independent of the charts' arithmetic: plain Decimal, rounding half up;
    quotients (shares, ratios, percent changes) to one decimal, the rest exact.
    """
    change = re.fullmatch(rf"percent_change\(({FIGURE_ID}), ({FIGURE_ID})\)", formula)
    if change:
        (old, _), (new, _) = operand(change[1]), operand(change[2])
        return {"value": one_decimal((new - old) * 100 / old)}
    match = re.fullmatch(rf"({FIGURE_ID}) ([-+×/]) ({FIGURE_ID})( × 100)?", formula)
    assert match, f"a derived row's id names no formula this test knows: {formula!r}"
    left, op, right, percent = match.groups()
    ends = []
    for a, b in zip(operand(left), operand(right), strict=True):
        result = {"+": a + b, "-": a - b, "×": a * b, "/": a / b if b else None}[op]
        ends.append(one_decimal(result * (100 if percent else 1)) if op == "/" else result)
    single = DS.figure(left).value is not None and DS.figure(right).value is not None
    return {"value": ends[0]} if single else {"low": ends[0], "high": ends[1]}


@pytest.fixture(scope="module")
def drawn():
    """name -> (module, rows, figure), each chart drawn and laid out once."""
    found = {}
    for name in charts.CHARTS:
        module = charts.get(name)
        rows = module.rows(DS)
        figure = chartbuild.drawing(module, rows, chartbuild.credit(rows, DS))
        figure.draw_without_rendering()
        found[name] = (module, rows, figure)
    return found


def marks(figure, texts: bool = False) -> dict[str, list]:
    """The data-carrying artists of every axes by gid (None for decoration), with texts if asked."""
    found = defaultdict(list)
    for ax in figure.axes:
        for artist in [*ax.lines, *ax.patches, *ax.collections, *(ax.texts if texts else [])]:
            if not isinstance(artist, Text) or artist.get_gid():
                found[artist.get_gid()].append(artist)
    return found


def as_decimal(number) -> Decimal | None:
    return None if number is None else Decimal(str(number))


def year_fraction(day: date) -> float:
    first = date(day.year, 1, 1)
    return day.year + (day - first).days / (date(day.year + 1, 1, 1) - first).days


def period_years(row) -> tuple[float | None, float]:
    start = year_fraction(date.fromisoformat(row["period_start"])) if row["period_start"] else None
    return start, year_fraction(date.fromisoformat(row["period_end"]) + timedelta(days=1))


# --- the package ------------------------------------------------------------


def test_package_finds_every_chart_module_and_imports_no_matplotlib():
    modules = {p.stem for p in Path(charts.__file__).parent.glob("*.py")} - {"__init__", "style"}
    assert set(charts.CHARTS) == {m for m in modules if not m.startswith("_")} and charts.CHARTS
    code = "import sys, nkreport.charts; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(KeyError, match="no chart 'nope'"):
        charts.get("nope")


# Each chart's rows, words and title as a build reads them before its pages; then whether matplotlib came in.
ROWS_AND_WORDS = """
import sys
from pathlib import Path
from nkreport import chartbuild, charts
from nkreport.project import Project
ds = Project(Path(sys.argv[1])).load()
for name in charts.CHARTS:
    module = charts.get(name)
    rows = module.rows(ds)
    chartbuild.data_files(module, rows, ds), module.title(rows), chartbuild.credit(rows, ds)
    if "matplotlib" in sys.modules:
        sys.exit(f"{module.__file__}: imports matplotlib before it draws")
"""


def test_a_build_reads_every_charts_rows_and_words_without_matplotlib():
    """The site's build reads them as it starts, while matplotlib is imported by the process that draws:
    a chart module imports matplotlib (and ``charts._marks``) in ``draw``."""
    result = subprocess.run([sys.executable, "-c", ROWS_AND_WORDS, str(REPO.root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", charts.CHARTS)
def test_module_interface(name):
    module = charts.get(name)
    assert module.LABEL == f"fig-{name.replace('_', '-')}"
    assert set(module.TABLES) <= {"figures", "official", "releases", "events", "series"} and module.TABLES
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "pyplot" not in source and "savefig" not in source


def figure_texts(figure) -> list[str]:
    return [text.get_text() for text in figure.texts]


@pytest.mark.parametrize("name", charts.CHARTS)
def test_the_image_carries_its_takeaway_sources_and_data_version(drawn, name):
    """A screenshot of a chart keeps what it shows, where it comes from and which data it was drawn from."""
    module, rows, figure = drawn[name]
    title, credit = figure_texts(figure)[-2:]
    assert " ".join(title.split()) == module.title(rows) and re.search(r"\d", title), title
    words = " ".join(credit.split())
    assert f"Data version {DS.version} of {formatting.date_words(DS.descriptor['updated'])}." in words
    outlets = {re.sub(r"\s+\d{4}[a-z]?$", "", label) for label in (
        *(f.source_label for f in DS.figures.values() if f.source in _rows.cite_keys(rows)),
        *(e.source_label for e in DS.events.values() if e.source in _rows.cite_keys(rows)))}
    assert all(outlet in words for outlet in outlets), (name, outlets, words)
    assert "http" not in words, "no address is printed where none is set"
    address = "https://reports.example.org/nk-emigration/"
    assert chartbuild.credit(rows, DS, address).endswith("reports.example.org/nk-emigration/")


@pytest.mark.parametrize("name", charts.CHARTS)
def test_a_legend_has_at_most_six_entries(drawn, name):
    _, _, figure = drawn[name]
    legends = [*figure.legends, *(ax.get_legend() for ax in figure.axes if ax.get_legend())]
    entries = sum(len(legend.get_texts()) for legend in legends)
    assert entries <= 6, f"{name}: {entries} legend entries; label the marks directly"


def test_the_arrivals_title_follows_the_data(variant):
    """Next year's data moves the numbers in the title: the peak and the newest year of the ministry's series."""
    _, ds, _ = variant
    rows, _ = drawn_from(variant, "arrivals_annual")
    current = ds.official("arrivals")
    peak, newest = max(current, key=lambda f: f.value), current[-1]
    title = charts.get("arrivals_annual").title(rows)
    assert f"{formatting.amount(peak.value)} in {peak.year}" in title, title
    assert f"{formatting.amount(newest.value)} came in {newest.year}" in title, title


def test_style_is_the_shared_house_style():
    params = mpl.rc_params_from_file(style.STYLE, use_default_template=False)
    # Text stays text in the SVG: selectable, and measurable by tests/test_chart_text.py.
    assert params["svg.fonttype"] == "none"
    assert params["svg.hashsalt"]
    assert min(params[k] for k in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize")) >= 11
    cycle = [c.upper() for c in params["axes.prop_cycle"].by_key()["color"]]
    assert "#F0E442" not in cycle and "F0E442" not in cycle


def test_drawing_leaves_global_state_alone():
    before = dict(mpl.rcParams)
    module = charts.get("arrivals_annual")
    module.draw(module.rows(DS))
    assert dict(mpl.rcParams) == before


def test_svg_is_reproducible_with_text_as_text(tmp_path):
    module = charts.get("women_share")
    rows = module.rows(DS)
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    style.save(module.draw(rows), first)
    style.save(module.draw(rows), second)
    assert first.read_bytes() == second.read_bytes()
    assert b"<text" in first.read_bytes() and b"Women among arrivals" in first.read_bytes()


# --- (1) rows are the dataset's numbers ---------------------------------------


@pytest.mark.parametrize("name", charts.CHARTS)
def test_rows_are_flat_uniform_and_csv_ready(drawn, name):
    _, rows, _ = drawn[name]
    keys = list(rows[0])
    assert {"id", "source", "derived"} <= set(keys)
    for row in rows:
        assert list(row) == keys
        assert all(isinstance(v, str | int | float | bool | type(None)) for v in row.values()), row
        assert row["derived"] == (row["source"] == "derived") == row["id"].startswith("derived: ")
    json.dumps(rows)
    assert rows_csv(rows).decode().splitlines()[0] == ",".join(keys)
    assert len({r["id"] for r in rows}) == len(rows)


@pytest.mark.parametrize("name", charts.CHARTS)
def test_rows_hold_every_current_official_value_of_the_series_they_plot(drawn, name):
    """A new year of an official series reaches every chart that plots that series by year (a chart of the
    series' shorter periods plots none of its years)."""
    _, rows, _ = drawn[name]
    named = {i for r in rows for i in re.findall(FIGURE_ID, r["id"]) if i in DS.figures}
    yearly = {i for i in named if DS.figure(i).is_official and DS.figure(i).period_type in data.ANNUAL}
    for series in {DS.figure(i).series for i in yearly}:
        current = {f.id for f in DS.official(series)}
        assert current <= named, (series, sorted(current - named))


@pytest.mark.parametrize("name", charts.CHARTS)
def test_rows_hold_the_dataset_values(drawn, name):
    _, rows, _ = drawn[name]
    for row in (r for r in rows if not r["derived"]):
        if row["id"] in DS.figures:
            f = DS.figure(row["id"])
            assert (as_decimal(row["value"]), as_decimal(row["low"]), as_decimal(row["high"])) == (
                f.value, f.low, f.high), row["id"]
            assert (row["source"], row["qualifier"], row["unit"]) == (f.source, f.qualifier, f.unit)
            assert row["period_end"] == f.period_end.isoformat()
        elif row["id"] in DS.events:
            e = DS.event(row["id"])
            assert row["source"] == e.source
            assert (row["period_start"], row["period_end"]) == (
                e.date_start and e.date_start.isoformat(), e.date_end.isoformat())
        else:
            first, last = (DS.event(i) for i in row["id"].split(" to "))
            assert (row["period_start"], row["period_end"]) == (first.date_start.isoformat(),
                                                                last.date_end.isoformat())
            assert set(row["source"].split(",")) == {first.source, last.source}


@pytest.mark.parametrize("name", charts.CHARTS)
def test_reader_facing_words_come_from_series_csv(drawn, name):
    """A stated row's title, short label, measurer and population are its series' words, not the chart's own."""
    _, rows, _ = drawn[name]
    for row in (r for r in rows if not r["derived"] and r["id"] in DS.figures):
        info = DS.series_info[DS.figure(row["id"]).series]
        if "what" in row:
            assert row["what"] == info.title, row["id"]
        if "short" in row:
            assert row["short"] in (info.label, _rows.capitalised(info.label)), row["id"]
        if "said_by" in row:
            assert row["said_by"] == info.measured_by, row["id"]
        if "population" in row:
            assert info.population and row["population"] == info.population.format(period=row["period"]), row["id"]


@pytest.mark.parametrize("name", charts.CHARTS)
def test_derived_rows_are_recomputed_from_the_figures_they_name(drawn, name):
    _, rows, _ = drawn[name]
    for row in (r for r in rows if r["derived"]):
        for field, number in recompute(row["id"].removeprefix("derived: ")).items():
            assert as_decimal(row[field]) == number, (row["id"], field)
        named = re.findall(FIGURE_ID, row["id"])
        assert named and all(i in DS.figures for i in named)
        assert set(row["based_on"].split(",")) == {DS.figure(i).source for i in named}


# --- (2) the figure draws exactly the rows --------------------------------------


def shown(artist, horizontal: bool) -> tuple[float, float]:
    """Where an artist starts on the value axis and how far it reaches: a point gives (v, 0), a bar (bottom, height)."""
    if isinstance(artist, Line2D):
        ((x, y),) = artist.get_xydata()
        return (x, 0) if horizontal else (y, 0)
    if isinstance(artist, Rectangle):
        return (artist.get_x(), artist.get_width()) if horizontal else (artist.get_y(), artist.get_height())
    (level,) = {point[0 if horizontal else 1] for segment in artist.get_segments() for point in segment}
    return level, 0


@pytest.mark.parametrize("name", charts.CHARTS)
def test_figure_shows_each_row_as_stated(drawn, name):
    _, rows, figure = drawn[name]
    found = marks(figure, texts=True)
    for row in rows:
        artists = found.get(_rows.gid(row["id"]), [])
        assert len(artists) == 1, (row["id"], artists)
        artist = artists[0]
        horizontal = HORIZONTAL.get(name, lambda r: False)(row)
        if isinstance(artist, Text):
            # A figure shown as words (a stated change beside the recomputed one) shows its number.
            assert number_words(row["value"]) in artist.get_text(), row["id"]
        elif row["value"] is not None:
            start, size = shown(artist, horizontal)
            # A bar shows a value by its length (it may stand on another bar), a point by its place.
            assert (size if isinstance(artist, Rectangle) else start) == row["value"], row["id"]
        elif row["low"] is not None:
            start, size = shown(artist, horizontal)
            assert (start, start + size) == (row["low"], row["high"]), row["id"]
        else:
            start, end = period_years(row)
            if isinstance(artist, Rectangle):
                assert (artist.get_x(), artist.get_x() + artist.get_width()) == pytest.approx((start, end))
            else:
                assert start is None and artist.get_xydata()[0][0] == pytest.approx(end), row["id"]


@pytest.mark.parametrize("name", sorted(TIME_AXIS))
def test_points_sit_at_their_period(drawn, name):
    _, rows, figure = drawn[name]
    found = marks(figure)
    for row in rows:
        (artist,) = found.get(_rows.gid(row["id"]), [None])
        if isinstance(artist, Line2D) and TIME_AXIS[name](row):
            start, end = period_years(row)
            x = artist.get_xydata()[0][0]
            assert (start if start is not None else end) - 0.25 <= x <= end + 0.25, row["id"]


@pytest.mark.parametrize("name", charts.CHARTS)
def test_figure_plots_nothing_but_the_rows(drawn, name):
    _, rows, figure = drawn[name]
    ids = {_rows.gid(r["id"]) for r in rows}
    for gid, artists in marks(figure, texts=True).items():
        if gid is None:
            # Only decoration may go without a row: lines placed (at least in part) in axes coordinates,
            # such as axis break marks and dividers, not at data values.
            assert all(isinstance(a, Line2D) and a.get_transform() != a.axes.transData for a in artists), artists
        else:
            assert gid.split("--")[0] in ids, gid


@pytest.mark.parametrize("name", charts.CHARTS)
def test_derived_and_lower_bound_marks_look_different(drawn, name):
    _, rows, figure = drawn[name]
    found = marks(figure)
    stated_markers = set()
    for row in rows:
        (artist,) = found.get(_rows.gid(row["id"]), [None])
        if isinstance(artist, Line2D):
            hollow = to_rgba(artist.get_markerfacecolor()) == to_rgba("white")
            assert hollow == row["derived"], row["id"]
            if not _rows.is_lower_bound(row):
                stated_markers.add(artist.get_marker())
        elif isinstance(artist, Rectangle) and row["low"] is not None:
            assert bool(artist.get_hatch()) == row["derived"], row["id"]
    for row in (r for r in rows if _rows.is_lower_bound(r)):
        for artist in found.get(_rows.gid(row["id"]), []):
            assert artist.get_marker() not in stated_markers, row["id"]


def test_annual_arrivals_never_join_years(drawn):
    _, _, figure = drawn["arrivals_annual"]
    for ax in figure.axes:
        for line in ax.lines:
            assert len(line.get_xydata()) <= 1 or line.get_linestyle() in ("None", "none", "", " "), line


# --- legibility and contrast ----------------------------------------------------


def contrast_with_white(colour) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = to_rgba(colour)
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def visible(colour) -> bool:
    return to_rgba(colour)[3] > 0 and to_rgba(colour) != to_rgba("white")


@pytest.mark.parametrize("name", charts.CHARTS)
def test_text_is_large_and_dark_enough(drawn, name):
    _, _, figure = drawn[name]
    for text in figure.findobj(Text):
        if text.get_text().strip() and text.get_visible():
            # 11 pt at the drawn 4.4 in is 11 CSS px in a 375 px phone's column (test_chart_text measures it).
            assert text.get_fontsize() >= 11, text
            # White text only sits on a dark bar.
            if to_rgba(text.get_color()) != to_rgba("white"):
                assert contrast_with_white(text.get_color()) >= 4.5, text


def drawn_texts(figure) -> list[tuple[Text, object]]:
    """Every text the figure draws (tick labels of ticks outside the axes are not drawn), with its box in pixels."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    texts = []
    draw = Text.draw

    def record(text, renderer):
        if text.get_visible() and text.get_text().strip():
            texts.append(text)
        return draw(text, renderer)

    with mock.patch.object(Text, "draw", record):
        figure.draw(renderer)
    return [(text, text.get_window_extent(renderer)) for text in texts]


def inside(box, frame) -> bool:
    """Whether a text's box lies within the figure's (half a pixel's rounding allowed)."""
    return (box.x0 >= frame.x0 - 0.5 and box.y0 >= frame.y0 - 0.5 and box.x1 <= frame.x1 + 0.5
            and box.y1 <= frame.y1 + 0.5)


ELLIPSES = ("…", "...")


@pytest.mark.parametrize("name", charts.CHARTS)
def test_no_text_is_cut_leaves_the_figure_or_covers_another(drawn, name):
    _, rows, figure = drawn[name]
    data_words = [v for row in rows for v in row.values() if isinstance(v, str)]
    boxes = drawn_texts(figure)
    frame = figure.bbox
    for text, box in boxes:
        words = text.get_text()
        # An ellipsis is only allowed where the data's own words end in one.
        last_line = words.splitlines()[-1].strip()
        assert not words.endswith(ELLIPSES) or any(w.endswith(last_line) for w in data_words), (name, words)
        assert inside(box, frame), (name, words, box.extents, frame.extents)
    for (first, a), (second, b) in combinations(boxes, 2):
        overlap = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
        assert min(overlap) <= 1, (name, first.get_text(), second.get_text())


def test_timeline_shows_every_description_whole(drawn):
    _, rows, figure = drawn["elite_timeline"]
    shown = " ".join(" ".join(text.get_text().split()) for text, _ in drawn_texts(figure))
    for row in rows:
        assert row["description"] in shown, row["id"]


@pytest.mark.parametrize("name", charts.CHARTS)
def test_marks_contrast_with_white(drawn, name):
    _, _, figure = drawn[name]
    for gid, artists in marks(figure).items():
        for artist in artists:
            if isinstance(artist, Line2D):
                colours = [artist.get_color(), artist.get_markeredgecolor()]
            elif isinstance(artist, LineCollection):
                colours = list(artist.get_colors())
            elif artist.get_zorder() <= 0:
                continue  # background shading, labelled in text
            else:
                edge = artist.get_edgecolor()
                colours = [edge if visible(edge) and artist.get_linewidth() > 0 else artist.get_facecolor()]
            for colour in colours:
                assert contrast_with_white(colour) >= 3, (gid, colour)
                assert to_rgba(colour) != to_rgba("#F0E442")


# --- (3) caption and alt text ---------------------------------------------------


def cited(caption: str) -> list[str]:
    roles = re.findall(r"\{cite:p\}`([^`]*)`", caption)
    assert len(roles) == 1, caption
    return roles[0].split(",")


@pytest.mark.parametrize("name", charts.CHARTS)
def test_caption_cites_every_source(drawn, name):
    module, rows, _ = drawn[name]
    caption = module.caption(rows)
    keys = cited(caption)
    assert keys == sorted(set(keys))
    assert "derived" not in keys
    assert set(keys) <= bib.keys(REPO.bibliography)
    needed = {k for r in rows for field in ("source", "based_on") for k in r[field].split(",") if k}
    assert needed - {"derived"} == set(keys)
    if any(r["derived"] for r in rows):
        assert "derived" in caption.lower()


def number_words(number) -> str:
    # Round millions read as the press states them ("1.41 million"), as test_units pins.
    return formatting.amount(number)


def sentences(text: str) -> int:
    """Sentences in plain text: each ends with '.', '!' or '?' before the end or a new capitalised sentence."""
    return len(re.findall(r"[.!?][\"')]?(?=\s+[A-Z(\"]|$)", text.strip()))


@pytest.mark.parametrize("name", charts.CHARTS)
def test_caption_is_what_to_see_in_two_sentences_then_the_sources(drawn, name):
    """The full readout is the alt text's job (and the table view's): the caption says what to look at."""
    module, rows, _ = drawn[name]
    caption = module.caption(rows)
    citation = re.search(r"\{cite:p\}`[^`]*`", caption)[0]
    body, sources = caption.split("Sources: ")
    assert sources == f"{citation}.", caption
    assert 1 <= sentences(body) <= 2, body
    # At most one plotted value may be named, not a list of them.
    values = {number_words(r[f]) for r in rows for f in ("value", "low", "high") if r[f] is not None}
    named = {v for v in values if re.search(rf"(?<![\d,.]){re.escape(v)}(?![\d,]|\.\d)", body)}
    assert len(named) <= 1, (body, named)


def test_sentences_are_counted_as_a_reader_would():
    assert sentences("One (a) thing, 2.5 of them. Two: \"late 2013\". (c) Three.") == 3
    assert sentences("Only one, with Kim Jong-un's 1,000.") == 1


@pytest.mark.parametrize("name", charts.CHARTS)
def test_alt_text_states_the_numbers_in_plain_text(drawn, name):
    module, rows, _ = drawn[name]
    alt = module.alt_text(rows)
    assert not re.search(r"[{}`*_\[\]]", alt), alt
    for row in rows:
        for field in ("value", "low", "high"):
            if row[field] is not None:
                assert number_words(row[field]) in alt, (row["id"], field, number_words(row[field]))
        # The source's hedge stays with its number: "more than 1,000", "some $8,000–9,000".
        first = row["value"] if row["value"] is not None else row["low"]
        if row["qualifier"] and first is not None:
            assert re.search(rf"{re.escape(row['qualifier'])} \$?{re.escape(number_words(first))}", alt), row["id"]
    if name == "elite_timeline":
        assert all(r["description"] in alt and r["period"] in alt for r in rows)


def test_thousands_separators_in_alt_text(drawn):
    module, rows, _ = drawn["arrivals_annual"]
    assert "2,929 in 2009" in module.alt_text(rows)
    module, rows, _ = drawn["china_visitors_half_year"]
    assert "91,800" in module.alt_text(rows) and "-2.3%" in module.alt_text(rows)


def test_market_income_shows_each_share_with_its_source_and_population(drawn):
    module, rows, figure = drawn["market_income"]
    (ax,) = figure.axes
    assert ax.get_ylim() == (0, 100)
    found = marks(figure, texts=True)

    def artist(figure_id):
        (only,) = found[_rows.gid(figure_id)]
        return only

    # "A little more than half": the lower-bound arrow the other charts use, standing on 50.
    survey = DS.figure("survey-no-state-pay-2014-wsj2015")
    arrow = artist(survey.id)
    assert survey.qualifier == "a little more than" and arrow.get_xydata()[0][1] == survey.value
    assert arrow.get_marker() is _marks.LOWER_BOUND_MARKER
    # The experts' range is a bar from low to high.
    income = DS.figure("market-income-share-wsj2015")
    bar = artist(income.id)
    assert (bar.get_y(), bar.get_y() + bar.get_height()) == (income.low, income.high)
    # Every share is labelled with its source and the group it describes.
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert len(labels) == len(rows) == 2
    for label, row in zip(labels, rows, strict=True):
        assert row["source_label"] in label and row["population"][1:] in label, label
    assert "SNU IPUS survey" in labels[0] and "unnamed experts" in labels[1]
    assert "different group" in module.caption(rows) and "lower bound" in module.caption(rows)


def test_survey_sample_shows_the_journals_sizes_beside_the_rounds(drawn):
    """The Journal's 2014 count sits on that round's bar; its "more than 100 a year" dates no round, so it is words."""
    _, rows, figure = drawn["survey_sample"]
    found = marks(figure, texts=True)
    (point,) = found[_rows.gid("survey-sample-2014-wsj2015")]
    (bar,) = found[_rows.gid(DS.select("survey-sample@2014").id)]
    assert point.get_xydata()[0][0] == bar.get_x() + bar.get_width() / 2
    (words,) = found[_rows.gid("survey-sample-annual-wsj2015")]
    assert "more than 100 a year" in words.get_text()
    assert {r["unit"] for r in rows} == {"people"}, "the chart's table holds one quantity"


@pytest.mark.parametrize("name", ["china_visitors_half_year", "china_visitors_shares", "china_visitors_annual",
                                  "market_income", "survey_work", "survey_sample"])
def test_charts_split_from_panels_draw_one_axes(drawn, name):
    """Each makes one point: one plot, not panels of different quantities stacked in one image."""
    _, _, figure = drawn[name]
    assert len(figure.axes) == 1


# --- (4) the charts follow the data ---------------------------------------------
# A maintainer adds a year or restates a number; the axes must take it in, not clip it or fail.

ADDED_YEARS = [
    # After today's last annual figure: the last run of years grows to 2015.
    "arrivals-2015-test,arrivals,year,calendar,2015-01-01,2015-12-31,1275,,,people,,yonhap2014q1,nkew2014q1,"
    "a test phrase,,",
    # A band and an average before today's first run: they go on the first axis (1999-2001), not the last.
    "arrivals-1999-2001-test,arrivals-annual-range,each-year,calendar,1999-01-01,2001-12-31,,600,1200,people,,"
    "chosun2014fewerdefectors,nkew2014q1,a test phrase,,",
    "arrivals-average-2000-2001-test,arrivals-annual-average,each-year,calendar,2000-01-01,2001-12-31,900,,,people,"
    "about,chosun2014fewerdefectors,nkew2014q1,a test phrase,,",
    # In today's empty 2003-2010: 2002-2005 becomes one run, still apart from 2011-2015.
    "women-share-2005-test,women-share,year,calendar,2005-01-01,2005-12-31,60,,,percent,,yonhap2015femaleshare,"
    "nkew2015emigration,a test phrase,,",
]
SCALED_UNITS = {"people", "USD", "USD per month"}  # percentages stay as they are, so they stay valid
VARIANTS = ("today", "added years", "scaled")


def copy_data(target: Path) -> tuple[Path, Path]:
    data_dir, bibliography = target / "data", target / "references.bib"
    shutil.copytree(REPO.data_dir, data_dir, ignore=shutil.ignore_patterns("_build"))
    shutil.copy(REPO.bibliography, bibliography)
    return data_dir, bibliography


def add_rows(figures: Path, lines: list[str]) -> None:
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text.rstrip("\n") + "\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def scale_people_and_dollars(figures: Path, factor: int) -> None:
    with figures.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["unit"] in SCALED_UNITS:
            for field in ("value", "low", "high"):
                if row[field]:
                    row[field] = str(Decimal(row[field]) * factor)
                    row["quote"] += f" [{row[field]}]"  # validation requires a value its quote states
    with figures.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module", params=VARIANTS)
def variant(request, tmp_path_factory, drawn) -> tuple[str, data.Dataset, dict]:
    """The dataset as it is, with years added, and with people and dollars five times larger (each changed on a
    copy of data/), and a cache of the charts drawn from it, as :func:`drawn_from` fills it."""
    if request.param == "today":
        return request.param, DS, dict(drawn)
    data_dir, bibliography = copy_data(tmp_path_factory.mktemp(request.param.replace(" ", "-")))
    figures = data_dir / "figures.csv"
    if request.param == "added years":
        add_rows(figures, ADDED_YEARS)
    else:
        scale_people_and_dollars(figures, 5)
    changed = data.load(data_dir, bibliography)
    if request.param == "scaled":
        assert changed.value("arrivals-2009-yonhap2013") == 5 * DS.value("arrivals-2009-yonhap2013")
        assert changed.value("women-share-2014-yonhap2015") == DS.value("women-share-2014-yonhap2015")
    return request.param, changed, {}


def drawn_from(variant, name: str) -> tuple[list[dict], object]:
    """The chart's rows and figure, laid out, from the variant's data: drawn once per variant."""
    _, ds, cache = variant
    if name not in cache:
        module = charts.get(name)
        rows = module.rows(ds)
        figure = chartbuild.drawing(module, rows, chartbuild.credit(rows, ds))
        figure.draw_without_rendering()
        cache[name] = (module, rows, figure)
    return cache[name][1:]


def in_data_coordinates(artist) -> list[tuple[float, float]]:
    """The points an artist is drawn through, in its axes' data coordinates, whatever coordinates it is given in."""
    if isinstance(artist, Line2D):
        points = artist.get_xydata()
    elif isinstance(artist, Patch):
        points = artist.get_path().vertices
    else:
        points = [vertex for path in artist.get_paths() for vertex in path.vertices]
    to_data = artist.get_transform() - artist.axes.transData
    return [tuple(point) for point in to_data.transform(points)]


def within(number: float, limits: tuple[float, float]) -> bool:
    low, high = sorted(limits)
    slack = 1e-9 * (high - low)
    return low - slack <= number <= high + slack


@pytest.mark.parametrize("name", charts.CHARTS)
def test_every_mark_lies_within_its_axes_when_the_data_change(variant, name):
    label = variant[0]
    rows, figure = drawn_from(variant, name)
    found = marks(figure, texts=True)
    for row in rows:
        assert found.get(_rows.gid(row["id"])), (label, row["id"])
    for gid, artists in marks(figure).items():
        if gid is None:
            continue  # decoration: break marks and dividers, placed in axes coordinates
        for artist in artists:
            ax = artist.axes
            for x, y in in_data_coordinates(artist):
                assert within(x, ax.get_xlim()) and within(y, ax.get_ylim()), (
                    label, gid, (x, y), ax.get_xlim(), ax.get_ylim())


@pytest.mark.parametrize("name", charts.CHARTS)
def test_no_text_leaves_the_figure_when_the_data_change(variant, name):
    label = variant[0]
    _, figure = drawn_from(variant, name)
    frame = figure.bbox
    for text, box in drawn_texts(figure):
        assert inside(box, frame), (label, name, text.get_text(), box.extents, frame.extents)


@pytest.mark.parametrize("name", ["arrivals_annual", "women_share"])
def test_split_year_axes_cover_every_year_of_the_rows(variant, name):
    label = variant[0]
    rows, figure = drawn_from(variant, name)
    runs = _rows.year_runs(rows)
    assert [ax.get_xlim() for ax in figure.axes] == [(first, last + 1) for first, last in runs], label
    years = {int(r[key][:4]) for r in rows for key in ("period_start", "period_end") if r.get(key)}
    assert all(any(first <= year <= last for first, last in runs) for year in years), label
    # A break stands only for a long empty stretch.
    assert all(later[0] - earlier[1] - 1 >= 3 for earlier, later in zip(runs, runs[1:], strict=False)), (label, runs)


def year_rows(*years: int) -> list[dict]:
    return [{"period_start": f"{y}-01-01", "period_end": f"{y}-12-31"} for y in years]


def test_years_with_no_long_gap_share_one_axis():
    assert _rows.year_runs(year_rows(2001, 2003, 2004, 2014)) == [(2001, 2004), (2014, 2014)]
    assert _rows.year_runs(year_rows(2001, 2003, 2006, 2009, 2012)) == [(2001, 2012)]
    module = charts.get("arrivals_annual")
    rows = [r for r in module.rows(DS) if r["kind"] != "men"]
    figure = module.draw(rows)
    assert [ax.get_xlim() for ax in figure.axes] == [(a, b + 1) for a, b in _rows.year_runs(rows)]
    assert set(marks(figure, texts=True)) >= {_rows.gid(r["id"]) for r in rows}


def test_value_limits_hold_every_value_with_round_ends():
    assert _rows.value_limits([1000, 2929, 3000], floor=0, headroom=0.12) == (0, 3500)
    assert _rows.value_limits([5 * 3000], floor=0, headroom=0.12) == (0, 18000)
    assert _rows.value_limits([50, 83], headroom=0.1, footroom=0.15, bounds=(0, 100)) == (40, 90)
    assert _rows.value_limits([60, 99], headroom=0.1, footroom=0.15, bounds=(0, 100)) == (50, 100)
    assert _rows.value_limits([{"value": None, "low": 30, "high": 50}, 9000], log=True, headroom=0.14) == (10, 30000)
    # A value below the floor still shows.
    assert _rows.value_limits([-3, 12], floor=0) == (-4, 14)
    with pytest.raises(ValueError, match="log axis"):
        _rows.value_limits([0, 10], log=True)
