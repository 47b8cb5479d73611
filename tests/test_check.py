"""The writer's fast loop: one command checks a chapter's data, claims and references."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from buildtools import REPO, copy_project
from conftest import line_of


def check(root: Path, *chapters: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run(
        [sys.executable, "-m", "nkreport", "check", *chapters], cwd=root, env=env, capture_output=True, text=True,
    )
    result.stdout += result.stderr
    return result


@pytest.mark.build
def test_check_names_a_broken_claim_and_reference_of_the_chapter(tmp_path, chart_cache):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    passed = check(root, "report/demographics.md")
    assert passed.returncode == 0, passed.stdout[-3000:]
    assert "check: report/demographics.md: doctests pass; HTML at _build/work/html/demographics.html" in passed.stdout
    assert (root / "_build" / "work" / "html" / "demographics.html").exists()

    chapter = root / "report" / "demographics.md"
    claim = break_a_claim(chapter)
    with chapter.open("a", encoding="utf-8") as text:
        text.write("\nAs {numref}`fig-no-such-chart` shows.\n")
    failed = check(root, "demographics")
    assert failed.returncode == 1
    assert (f'report/demographics.md:{line_of(chapter, f">>> {claim}")}: WARNING: doctest "{claim}" '
            "failed: expected True, got False") in failed.stdout, failed.stdout[-3000:]
    assert re.search(rf"demographics\.md:{line_of(chapter, 'fig-no-such-chart')}: WARNING: .*fig-no-such-chart",
                     failed.stdout), failed.stdout[-3000:]
    assert "check: FAILED: doctests of report/demographics.md (see above); HTML build (see above)" in failed.stdout


def break_a_claim(chapter: Path) -> str:
    """Negate the chapter's first one-line claim that prints True, so that it prints False; return its
    ``# Claim: …`` line."""
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    for n in range(len(lines) - 2):
        if (lines[n].startswith(">>> # Claim:") and lines[n + 1].startswith("... ")
                and lines[n + 2] == "True\n"):
            lines[n + 1] = "... not " + lines[n + 1].removeprefix("... ")
            chapter.write_text("".join(lines), encoding="utf-8")
            return lines[n].removeprefix(">>> ").rstrip("\n")
    raise AssertionError(f"no one-line claim printing True in {chapter}")


def break_a_later_example(chapter: Path) -> str:
    """Give the second example of the chapter's first doctest block of several an output it does not
    print; return the example's first line. A failure named by its block's line would show here."""
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    fences = [n for n, line in enumerate(lines) if line.startswith("```")]
    for start, end in zip(fences, fences[1:], strict=False):
        examples = [n for n in range(start, end) if lines[n].startswith(">>> ")]
        if lines[start].startswith("```{doctest}") and len(examples) > 1:
            want = examples[1] + 1
            while lines[want].startswith("... "):
                want += 1
            lines[want] = "'not what it returns'\n"
            chapter.write_text("".join(lines), encoding="utf-8")
            return lines[examples[1]].removeprefix(">>> ").rstrip("\n")
    raise AssertionError(f"no doctest block with two examples in {chapter}")


@pytest.mark.build
def test_a_failing_example_is_named_at_its_line_by_check_make_doctest_and_the_build(tmp_path, chart_cache):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    shutil.copy2(REPO.root / "Makefile", root / "Makefile")
    chapter = root / "report" / "demographics.md"
    example = break_a_later_example(chapter)
    line = line_of(chapter, f">>> {example}")
    named = f"report/demographics.md:{line}: WARNING: doctest \"{example}\" failed: expected 'not what it returns'"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"NKREPORT_VENV": sys.prefix, "SOURCE_DATE_EPOCH": "1700000000"}
    for command in (["make", "check", "CHAPTER=demographics"], ["make", "doctest"], ["bash", "scripts/build"]):
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output[-3000:]
        assert named in output, (command, output[-3000:])
        assert "Traceback" not in output and "Failed example" not in output, output[-3000:]


def test_check_names_an_unknown_chapter(tmp_path):
    result = check(copy_project(tmp_path / "project"), "demografics")
    assert result.returncode == 2
    assert re.match(r"nkreport check: no chapter 'demografics' in report/: expected one of .*\bdemographics\b",
                    result.stdout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(log: Path, pattern: str, seconds: float = 180) -> str:
    """The preview's log once it matches ``pattern``; fails with the log if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if re.search(pattern, text):
            return text
        time.sleep(1)
    raise AssertionError(f"{pattern!r} not in the preview's log:\n{log.read_text()[-3000:]}")


def served(url: str, seconds: float = 30) -> int:
    """The HTTP status of ``url``, once the server (which announces itself just before listening) answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as page:
                return page.status
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@pytest.mark.build
def test_preview_reports_broken_claims_and_references_on_the_chosen_port(tmp_path, chart_cache):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    shutil.copy2(REPO.root / "Makefile", root / "Makefile")
    chapter = root / "report" / "demographics.md"
    claim = break_a_claim(chapter)
    port, log = free_port(), tmp_path / "preview.log"
    env = {**os.environ, "NKREPORT_VENV": sys.prefix}
    with log.open("w") as output:
        preview = subprocess.Popen(["make", "preview", f"PORT={port}"], cwd=root, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(log, re.escape(claim))
        assert re.search(rf'demographics\.md:\d+: WARNING: doctest "{re.escape(claim)}"', log.read_text())
        assert f"Serving on http://127.0.0.1:{port}" in wait_for(log, rf"Serving on http://127\.0\.0\.1:{port}")
        assert served(f"http://127.0.0.1:{port}/demographics.html") == 200
        with chapter.open("a", encoding="utf-8") as text:
            text.write("\nAs {numref}`fig-no-such-chart` shows.\n")
        line = line_of(chapter, "fig-no-such-chart")
        wait_for(log, rf"demographics\.md:{line}: WARNING: undefined label: 'fig-no-such-chart'")
    finally:
        os.killpg(preview.pid, signal.SIGTERM)
        preview.wait(timeout=30)
