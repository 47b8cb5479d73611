"""references.bib: parses, no duplicates, complete entries, every entry used, every used key defined."""

from __future__ import annotations

import re

import pytest
from conftest import line_of, replace_in
from nkreport import bib, data
from nkreport.paths import BIBLIOGRAPHY, REPORT_DIR

CITE_ROLE = re.compile(r"\{cite(?::\w+)*\}`([^`]+)`")


def cited_in_chapters() -> set[str]:
    keys = set()
    for page in REPORT_DIR.rglob("*.md"):
        for group in CITE_ROLE.findall(page.read_text(encoding="utf-8")):
            keys.update(k.strip() for k in group.split(","))
    return keys


def test_bibliography_parses_with_readable_keys():
    entries = bib.entries(BIBLIOGRAPHY)
    assert len(entries) >= 20
    assert all(re.fullmatch(r"[a-z]+\d{4}[a-z0-9]+", key) for key in entries), sorted(entries)


def test_no_duplicate_keys():
    assert bib.duplicate_keys(BIBLIOGRAPHY) == []


def test_duplicate_key_is_found(tmp_path):
    copy = tmp_path / "references.bib"
    copy.write_text(BIBLIOGRAPHY.read_text(encoding="utf-8") + "\n@misc{nkew2014q1,\n  title = {again},\n}\n")
    assert bib.duplicate_keys(copy) == ["nkew2014q1"]


def test_every_entry_has_its_required_fields():
    assert bib.missing_fields(BIBLIOGRAPHY) == []


def test_missing_field_is_named(tmp_path):
    copy = tmp_path / "references.bib"
    copy.write_text(BIBLIOGRAPHY.read_text(encoding="utf-8"))
    replace_in(copy, "  journal      = {NK News},\n", "")
    assert bib.missing_fields(copy) == ["lankov2014nknews: missing field 'journal'"]


def test_every_key_the_data_uses_exists():
    assert data.load().sources() - bib.keys(BIBLIOGRAPHY) == set()


def test_every_key_the_chapters_cite_exists():
    assert cited_in_chapters() - bib.keys(BIBLIOGRAPHY) == set()


def test_no_unused_entries():
    used = data.load().sources() | cited_in_chapters()
    assert bib.keys(BIBLIOGRAPHY) - used == set()


@pytest.mark.parametrize("kind", ["misc", "article"])
def test_each_post_and_article_kind_is_present(kind):
    assert any(entry.type == kind for entry in bib.entries(BIBLIOGRAPHY).values())


def test_archive_posts_are_all_present():
    posts = {k for k, e in bib.entries(BIBLIOGRAPHY).items() if "Economy Watch" in e.fields.get("howpublished", "")}
    assert len(posts) == 10  # the archive holds ten posts (shared/sources/README.md)


# --- a broken bibliography stops validation with one line per problem ----------


def bib_problems(data_copy) -> list[str]:
    from nkreport.errors import DataError

    with pytest.raises(DataError) as caught:
        data.load(data_copy, data_copy.parent / "references.bib")
    return [str(p) for p in caught.value.problems]


def test_syntax_error_is_named_by_line(data_copy):
    bibfile = data_copy.parent / "references.bib"
    bibfile.write_text(bibfile.read_text(encoding="utf-8") + "\n@misc{broken2099,\n  title {x},\n}\n", encoding="utf-8")
    assert bib_problems(data_copy) == [f"{bibfile}:{line_of(bibfile, 'title {x}')}:1: syntax error: '=' expected"]


def test_duplicate_key_is_named_by_both_lines(data_copy):
    bibfile = data_copy.parent / "references.bib"
    first = line_of(bibfile, "{nkew2014q1,")
    bibfile.write_text(bibfile.read_text(encoding="utf-8") + "\n@misc{nkew2014q1,\n  title = {again},\n}\n")
    again = len(bibfile.read_text(encoding="utf-8").splitlines()) - 2
    assert bib_problems(data_copy) == [
        f"{bibfile}:{again}:1: nkew2014q1: duplicate key (first at line {first}): expected each key once"
    ]


def test_missing_field_stops_validation_at_the_entry(data_copy):
    bibfile = data_copy.parent / "references.bib"
    replace_in(bibfile, "  journal      = {NK News},\n", "")
    [problem] = bib_problems(data_copy)
    assert problem.startswith(
        f"{bibfile}:{line_of(bibfile, '{lankov2014nknews,')}:1: lankov2014nknews: missing field 'journal': "
        "expected @article entries to have "
    ), problem


def test_bibliography_that_is_not_utf8_is_named(data_copy):
    bibfile = data_copy.parent / "references.bib"
    bibfile.write_bytes(bibfile.read_bytes().replace(b"Emigration", b"Emigr\xe9tion", 1))
    raw = bibfile.read_bytes()
    line = raw[:raw.index(b"\xe9")].count(b"\n") + 1
    column = raw.index(b"\xe9") - raw.rfind(b"\n", 0, raw.index(b"\xe9"))
    assert bib_problems(data_copy) == [f"{bibfile}:{line}:{column}: byte 0xe9 is not UTF-8: expected UTF-8 text"]
