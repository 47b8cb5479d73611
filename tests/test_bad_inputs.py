"""Every bad input is one line, ``file:line[:column]: what: expected …``, before any builder runs.

Each case edits a copy of the data (never the real files) the way a contributor
or a corrupted checkout might, and runs ``nkreport validate`` on it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from pathlib import Path

import pytest
from nkreport.__main__ import main

ONE_LINE = re.compile(r"(?P<path>[^:\s][^:]*):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<what>\S.*)")


def validate(data_dir: Path) -> tuple[int, list[str]]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["validate", "--data", str(data_dir)])
    return status, stderr.getvalue().strip().splitlines()


def set_cell(table: Path, row_id: str, field: str, text: str) -> int:
    """Give a cell of a copied table new text; return the line its row starts on."""
    raw = table.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header = rows[0]
    at = next(n for n, row in enumerate(rows) if row and row[0] == row_id)
    rows[at][header.index(field)] = text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    table.write_text(buffer.getvalue(), encoding="utf-8")
    reader = csv.reader(io.StringIO(raw, newline=""))
    for _ in range(at):
        next(reader)
    return reader.line_num + 1


def assert_named(data_dir: Path, file: str, line: int, *fragments: str) -> str:
    """Validation fails, every line of its report is one problem, and one names ``file:line`` and ``fragments``."""
    status, lines = validate(data_dir)
    assert status == 1, lines
    assert "Traceback" not in "\n".join(lines)
    problems = lines[1:] if re.fullmatch(r"\d+ problem\(s\) in the data package:", lines[0]) else lines
    parsed = [ONE_LINE.fullmatch(text) for text in problems]
    assert all(parsed), lines
    named = [p for p in parsed if p["path"].endswith(file) and int(p["line"]) == line
             and all(fragment in p["what"] for fragment in fragments)]
    assert named, f"no problem at {file}:{line} saying {fragments}:\n" + "\n".join(lines)
    return named[0][0]


OFFICIAL_ROW = "men-arrivals-to-1998-mou2012"


@pytest.mark.parametrize("value", [
    "1" + "0" * 28, "2_929", "\u0662\u0669\u0662\u0669", "\uff12\uff19\uff12\uff19", "2.929e3", "+829", "0829",
    "829.", ".5", " 829", "8 29",
])
def test_a_number_not_in_canonical_form_is_named(data_copy, value):
    line = set_cell(data_copy / "official.csv", OFFICIAL_ROW, "value", value)
    assert_named(data_copy, "official.csv", line, "value", "expected")


@pytest.mark.parametrize("value", ["829", "0", "0.5", "-12.25", "99999999999999"])
def test_a_number_in_canonical_form_passes_the_number_rule(value):
    from nkreport import inputrules

    assert inputrules.canonical_problem(value) is None


def test_an_id_with_a_trailing_newline_is_named(data_copy):
    line = set_cell(data_copy / "official.csv", OFFICIAL_ROW, "id", OFFICIAL_ROW + "\n")
    assert_named(data_copy, "official.csv", line, "id", "does not match the whole pattern")


@pytest.mark.parametrize("pattern", ["^[a-z]+$", "[a-z]+", "^[a-z]+"])
def test_a_pattern_matches_the_whole_cell(pattern):
    from nkreport import inputrules

    schema = {"fields": [{"name": "id", "constraints": {"pattern": pattern}}]}
    assert list(inputrules.cell_problems("t", {"id": "abc"}, schema)) == []
    [(field, problem)] = inputrules.cell_problems("t", {"id": "abc-1"}, schema)
    assert field == "id" and "does not match the whole pattern" in problem


def test_too_many_rows_are_named_at_the_first_one_too_many(data_copy):
    from nkreport import inputrules

    series = data_copy / "series.csv"
    lines = series.read_text(encoding="utf-8").splitlines(keepends=True)
    extra = [f"extra-{n},T,t,D,,\n" for n in range(inputrules.MAX_ROWS)]
    series.write_text("".join(lines + extra), encoding="utf-8")
    assert_named(data_copy, "series.csv", inputrules.MAX_ROWS + 2, "rows", "expected at most")


@pytest.mark.parametrize("text, what", [
    ("Defectors\x07 who arrived", "control character"),
    ("Defectors\u200b who arrived", "U+200B"),
    ("Defectors \U0001F600 who arrived", "U+1F600"),
    ("Defectors\u2028who arrived", "U+2028"),
])
def test_a_character_the_outputs_cannot_carry_is_named(data_copy, text, what):
    line = set_cell(data_copy / "series.csv", "arrivals", "description", text)
    assert_named(data_copy, "series.csv", line, "description", what, "expected")


def test_a_huge_cell_is_named(data_copy):
    line = set_cell(data_copy / "official.csv", OFFICIAL_ROW, "note", "x" * 200_000)
    assert_named(data_copy, "official.csv", line, "note")


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,<b>x</b>", "//example.org/x",
                                     "http:///nohost", "ftp://example.org/x", " https://example.org"])
def test_an_address_that_is_not_http_or_https_is_named(data_copy, address):
    line = set_cell(data_copy / "releases.csv", "mou-2012-01-11", "url", address)
    assert_named(data_copy, "releases.csv", line, "url", "expected an http or https address")


def test_deeply_nested_json_in_the_descriptor_is_named(data_copy):
    descriptor = data_copy / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(text.replace("{", '{"deep": ' + "[" * 100_000 + "]" * 100_000 + ", ", 1), encoding="utf-8")
    assert_named(data_copy, "datapackage.json", 1, "expected")


def test_a_data_file_linking_outside_the_repository_is_named(data_copy, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("id,value\nx,1\n", encoding="utf-8")
    (data_copy / "extra.csv").symlink_to(outside)
    assert_named(data_copy, "extra.csv", 1, "symbolic link", "expected a regular file")


def test_a_table_replaced_by_a_link_outside_the_repository_is_named(data_copy, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "series.csv"
    outside.write_bytes((data_copy / "series.csv").read_bytes())
    (data_copy / "series.csv").unlink()
    (data_copy / "series.csv").symlink_to(outside)
    assert_named(data_copy, "series.csv", 1, "symbolic link", "expected a regular file")


def test_a_fifo_in_the_data_folder_is_named(data_copy):
    os.mkfifo(data_copy / "pipe.csv")
    assert_named(data_copy, "pipe.csv", 1, "expected a regular file")


# --- CITATION.cff -----------------------------------------------------------------------------

def cff_with(data_copy: Path, old: str, new: str) -> tuple[Path, int]:
    path = data_copy.parent / "CITATION.cff"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, text[: text.index(old)].count("\n") + 1


def test_citation_authors_as_a_string_are_named(data_copy):
    _, line = cff_with(data_copy, "authors:\n  - name: \"The report's contributors\"", "authors: \"Someone\"")
    assert_named(data_copy, "CITATION.cff", line, "authors", "expected")


def test_a_citation_url_that_is_not_http_is_named(data_copy):
    _, line = cff_with(data_copy, "license:", "url: \"javascript:alert(1)\"\nlicense:")
    assert_named(data_copy, "CITATION.cff", line, "url", "expected an http or https address")


@pytest.mark.parametrize("title", ["A } title", "A { title", "A \\\\ title", "100% of @misc{x, #1 & $2_3^4~",
                                   "}, note = {injected"])
def test_any_citation_title_gives_bibtex_that_parses_back_to_it(data_copy, title):
    from nkreport import citation
    from pybtex.database import parse_string

    cff_with(data_copy, 'title: "North Korean Emigration: A Living Report"', f"title: '{title}'")
    cited = citation.load(data_copy, {"version": "2.1.0", "updated": "2026-12-01"})
    entry = parse_string(cited.bibtex(), "bibtex").entries["nk-emigration"]
    assert set(entry.fields) == {"title", "year", "version", "date", "note"}, entry.fields
    assert entry.fields["title"] == citation.bibtex_text(title)
    # Every special character escaped: LaTeX reads the text back as it was.
    unescaped = re.sub(r"\\text(backslash|braceleft|braceright|asciicircum|asciitilde)\{\}",
                       lambda m: {"backslash": "\\", "braceleft": "{", "braceright": "}", "asciicircum": "^",
                                  "asciitilde": "~"}[m[1]], entry.fields["title"])
    assert re.sub(r"\\([%#&$_])", r"\1", unescaped) == title


# --- references.bib -------------------------------------------------------------------------------

def bib_with(data_copy: Path, old: str, new: str) -> int:
    path = data_copy.parent / "references.bib"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_an_author_list_pybtex_cannot_parse_is_named(data_copy):
    line = bib_with(data_copy, "  note         = {Headline not given in the archive},",
                    "  editor       = {Doe, John, Jr, Extra},")
    assert_named(data_copy, "references.bib", line, "editor", "expected")


@pytest.mark.parametrize("note, what", [("$\\alpha$ particles", "TeX math"), ("a \u200b space", "U+200B"),
                                        ("an emoji \U0001F600", "U+1F600")])
def test_a_bibliography_field_the_pdf_cannot_set_is_named(data_copy, note, what):
    line = bib_with(data_copy, "  note         = {Headline not given in the archive},", f"  note = {{{note}}},")
    assert_named(data_copy, "references.bib", line, "note", what)


def test_a_bibliography_url_that_is_not_http_is_named(data_copy):
    line = bib_with(data_copy, "  note         = {Headline not given in the archive},",
                    "  url = {javascript:alert(1)},")
    assert_named(data_copy, "references.bib", line, "url", "expected an http or https address")


# --- other inputs: a text to check for completeness, {calc} expressions -------------------------------

@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", b"text\nthen \xff a byte"])
def test_completeness_of_a_binary_file_is_one_line(tmp_path, content, capsys):
    path = tmp_path / "file.bin"
    path.write_bytes(content)
    assert main(["completeness", str(path)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert ONE_LINE.fullmatch(line) and "is not UTF-8: expected UTF-8 text" in line, line


def test_completeness_of_a_folder_or_pipe_is_one_line(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe")
    for path in (tmp_path, tmp_path / "pipe"):
        assert main(["completeness", str(path)]) == 2
        [line] = capsys.readouterr().err.strip().splitlines()
        assert line.endswith("not a file: expected a text file"), line


@pytest.mark.parametrize("depth", [30, 3000])
def test_a_calc_nested_too_deep_is_a_value_error(depth):
    from nkreport import calc, data

    expression = "total(" * depth + "1" + ")" * depth
    with pytest.raises(ValueError, match="nested in .*expected at most 20"):
        calc.evaluate(expression, data.load())
    assert calc.evaluate("total(" * 10 + "1" + ")" * 10, data.load()).value == 1


@pytest.mark.parametrize("number", ["\u0662", "\uff12", "2_0"])
def test_a_calc_number_in_other_digits_is_refused(number):
    from nkreport import calc, data

    with pytest.raises((ValueError, KeyError)):
        calc.evaluate(f"total(1, {number})", data.load())
