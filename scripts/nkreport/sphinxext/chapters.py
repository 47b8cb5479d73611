"""Chapters' text checked before Sphinx reads it, and once it has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from .. import inputrules
from ..errors import DataError, read_text
from .dataset import stop_build

logger = logging.getLogger(__name__)


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


# Text no reader of the PDF sees as set text: code and claims, comments, raw markup, the site's own
# parts; and text from the data, which validation has checked where it came from.
UNSET = (nodes.literal_block, nodes.doctest_block, nodes.comment, nodes.raw, nodes.system_message)


def check_characters(app, doctree) -> None:
    """A character in a chapter's prose the PDF cannot set (an emoji, a zero-width space) named at its line,
    while the site is built: pdflatex would fail minutes later naming no file."""
    for text in set_text(doctree):
        problem = inputrules.character_problem(str(text))
        if problem:
            logger.warning(problem, location=text.parent, type="nkreport", subtype="character")


def set_text(node: nodes.Element) -> Iterator[nodes.Text]:
    """The text under ``node`` that the PDF sets: one walk down the tree, skipping what it does not set."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield child
        elif not (isinstance(child, UNSET) or "data-text" in child.get("classes", ())
                  or isinstance(child, addnodes.only) and child.get("expr") == "html"):
            yield from set_text(child)
