"""The completeness check: extraction, coverage, the ignore list, the archive and the command."""

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from nkreport import completeness, data, numbers
from nkreport.__main__ import main
from nkreport.data import Event, Figure
from nkreport.errors import DataError
from nkreport.paths import ARCHIVE, ROOT

needs_archive = pytest.mark.skipif(not ARCHIVE.exists(), reason=f"the source archive is not at {ARCHIVE}")


def found(text):
    """(matched text, sorted values) of every number of ``text``; a Decimal equals an int or exact float."""
    return [(n.text, sorted(n.values)) for n in numbers.extract(text)]


# --- extraction ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("compared with 2,706 in 2011", [("2,706", [2706]), ("2011", [2011])]),
        ("reached 75.6 percent.", [("75.6", [Decimal("75.6")])]),
        ("more than 1.42 million other Asians", [("1.42 million", [1420000])]),
        ("earned W1.41 million (US$1=W1,024)", [("1.41 million", [1410000]), ("1", [1]), ("1,024", [1024])]),
        ("was at roughly 12.3 million.", [("12.3 million", [12300000])]),
        ("some 5 thousand, 2 billion", [("5 thousand", [5000]), ("2 billion", [2000000000])]),
        ("the unthinkable $3,000-5,000 –", [("3,000", [3000]), ("5,000", [5000])]),
        ("a small bribe of $30-50 (", [("30", [30]), ("50", [50])]),
        ("marking a 10% decline", [("10", [10])]),
        ("North Korea placed 20th on the list", [("20th", [20])]),
        ("(2015-7-2)", [("2015", [2015]), ("7", [7]), ("2", [2])]),
        ("since the mid-1990s", [("1990s", [1990])]),
        ("in H1 2015 and 2014-Q1", [("1", [1]), ("2015", [2015]), ("2014", [2014]), ("1", [1])]),
    ],
)
def test_extracts_digit_numbers(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One or more, nine in total", [("One", [1]), ("nine", [9])]),
        ("twenty, seventeen, ninety", [("twenty", [20]), ("seventeen", [17]), ("ninety", [90])]),
        ("twenty-one of them", [("twenty-one", [21])]),
        ("a hundred, a thousand", [("hundred", [100]), ("thousand", [1000])]),
        ("About a dozen officials", [("dozen", [12])]),
        ("more than half said", [("half", [0.5, 50])]),
        ("between half and three-quarters of income", [("half", [0.5, 50]), ("three-quarters", [0.75, 75])]),
        ("a quarter, three quarters, two halves", [("quarter", [0.25, 25]), ("three quarters", [0.75, 75]),
                                                   ("two", [2]), ("halves", [0.5, 50])]),
        ("more than three times the average", [("three times", [3])]),
        ("twice as many", [("twice", [2])]),
        ("the first, the Second, the twentieth", [("first", [1]), ("Second", [2]), ("twentieth", [20])]),
    ],
)
def test_extracts_numbers_in_words(text, expected):
    assert found(text) == expected


def test_words_match_only_whole_words():
    assert found("firsthand insight: someone's tone, none halfway, tenure, often") == []


def test_numbers_have_line_and_column_from_one():
    [first, second] = numbers.extract("Six\nup  by 3,300 on-year")
    assert (first.line, first.column, first.offset) == (1, 1, 0)
    assert (second.text, second.line, second.column, second.offset) == ("3,300", 2, 8, 11)


@pytest.mark.parametrize(
    ("text", "year"), [("2015", 2015), ("1990s", 1990), ("2,015", None), ("2100", None), ("20th", None)]
)
def test_only_digit_numbers_from_1900_to_2099_are_years(text, year):
    [number] = numbers.extract(text)
    assert number.year == year


# --- coverage, on a text of the tests' own -----------------------------------------

REPORT = """\
Seoul, March 3rd, 2021

A total of 1,234 defectors arrived in the first half, down 12.5 percent
from 2019. About a dozen officials fled, three with their families.
Women made up 80% of arrivals, the ministry said on the 4th.
"""


def figure(ident, quote, start, end, value=None, low=None, high=None):
    """A figures row with just what the check reads."""
    stated = {"value": value, "low": low, "high": high}
    return Figure(
        id=ident, series="arrivals", period_type="date-range", year_basis="calendar", period_start=start,
        period_end=end, unit="people", qualifier="", source="test", post="test", quote=quote, note="", line=2,
        **{k: None if v is None else Decimal(str(v)) for k, v in stated.items()},
    )


def event(ident, quote, start, end):
    """An events row with just what the check reads."""
    return Event(
        id=ident, category="elite-defection", date_start=start, date_end=end, date_precision="on-or-before",
        date_label="", description="", source="test", post="test", quote=quote, line=2,
    )


def dataset(*rows):
    """A stand-in for :class:`nkreport.data.Dataset` holding just ``rows``."""
    return SimpleNamespace(
        figures={r.id: r for r in rows if isinstance(r, Figure)},
        events={r.id: r for r in rows if isinstance(r, Event)},
    )


TINY = dataset(
    figure("arrivals", "A total of 1,234 defectors arrived", date(2020, 1, 1), date(2020, 6, 30), value=1234),
    # The quote spans a line break, and the value is a drop stated as a positive number.
    figure("change", "down 12.5 percent from 2019", date(2019, 1, 1), date(2020, 6, 30), value=-12.5),
    # An event covers the years of its date, never a count.
    event("officials", "About a dozen officials fled", None, date(2021, 3, 1)),
)


@pytest.fixture
def ignore_list(tmp_path):
    path = tmp_path / "ignore.csv"
    path.write_text(
        'phrase,reason\n"March 3rd, 2021",post date\nfirst half,"period name, not a count"\n'
        "Never written here,an entry for another text\n",
        encoding="utf-8",
    )
    return path


def test_lists_exactly_the_numbers_neither_covered_nor_ignored(ignore_list):
    result = completeness.check(REPORT, TINY, ignore_list)
    assert [(n.text, n.line, n.column) for n in result.missing] == [
        ("dozen", 4, 20), ("three", 4, 42), ("80", 5, 15), ("4th", 5, 57),
    ]
    assert [n.text for n in result.covered] == ["1,234", "12.5", "2019"]
    assert [n.text for n in result.ignored] == ["3rd", "2021", "first", "half"]
    assert result.summary() == "11 numbers found, 3 covered by the dataset, 4 ignored, 4 missing"
    assert not result.ok


def test_a_value_counts_only_inside_an_occurrence_of_the_quote(ignore_list):
    text = "A total of 1,234 defectors arrived. Later, 1,234 more."
    result = completeness.check(text, TINY, ignore_list)
    assert [(n.text, n.column) for n in result.missing] == [("1,234", 44)]


def test_every_occurrence_of_a_quote_covers(ignore_list):
    text = "A total of 1,234 defectors arrived. Again: A total of 1,234 defectors arrived."
    assert completeness.check(text, TINY, ignore_list).missing == []


def test_a_range_covers_its_low_and_high_and_the_years_of_its_period(ignore_list):
    cost = figure("cost", "from $3,000-5,000 in 2013", date(2012, 1, 1), date(2014, 2, 19), low=3000, high=5000)
    rows = dataset(cost)
    text = "Prices rose from $3,000-5,000 in 2013 and from $3,000-5,000 in 2011."
    result = completeness.check(text, rows, ignore_list)
    assert [n.text for n in result.missing] == ["3,000", "5,000", "2011"]


def test_an_event_without_a_start_covers_only_its_end_year(ignore_list):
    rows = dataset(event("fence", "a fence built in 2010 or 2012", None, date(2012, 12, 31)))
    result = completeness.check("They saw a fence built in 2010 or 2012.", rows, ignore_list)
    assert [n.text for n in result.missing] == ["2010"]


def test_stale_ignore_entries_are_reported_only_on_request(ignore_list):
    assert completeness.check(REPORT, TINY, ignore_list).stale == []
    [stale] = completeness.check(REPORT, TINY, ignore_list, report_stale_ignores=True).stale
    assert (stale.phrase, stale.line) == ("Never written here", 4)


def test_an_ignore_entry_without_a_reason_is_rejected_naming_file_and_line(tmp_path):
    path = tmp_path / "ignore.csv"
    path.write_text('phrase,reason\n"March 3rd, 2021",post date\nfirst half,  \n', encoding="utf-8")
    with pytest.raises(DataError) as raised:
        completeness.check(REPORT, TINY, path)
    assert f"{path}:3:2: 'first half' has no reason" in str(raised.value)


# --- the archive ---------------------------------------------------------------------


@needs_archive
def test_every_number_of_the_archive_is_in_the_dataset_or_ignored():
    result = completeness.check(ARCHIVE.read_text(encoding="utf-8"), data.load(), report_stale_ignores=True)
    text = ARCHIVE.read_text(encoding="utf-8")
    assert [completeness.context(text, n) for n in result.missing] == []
    assert [entry.phrase for entry in result.stale] == []


@needs_archive
def test_every_dataset_quote_occurs_verbatim_in_the_archive():
    unfound = completeness.unquoted(ARCHIVE.read_text(encoding="utf-8"), data.load())
    assert [(row.id, row.quote) for row in unfound] == []


# --- the command ---------------------------------------------------------------------


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "nkreport", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )


def test_command_reports_missing_numbers_and_fails(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(
        "Just 614 North Koreans made it to the South in the first half of this year.\nIn 2099 seven more came.\n",
        encoding="utf-8",
    )
    done = run("completeness", str(path))
    assert done.returncode == 1, done.stderr
    neither = "is neither in data/ nor in data/completeness-ignore.csv"
    assert done.stdout.splitlines() == [
        f"{path}:2:4: 'In 2099 seven more came.' — number 2099 {neither}",
        f"{path}:2:9: 'In 2099 seven more came.' — number seven {neither}",
        "5 numbers found, 1 covered by the dataset, 2 ignored, 2 missing",
    ]


def test_command_passes_a_text_with_nothing_missing(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("Just 614 North Koreans made it to the South in the first half of this year.\n", encoding="utf-8")
    done = run("completeness", str(path))
    assert (done.returncode, done.stdout) == (0, "3 numbers found, 1 covered by the dataset, 2 ignored, 0 missing\n")


def test_validate_command_reports_the_package_valid(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["validate"]) == 0
    ds = data.load()
    official = [f for f in ds.figures.values() if f.is_official]
    assert capsys.readouterr().out == (
        f"data/datapackage.json: valid ({len(ds.figures) - len(official)} press figures, {len(official)} official "
        f"values from {len(ds.releases)} releases, {len(ds.events)} events, {len(ds.series_info)} series)\n"
    )


def test_command_reads_the_ignore_list_of_the_data_it_is_given(tmp_path, data_copy, capsys):
    with (data_copy / "completeness-ignore.csv").open("a", encoding="utf-8") as ignore:
        ignore.write("In 2099,a year of the test text\n")
    path = tmp_path / "news.txt"
    path.write_text("In 2099 seven more came.\n", encoding="utf-8")
    assert main(["completeness", "--data", str(data_copy), str(path)]) == 1
    [missing, summary] = capsys.readouterr().out.splitlines()
    shown = os.path.relpath(data_copy)
    assert missing == (
        f"{path}:1:9: 'In 2099 seven more came.' — number seven is neither in {shown}/ "
        f"nor in {shown}/completeness-ignore.csv"
    )
    assert summary == "2 numbers found, 0 covered by the dataset, 1 ignored, 1 missing"
