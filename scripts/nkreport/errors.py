"""The errors every check reports: a :class:`Problem` names file, line and column.

Validation, the bibliography, the citation file, the stamp and the build all
report through :class:`Problem` and :class:`DataError`, so a maintainer sees
one format.  :class:`UnknownFigureError` is the data API's: an id no row has;
:class:`ChartError` a chart module's failure, in one line naming its file and line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        # One line whatever the data holds: control characters and line separators are shown escaped.
        message = _LINE_BREAKING.sub(lambda c: repr(c[0])[1:-1], self.message)
        return f"{self.path}:{self.line}:{self.column}: {message}"


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class DataError(Exception):
    """The data package is invalid; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(
            f"{len(self.problems)} problem(s) in the data package:\n"
            + "\n".join(str(p) for p in self.problems)
        )


class ChartError(Exception):
    """A chart module failed; the message names its file and line."""


class UnknownFigureError(KeyError):
    """No row has this id; the message suggests the nearest ids."""

    def __init__(self, kind: str, wanted: str, known: list[str]):
        super().__init__(kind, wanted)
        self.kind, self.wanted, self.known = kind, wanted, known

    @cached_property
    def message(self) -> str:
        # Worked out when read: What's New asks the version before for figures it lacks, never saying why.
        close = difflib.get_close_matches(self.wanted, self.known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        return f"no {self.kind} with id {self.wanted!r}{hint}"

    def __str__(self) -> str:
        return self.message


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """A file's text; DataError naming the line and column of a byte that is not UTF-8, or a missing file."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        problem = Problem(display_path(path), 1, 1, f"cannot read: {err.strerror}: expected a readable file")
        raise DataError([problem]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError([Problem(
            display_path(path), line, column, f"byte 0x{raw[err.start]:02x} is not UTF-8: expected UTF-8 text",
        )]) from None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
