"""The data package: it validates, the API finds and derives figures, bad input is named."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import line_of, replace_in
from nkreport import data
from nkreport.errors import DataError


def load_copy(data_dir):
    return data.load(data_dir, data_dir.parent / "references.bib")


def test_package_validates_and_counts():
    ds = data.load()
    assert len(ds.figures) >= 90
    assert len(ds.events) >= 15
    assert {f.unit for f in ds.figures.values()} >= {"people", "percent", "USD", "KRW"}


def test_lookup_returns_the_stated_figure():
    figure = data.load().figure("arrivals-2014-yonhap2015")
    assert figure.value == Decimal("1396")
    assert figure.source == "yonhap2015femaleshare"
    assert "1,396" in figure.quote


def test_unknown_id_names_it_and_suggests_near_matches():
    with pytest.raises(data.UnknownFigureError) as caught:
        data.load().figure("arrivals-2014-yonhap")
    assert str(caught.value).startswith("no figure with id 'arrivals-2014-yonhap'; did you mean ")
    assert "'arrivals-2014-yonhap2015'" in str(caught.value)


def test_range_figure_has_no_single_value():
    with pytest.raises(ValueError, match="is a range"):
        data.load().value("cost-crossing-after-lankov2014")


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [
        (data.percent_change, (2706, 1396), "-48.4"),
        (data.percent_change, (91800, 89700), "-2.3"),
        (data.share, (444, 535, 0), "83"),
        (data.share, (Decimal("1.41"), Decimal("2.18")), "64.7"),
        (data.ratio, (Decimal("9.7"), Decimal("2.7")), "3.59"),
        (data.difference, (320, 717), "397"),
        (data.rounded, (Decimal("2.25"), 1), "2.3"),  # half away from zero, not to even
        (data.rounded, (Decimal("-2.25"), 1), "-2.3"),
    ],
)
def test_derived_figures_round_half_away_from_zero(function, args, expected):
    assert function(*args) == Decimal(expected)


def test_sum_of_components():
    assert data.total(3000, 3000) == Decimal(6000)


def test_series_are_ordered_by_period():
    years = [f.period_end.year for f in data.load().series("arrivals") if f.period_type == "year"]
    assert years == sorted(years)


# --- bad input: each case on a temporary copy, with file, line and column -------


COLUMNS = (
    "id,series,period_type,year_basis,period_start,period_end,value,low,high,unit,qualifier,source,post,quote,note"
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
    pytest.param("figures.csv", ",96,,,people,", ",96,,,,people,", ",96,,,,people,", 16,
                 "16 cells where 15 are expected (stray delimiter or extra cell)", id="stray delimiter"),
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
