"""CONTRIBUTING's workflows followed as written, on a temporary copy of the project."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import new_version
from nkreport import bib
from test_environment import second_checkout

NEW_SOURCE = """
@article{rfa2099walkthrough,
  author       = {{Radio Free Asia}},
  title        = {A walkthrough report on arrivals},
  journal      = {Radio Free Asia},
  outlet       = {RFA},
  date         = {2099-06-01},
  year         = {2099},
  month        = {June},
}
"""
NEW_ROW = ("defectors-resident-2015-rfa2099,defectors-resident,as-of,calendar,2015-06-01,2015-06-01,27500,,,"
           "people,about,rfa2099walkthrough,nkew2015emigration,a walkthrough phrase,\n")


def run(root, *command: str) -> subprocess.CompletedProcess:
    """A command as CONTRIBUTING writes it, with this test run's environment (NKREPORT_VENV)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NKREPORT_ROOT", "PYTHONPATH")}
    env |= {"NKREPORT_VENV": sys.prefix, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    result.stdout += result.stderr
    return result


@pytest.mark.build
def test_add_a_source_is_an_entry_rows_a_version_and_a_stamp(tmp_path):
    root = second_checkout(tmp_path)
    # "Adding a new source is a BibTeX entry in references.bib plus rows that use its key."
    with (root / "references.bib").open("a", encoding="utf-8") as bibliography:
        bibliography.write(NEW_SOURCE)
    with (root / "data" / "figures.csv").open("a", encoding="utf-8") as figures:
        figures.write(NEW_ROW)
    # Update the data, step 2: a new version with its changelog entry, then the stamp.
    refused = run(root, "scripts/run", "python", "-m", "nkreport", "validate")
    assert refused.returncode == 1 and "data/figures.csv:1:1: changed since data version" in refused.stdout
    new_version(root / "data", "9.9.9", "2099-12-01")
    stamped = run(root, "scripts/run", "python", "-m", "nkreport", "stamp")
    assert stamped.returncode == 0, stamped.stdout
    # Step 3: the build, then the fast checks.
    built = run(root, "bash", "scripts/build")
    assert built.returncode == 0, built.stdout[-4000:]
    site = root / "_build" / "html"
    assert 'id="data-defectors-resident-2015-rfa2099"' in (site / "methods.html").read_text(encoding="utf-8")
    assert "A walkthrough report on arrivals" in (site / "bibliography.html").read_text(encoding="utf-8")
    assert bib.missing_fields(root / "references.bib") == []
    fast = run(root, "scripts/run", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not build and not browser")
    assert fast.returncode == 0, fast.stdout[-4000:]
