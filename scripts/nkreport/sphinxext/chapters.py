"""Chapters' text checked before Sphinx reads it."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError, read_text
from .dataset import stop_build


def check_encoding(app, env, docnames: list[str]) -> None:
    """A chapter that is not UTF-8 is named at its first bad byte: Sphinx would stop with a crash report."""
    problems = []
    for docname in docnames:
        try:
            read_text(Path(env.doc2path(docname)))
        except DataError as err:
            problems += err.problems
    if problems:
        stop_build("\n".join(str(p) for p in problems))
