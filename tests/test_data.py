"""The data package: it validates, the API finds and derives figures, bad input is named."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from buildtools import REPO
from conftest import line_of, replace_in
from nkreport import data, derived, schema
from nkreport.errors import DataError


def load_copy(data_dir):
    return data.load(data_dir, data_dir.parent / "references.bib")


def test_package_validates_and_counts():
    ds = REPO.load()
    assert len(ds.figures) >= 90
    assert len(ds.events) >= 15
    assert {f.unit for f in ds.figures.values()} >= {"people", "percent", "USD", "KRW"}


def test_lookup_returns_the_stated_figure():
    figure = REPO.load().figure("arrivals-2014-yonhap2015")
    assert figure.value == Decimal("1396")
    assert figure.source == "yonhap2015femaleshare"
    assert "1,396" in figure.quote


def test_unknown_id_names_it_and_suggests_near_matches():
    with pytest.raises(data.UnknownFigureError) as caught:
        REPO.load().figure("arrivals-2014-yonhap")
    assert str(caught.value).startswith("no figure with id 'arrivals-2014-yonhap'; did you mean ")
    assert "'arrivals-2014-yonhap2015'" in str(caught.value)


def test_range_figure_has_no_single_value():
    with pytest.raises(ValueError, match="is a range"):
        REPO.load().value("cost-crossing-after-lankov2014")


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [
        (derived.percent_change, (2706, 1396), "-48.4"),
        (derived.percent_change, (91800, 89700), "-2.3"),
        (derived.share, (444, 535, 0), "83"),
        (derived.share, (Decimal("1.41"), Decimal("2.18")), "64.7"),
        (derived.ratio, (Decimal("9.7"), Decimal("2.7")), "3.59"),
        (derived.difference, (320, 717), "397"),
        (derived.rounded, (Decimal("2.25"), 1), "2.3"),  # half away from zero, not to even
        (derived.rounded, (Decimal("-2.25"), 1), "-2.3"),
    ],
)
def test_derived_figures_round_half_away_from_zero(function, args, expected):
    assert function(*args) == Decimal(expected)


def test_sum_of_components():
    assert derived.total(3000, 3000) == Decimal(6000)


def test_series_are_ordered_by_period():
    years = [f.period_end.year for f in REPO.load().series("arrivals") if f.period_type == "year"]
    assert years == sorted(years)


# --- bad input: each case on a temporary copy, with file, line and column -------


COLUMNS = (
    "id,series,period_type,year_basis,period_start,period_end,value,low,high,unit,qualifier,source,post,quote,note,"
    "added_in"
)


def col(name, columns=COLUMNS):
    return columns.split(",").index(name) + 1


SOURCE_153 = ",yonhap2014q1,nkew2014q1,153 North Koreans"

# (file, text to replace, replacement, text on the bad line, column, the message's start)
BAD_INPUT = [
    pytest.param("figures.csv", ",2929,,,people,", ",2.929k,,,people,", "2.929k", col("value"),
                 "value: '2.929k' is not written as the data writes numbers: expected ASCII digits",
                 id="non-numeric value"),
    pytest.param("figures.csv", SOURCE_153, ",,nkew2014q1,153 North Koreans", "153 North Koreans", col("source"),
                 "source: empty source key: expected a key of references.bib", id="empty source key"),
    pytest.param("figures.csv", SOURCE_153, ",yonhap2099,nkew2014q1,153 North Koreans", "yonhap2099", col("source"),
                 "source: unknown source key 'yonhap2099': expected a key of references.bib", id="unknown source key"),
    pytest.param("figures.csv", "arrivals-2012-yonhap2014,", "arrivals-2011-yonhap2013,", "1,502 people crossed",
                 col("id"), "id: primary-key: ", id="duplicate id"),
    pytest.param("figures.csv", "2014-02-01,2014-02-28", "2014-02-01,2014-02-30", "2014-02-30", col("period_end"),
                 "period_end: type-error: ", id="impossible date"),
    pytest.param("figures.csv", ",,3000,5000,USD,", ",,5000,3000,USD,", ",5000,3000,", col("low"),
                 "low: low 5000 is above high 3000", id="low above high"),
    pytest.param("figures.csv", ",75.6,,,percent,", ",756,,,percent,", ",756,", col("value"),
                 "value: 756 is not a percentage between 0 and 100", id="percentage over 100"),
    pytest.param("figures.csv", ",96,,,people,", ",96,,,,people,", ",96,,,,people,", 17,
                 "17 cells where 16 are expected (stray delimiter or extra cell)", id="stray delimiter"),
    pytest.param("events.csv", "2012-01-01,2012-12-31,year", "2012-12-31,2012-01-01,year", "2012-12-31,2012-01-01",
                 3, "date_start: 2012-12-31 is after date_end 2012-01-01", id="dates out of order"),
    pytest.param("figures.csv", "arrivals-2009-yonhap2013,arrivals,", "arrivals-2009-yonhap2013,arivals,", "arivals",
                 col("series"), "series: foreign-key: ", id="unknown series"),
    pytest.param("figures.csv", ",2929,,,people,", ",NaN,,,people,", ",NaN,", col("value"),
                 "value: 'NaN' is not written as the data writes numbers: expected ASCII digits", id="not a number"),
    pytest.param("figures.csv", ",2929,,,people,", ",Infinity,,,people,", ",Infinity,", col("value"),
                 "value: 'Infinity' is not written as the data writes numbers: expected ASCII digits", id="infinite"),
    pytest.param("figures.csv", ",96,,,people,", ",-96,,,people,", ",-96,", col("value"),
                 "value: -96 is not a number of people: expected 0 or more", id="negative count of people"),
    pytest.param("figures.csv", ",96,,,people,", ",96.5,,,people,", ",96.5,", col("value"),
                 "value: 96.5 is not a whole number of people: expected a count", id="fraction of a person"),
    pytest.param("figures.csv", ",1396,,,people,", ",1397,,,people,", ",1397,", col("value"),
                 "value: 1397 is not stated by the row's quote: expected one of its numbers (", id="value not quoted"),
]


@pytest.mark.parametrize(("file", "old", "new", "needle", "column", "message"), BAD_INPUT)
def test_bad_input_is_named_by_file_line_and_column(data_copy, file, old, new, needle, column, message):
    path = data_copy / file
    replace_in(path, old, new)
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:{line_of(path, needle)}:{column}: {message}"), problems



def test_a_package_recorded_valid_is_checked_again_once_a_file_changes(data_copy, tmp_path):
    """A build records the data it found valid and skips Frictionless for those bytes; never for others."""
    record = tmp_path / "valid-data.sha256"
    data.load(data_copy, data_copy.parent / "references.bib", record)
    assert record.is_file()
    path = data_copy / "figures.csv"
    replace_in(path, "arrivals-2012-yonhap2014,", "arrivals-2011-yonhap2013,")  # a duplicate id: only Frictionless
    with pytest.raises(DataError) as caught:
        data.load(data_copy, data_copy.parent / "references.bib", record)
    assert [p.message.split(": ")[:2] for p in caught.value.problems] == [["id", "primary-key"]]


def test_a_build_reads_the_data_while_frictionless_checks_it(data_copy, monkeypatch):
    """A build reads its pages from the dataset as the report's own checks find it, Frictionless's checks
    running meanwhile in a forked process (data.load_while_checking); waiting for them gives their findings,
    as a load that checks in line does. When the own checks fail, that error comes at once, theirs with it."""
    path, bibliography = data_copy / "figures.csv", data_copy.parent / "references.bib"
    replace_in(path, "arrivals-2012-yonhap2014,", "arrivals-2011-yonhap2013,")  # a duplicate id: only Frictionless
    with pytest.raises(DataError) as in_line:
        load_copy(data_copy)
    path.write_bytes(path.read_bytes())  # written again: checked again, not taken from a cache
    unchecked, confirmed = data.load_while_checking(data_copy, bibliography)
    assert unchecked.figure("arrivals-2011-yonhap2013").value is not None
    # Only the forked process can find the duplicate now.
    monkeypatch.setattr(schema, "frictionless_problems", lambda *args: [])
    with pytest.raises(DataError) as in_background:
        confirmed()
    assert [str(p) for p in in_background.value.problems] == [str(p) for p in in_line.value.problems]
    monkeypatch.undo()
    replace_in(path, ",75.6,,,percent,", ",756,,,percent,")  # and a rule of the report's own
    with pytest.raises(DataError) as at_once:
        data.load_while_checking(data_copy, bibliography)
    said = [p.message.split(": ")[:2] for p in at_once.value.problems]
    assert ["id", "primary-key"] in said and ["value", "756 is not a percentage between 0 and 100"] in said


def test_missing_column(data_copy):
    path = data_copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace(",qualifier", "")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:{col('qualifier')}: header: missing column(s) 'qualifier'; expected: {COLUMNS}"
    ]


def test_version_bump_without_changelog_entry_is_named(data_copy):
    descriptor = data_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    descriptor.write_text(json.dumps(package | {"updated": "2099-01-01"}, indent=2), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    [problem] = [str(p) for p in caught.value.problems]
    changelog = data_copy / "CHANGELOG.md"
    assert problem.startswith(f"{changelog}:{line_of(changelog, '## ')}:1: newest entry is '## ")
    assert problem.endswith("— 2099-01-01': add an entry for it")


def test_every_problem_is_reported_at_once(data_copy):
    replace_in(data_copy / "figures.csv", ",2929,,,people,", ",2.929k,,,people,")
    replace_in(data_copy / "figures.csv", ",75.6,,,percent,", ",756,,,percent,")
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    assert len(caught.value.problems) == 2
    assert str(caught.value).startswith("2 problem(s) in the data package:\n")


def test_validate_command_reports_and_fails(data_copy):
    replace_in(data_copy / "figures.csv", ",75.6,,,percent,", ",756,,,percent,")
    ok = subprocess.run([sys.executable, "-m", "nkreport", "validate"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "nkreport", "validate", "--data", str(data_copy)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "756 is not a percentage between 0 and 100" in bad.stderr


@pytest.mark.parametrize(("key", "bad", "expected"), [
    ("version", '1.2.0"><script>alert(1)</script>', "expected a version MAJOR.MINOR.PATCH such as 2.0.1"),
    ("version", "1.2", "expected a version MAJOR.MINOR.PATCH such as 2.0.1"),
    ("updated", "2099-02-30", "expected a date YYYY-MM-DD"),
])
def test_the_printed_version_and_date_have_a_strict_form(data_copy, key, bad, expected):
    """They are on every page and the PDF's title page: checked, with the line, before anything is built."""
    descriptor = data_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8")) | {key: bad}
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    changelog = data_copy / "CHANGELOG.md"
    replace_in(changelog, "\n## ", f"\n## {package['version']} — {package['updated']}\n\n- Test.\n\n## ")
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    line = line_of(descriptor, f'"{key}": ')
    column = descriptor.read_text(encoding="utf-8").splitlines()[line - 1].index(f'"{key}": ') + len(f'"{key}": ') + 1
    assert [str(p) for p in caught.value.problems] == [
        f"{descriptor}:{line}:{column}: {key}: {json.dumps(bad)}: {expected}"
    ]


def test_text_that_is_not_utf8_is_named_by_line_and_column(data_copy):
    path = data_copy / "figures.csv"
    line = line_of(path, "96 in March")
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] = lines[line - 1].replace(b"96 in March", b"96 in M\xe4rch")
    path.write_bytes(b"\n".join(lines))
    column = lines[line - 1].index(b"\xe4") + 1
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{line}:{column}: byte 0xe4 is not UTF-8: expected UTF-8 text"
    ]


@pytest.mark.parametrize("name", ["CITATION.cff", "data/CHANGELOG.md", "data/datapackage.json"])
def test_every_file_validation_reads_is_named_where_it_is_not_utf8(data_copy, name):
    path = data_copy.parent / name
    raw = path.read_bytes()
    at = raw.index(b"e", raw.index(b"\n") + 1)  # a letter on the second line or later
    path.write_bytes(raw[:at] + b"\xe4" + raw[at + 1:])
    line = raw.count(b"\n", 0, at) + 1
    column = at - raw.rfind(b"\n", 0, at)
    result = subprocess.run([sys.executable, "-m", "nkreport", "validate", "--data", str(data_copy)],
                            capture_output=True, text=True, cwd=data_copy.parent)
    assert result.returncode == 1
    assert f"{name}:{line}:{column}: byte 0xe4 is not UTF-8: expected UTF-8 text" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_after_a_cell_spanning_lines_problems_name_the_file_line(data_copy):
    """A quoted cell may hold a line break: later rows are then one line further down the file."""
    path = data_copy / "figures.csv"
    replace_in(path, '"had increased annually to reach', '"had increased annually\nto reach')
    replace_in(path, ",75.6,,,percent,", ",75.6%,,,percent,")  # a type error: frictionless reports it
    replace_in(path, SOURCE_153, ",yonhap2099,nkew2014q1,153 North Koreans")  # a rule's problem
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    assert [(p.line, p.column) for p in caught.value.problems] == sorted([
        (line_of(path, "75.6%"), col("value")), (line_of(path, "yonhap2099"), col("source")),
    ])


def test_every_problem_of_a_row_is_reported(data_copy):
    path = data_copy / "figures.csv"
    replace_in(path, "2014-02-01,2014-02-28,", "2014-02-01,2014-02-30,")
    line = line_of(path, "2014-02-30")
    row = path.read_text(encoding="utf-8").splitlines()[line - 1]
    bad = row.replace(",yonhap2014q1,", ",yonhap2099,")
    bad = bad.replace(f",{row.split(',')[col('value') - 1]},", ",many,", 1)
    replace_in(path, row, bad)
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    assert [(p.line, p.column) for p in caught.value.problems] == [
        (line, col("period_end")), (line, col("value")), (line, col("source")),
    ], [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("old", "new", "key", "message"), [
    ('"path": "events.csv"', '"path": "event.csv"', '"path": "event.csv"',
     'events: path "event.csv": expected the name of a file in '),
    ('"resources": [', '"resources": {"x": [', None, "resources: expected a list of resources"),
    # Table Schema mistakes frictionless stops or crashes on: named at the field and key.
    ('"type": "string"', '"type": "text"', '"type": "text"',
     "figures: field 'id': field type \"text\" is not supported: expected a Table Schema field"),
    ('"type": "date"', '"type": "date", "constraints": {"maxLength": "ten"}', '"maxLength": "ten"',
     "'ten' is not of type 'integer' at property 'constraints/maxLength': expected a Table Schema field"),
    ('"type": "date"', '"type": "date", "constraints": {"minimum": "2001"}', '"minimum": "2001"',
     ': minimum "2001": expected a date value'),
    ('"pattern": "^', '"pattern": "(^', '"pattern": "(^',
     ': missing ), unterminated subpattern at position 0: expected a regular expression'),
    ('"primaryKey": [', '"primaryKey": ["identifier", ', '"primaryKey": [',
     "figures: primary key \"['identifier', "),
])
def test_descriptor_mistakes_are_named_by_line(data_copy, old, new, key, message):
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    if key is None:  # keep the JSON valid: close the object opened above
        text = text.rstrip().removesuffix("}").rstrip().removesuffix("]") + "]}\n}\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_copy(data_copy)
    [problem] = [str(p) for p in caught.value.problems]
    needle = key or '"resources": '
    assert problem.startswith(f"{path}:{line_of(path, needle)}:"), problem
    assert message in problem, problem


def _release(release_id, published):
    return {"id": release_id, "source": "src", "producer": "Ministry", "title": "t", "date_published": published,
            "date_accessed": "2026-12-06", "url": "", "repository": "", "path": "", "commit": "", "licence": "",
            "note": "", "snapshot": "", "sha256": "", "added_in": "1.0.0", "_line": 2}


def _value(value_id, release, period_type, start, end, value):
    return {"id": value_id, "series": "arrivals", "period_type": period_type, "year_basis": "calendar",
            "period_start": start, "period_end": end, "value": value, "unit": "people", "qualifier": "",
            "release": release, "cell": "c", "quote": "", "note": "", "_line": 2}


def _year(value_id, release, year, value):
    return _value(value_id, release, "year", f"{year}-01-01", f"{year}-12-31", value)


def small_dataset(official):
    """A dataset of one official series, built in memory: two releases, the newer of 2026."""
    series = {"id": "arrivals", "title": "Arrivals", "label": "arrivals", "description": "", "measured_by": "",
              "population": ""}
    tables = {"figures": [], "events": [], "series": [series], "official": official,
              "releases": [_release("old", "2012-01-11"), _release("new", "2026-02-04")]}
    return data.Dataset(REPO.data_dir, tables, {"version": "0.0.0"})


def test_the_peak_is_the_highest_value_of_the_current_series_not_an_earlier_vintage():
    ds = small_dataset([_year("a2009-old", "old", 2009, "2927"), _year("a2009", "new", 2009, "2914"),
                        _year("a2010", "new", 2010, "2402"), _year("a2025", "new", 2025, "223")])
    assert ds.figure("arrivals@peak").id == ds.peak("arrivals").id == "a2009"
    assert ds.figure("arrivals@peak").release == ds.figure("arrivals@latest").release


def test_a_later_copy_that_only_rounds_a_count_does_not_replace_it():
    """Yonhap's 103,000 for 2009 (2012) beside Radio Free Asia's 103,900 (2011): the finer count stays current;
    a later value outside the rounding is a revision and replaces it."""
    ds = small_dataset([_year("fine", "old", 2009, "103900"), _year("rounded", "new", 2009, "103000"),
                        _year("old2010", "old", 2010, "116400"), _year("revised2010", "new", 2010, "118000")])
    assert [f.id for f in ds.official("arrivals")] == ["fine", "revised2010"]
    assert {f.id for f in ds.series("arrivals")} == {"fine", "rounded", "old2010", "revised2010"}  # both kept


def test_of_two_equal_peaks_the_earlier_year_is_the_peak():
    ds = small_dataset([_year("a2008", "new", 2008, "2914"), _year("a2009", "new", 2009, "2914"),
                        _year("a2010", "new", 2010, "100")])
    assert ds.peak("arrivals").id == "a2008"


def test_percent_fall_is_the_fall_in_percent_of_the_earlier_value():
    assert derived.percent_fall(2914, 223) == Decimal("92.3")
    assert derived.percent_fall(100, 125) == Decimal("-25.0")
    assert derived.percent_fall(2914, 223) == -derived.percent_change(2914, 223)


def test_the_total_since_the_start_counts_every_cell_from_the_first():
    ds = small_dataset([
        _value("to1998", "new", "before", "", "1998-12-31", "947"),
        _value("y1999-2001", "new", "date-range", "1999-01-01", "2001-12-31", "1043"),
        _year("a2002-old", "old", 2002, "1138"), _year("a2002", "new", 2002, "1142"),
    ])
    assert ds.total_since_start("arrivals") == Decimal(947 + 1043 + 1142)
    assert ds.total_since_start("arrivals", until=date(2001, 12, 31)) == Decimal(947 + 1043)


def test_a_total_since_the_start_refuses_periods_that_overlap():
    ds = small_dataset([_year("a2012", "new", 2012, "22"),
                        _value("dec2012", "new", "month", "2012-12-01", "2012-12-31", "3")])
    with pytest.raises(ValueError, match="dec2012 overlaps a2012"):
        ds.total_since_start("arrivals")


def test_the_fall_since_the_peak_renders_in_percent_from_the_current_series():
    from nkreport import calc

    ds = REPO.load()
    result = calc.evaluate("percent_fall(arrivals@peak, arrivals@latest)", ds)
    assert result.unit == "percent"
    assert result.value == derived.percent_fall(ds.value("arrivals@peak"), ds.value("arrivals@latest"))
    assert ds.value("arrivals@peak") == max(f.value for f in ds.official("arrivals"))
