"""The data package: it validates, the API finds and derives figures, bad input is named."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import line_of, replace_in
from nkreport import data
from nkreport.validate import DataError


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


def expect_problem(data_dir, file, needle, column, message):
    with pytest.raises(DataError) as caught:
        load_copy(data_dir)
    line = line_of(data_dir / file, needle)
    expected = f"{file}:{line}:{column}: "
    problems = [str(p) for p in caught.value.problems]
    assert any(expected in p and message in p for p in problems), problems
    return problems


COLUMNS = (
    "id,series,period_type,year_basis,period_start,period_end,value,low,high,unit,qualifier,source,post,quote,note"
)


def col(name, columns=COLUMNS):
    return columns.split(",").index(name) + 1


def test_non_numeric_value(data_copy):
    replace_in(data_copy / "figures.csv", ",2929,,,people,", ",2.929k,,,people,")
    expect_problem(data_copy, "figures.csv", "2.929k", col("value"), 'value: type-error: type is "number/default"')


def test_empty_source_key(data_copy):
    replace_in(
        data_copy / "figures.csv", ",yonhap2014q1,nkew2014q1,153 North Koreans", ",,nkew2014q1,153 North Koreans"
    )
    expect_problem(data_copy, "figures.csv", "153 North Koreans", col("source"), "empty source key")


def test_unknown_source_key(data_copy):
    replace_in(
        data_copy / "figures.csv",
        ",yonhap2014q1,nkew2014q1,153 North Koreans",
        ",yonhap2099,nkew2014q1,153 North Koreans",
    )
    problems = expect_problem(data_copy, "figures.csv", "yonhap2099", col("source"), "unknown source key 'yonhap2099'")
    assert any("expected a key of references.bib" in p for p in problems)


def test_duplicate_id(data_copy):
    replace_in(data_copy / "figures.csv", "arrivals-2012-yonhap2014,", "arrivals-2011-yonhap2013,")
    expect_problem(data_copy, "figures.csv", "1,502 people crossed", col("id"), "id: primary-key: ")


def test_impossible_date(data_copy):
    replace_in(data_copy / "figures.csv", "2014-02-01,2014-02-28", "2014-02-01,2014-02-30")
    expect_problem(data_copy, "figures.csv", "2014-02-30", col("period_end"), "period_end: type-error: ")


def test_low_above_high(data_copy):
    replace_in(data_copy / "figures.csv", ",,3000,5000,USD,", ",,5000,3000,USD,")
    expect_problem(data_copy, "figures.csv", ",5000,3000,", col("low"), "low 5000 is above high 3000")


def test_percentage_over_100(data_copy):
    replace_in(data_copy / "figures.csv", ",75.6,,,percent,", ",756,,,percent,")
    expect_problem(data_copy, "figures.csv", ",756,", col("value"), "756 is not a percentage between 0 and 100")


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


def test_stray_delimiter(data_copy):
    replace_in(data_copy / "figures.csv", ",96,,,people,", ",96,,,,people,")
    expect_problem(
        data_copy, "figures.csv", ",96,,,,people,", 16, "16 cells where 15 are expected (stray delimiter or extra cell)"
    )


def test_event_with_impossible_order_of_dates(data_copy):
    replace_in(data_copy / "events.csv", "2012-01-01,2012-12-31,year", "2012-12-31,2012-01-01,year")
    expect_problem(data_copy, "events.csv", "2012-12-31,2012-01-01", 3, "2012-12-31 is after date_end 2012-01-01")


def test_unknown_series_is_a_foreign_key_error(data_copy):
    replace_in(data_copy / "figures.csv", "arrivals-2009-yonhap2013,arrivals,", "arrivals-2009-yonhap2013,arivals,")
    expect_problem(data_copy, "figures.csv", "arivals", col("series"), "series: foreign-key: ")


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
