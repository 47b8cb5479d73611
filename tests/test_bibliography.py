"""references.bib: parses, no duplicates, complete entries, every entry used, every used key defined."""

from __future__ import annotations

import re

import pytest
from conftest import replace_in
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
