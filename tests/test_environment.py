"""One environment, every entry point: each command works on the checkout it is run in.

An environment (``NKREPORT_VENV``) installed from one checkout may serve
another; the commands must then read the other checkout's data.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from buildtools import REPO, second_checkout
from conftest import line_of, replace_in


def environment_of_this_checkout() -> dict:
    """This test run's environment, importing this checkout's code as if installed from it."""
    env = {k: v for k, v in os.environ.items() if k != "NKREPORT_VENV"}
    return env | {"PYTHONPATH": str(REPO.root / "scripts"), "NKREPORT_VENV": sys.prefix}


def break_a_percentage(root: Path) -> str:
    """Make the copy's data invalid; return where validation must say so."""
    figures = root / "data" / "figures.csv"
    replace_in(figures, ",75.6,,,percent,", ",756,,,percent,")
    return f"data/figures.csv:{line_of(figures, ',756,')}:"


@pytest.mark.parametrize("folder", [".", "report"])
def test_validate_reads_the_data_of_the_checkout_it_runs_in(tmp_path, folder):
    root = second_checkout(tmp_path)
    where = break_a_percentage(root)
    result = subprocess.run(
        [sys.executable, "-m", "nkreport", "validate"],
        cwd=root / folder, env=environment_of_this_checkout(), capture_output=True, text=True,
    )
    assert result.returncode == 1, result.stdout
    assert "756 is not a percentage between 0 and 100" in result.stderr
    assert where in result.stderr.replace("../data/", "data/")


def test_make_uses_nkreport_venv_on_the_checkout_it_runs_in(tmp_path):
    root = second_checkout(tmp_path)
    assert not (root / ".venv").exists()
    env = environment_of_this_checkout() | {"PYTHONPATH": ""}
    ok = subprocess.run(["make", "validate"], cwd=root, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    where = break_a_percentage(root)
    bad = subprocess.run(["make", "validate"], cwd=root, env=env, capture_output=True, text=True)
    assert bad.returncode != 0
    assert where in bad.stderr


def test_pre_commit_hooks_use_nkreport_venv(tmp_path):
    root = second_checkout(tmp_path)
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    env = environment_of_this_checkout() | {"PYTHONPATH": ""}
    for hook in hooks:
        files = [] if hook.get("pass_filenames") is False else ["scripts/nkreport/project.py"]
        result = subprocess.run(
            ["bash", "-c", hook["entry"] + ' "$@"', hook["id"], *files],
            cwd=root, env=env, capture_output=True, text=True,
        )
        assert result.returncode == 0, f"{hook['id']}: {result.stdout[-2000:]}{result.stderr[-2000:]}"


def test_run_without_an_environment_says_what_to_do(tmp_path):
    root = second_checkout(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "NKREPORT_VENV"}
    result = subprocess.run(["scripts/run", "python", "-V"], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        f"run: no Python environment at {root.resolve()}/.venv: "
        "run 'bash scripts/build' once, or set NKREPORT_VENV\n"
    )


ENVIRONMENT_COMMANDS = re.compile(r"^(?:\.venv/bin/\S+|python3?|pytest|pre-commit|ruff|sphinx-\S+)(?=\s|$)")


def commands_in(text: str):
    """(line, command) for each command the text shows: code spans with arguments, and lines of code blocks."""
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            yield number, line.strip()
        else:
            yield from ((number, span.strip()) for span in re.findall(r"`([^`]+ [^`]+)`", line))


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_every_documented_command_uses_the_project_environment(document):
    """A bare `python` or `.venv/bin/…` ignores NKREPORT_VENV; `scripts/run`, `make` and `bash scripts/…` do not."""
    problems = [
        f"{document}:{number}: `{command}` ignores NKREPORT_VENV: "
        f"write `scripts/run {command.removeprefix('.venv/bin/')}`"
        for number, command in commands_in((REPO.root / document).read_text(encoding="utf-8"))
        if ENVIRONMENT_COMMANDS.match(command)
    ]
    assert problems == []
