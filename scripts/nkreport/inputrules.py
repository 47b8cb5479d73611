"""Rules for text and files from outside the code, which every output must carry as they are.

Numbers have one written form (so the published CSV, the charts and the
prose agree on what a cell says); text holds only characters every output can
set (HTML, SVG, LaTeX/PDF); an address becomes a link only if it is ``http``
or ``https``; a pattern matches a whole cell; and a data file is a regular
file of the repository, never a link to something outside it.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

# A number as the data writes it: ASCII digits, an optional minus, an optional decimal part.
# Not "+5", "05", "5.", ".5", "5e3", "5_000", "5,000" or other scripts' digits ("٥", "５").
CANONICAL_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", re.ASCII)
MAX_DIGITS = 15  # exact in a float as in a Decimal: every output states the same number
NUMBER_FORM = (f"ASCII digits with an optional minus sign and decimal point, at most {MAX_DIGITS} digits, "
               "such as 1396, -4 or 75.6 (no plus sign, leading zero, exponent or separators)")

# Beyond printable ASCII and the Latin letters of Latin-1 and Latin Extended-A: the punctuation the
# report's fonts have (dashes, quotation marks, ellipsis, daggers, bullet) and the tilde operator.
EXTRA_CHARACTERS = set("\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u223c")
# Chinese, Japanese and Korean: the provenance list sets a quote or cell in them on the site only, and
# tells a reader of the PDF where to read it (nkreport.sphinxext.provenance); a release's title, in its
# publisher's words, is printed nowhere.
CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
CJK_FIELDS = {("figures", "quote"), ("official", "quote"), ("official", "cell"), ("releases", "title")}
CHARACTERS_EXPECTED = "expected letters of the Latin alphabets, digits and common punctuation"
# Sizes every output can hold: the PDF lists every row, and TeX's buffers are finite.
MAX_CELL_LENGTH = 5_000
MAX_ROWS = 5_000


def canonical_problem(text: str) -> str | None:
    """Why ``text`` is not a number in the data's one written form, or None."""
    if not CANONICAL_NUMBER.fullmatch(text):
        return f"{text!r} is not written as the data writes numbers: expected {NUMBER_FORM}"
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        return f"{text} has more than {MAX_DIGITS} digits: expected {NUMBER_FORM}"
    return None


def character_problem(text: str, cjk_allowed: bool = False) -> str | None:
    """The first character of ``text`` an output cannot carry, named by code point and column, or None.

    A line break may stand in a quoted cell (a quote that spans lines); every output reads it as a space.
    """
    for column, char in enumerate(text, start=1):
        if char == "\n" or " " <= char <= "~" or "\u00a0" <= char <= "\u017f" or char in EXTRA_CHARACTERS:
            continue
        if cjk_allowed and CJK.match(char):
            continue
        name = unicodedata.name(char, None) or repr(char)
        kind = "control character" if unicodedata.category(char) == "Cc" else "character"
        return (f"{kind} U+{ord(char):04X} ({name}) at character {column} cannot be set in every output "
                f"(PDF, SVG): {CHARACTERS_EXPECTED}")
    return None


def address_problem(text: str) -> str | None:
    """Why ``text`` may not become a link, or None: only http and https addresses with a host."""
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts and parts.scheme in ("http", "https") and parts.netloc and not re.search(r"[\s\"<>\\]", text):
        return None
    return f"{text!r} is not a link a reader can follow safely: expected an http or https address, such as https://…"


def cell_problems(table: str, row: dict, schema: dict):
    """(field, message) for each cell of ``row`` that breaks a rule above, the first rule it breaks."""
    for spec in schema["fields"]:
        field, text = spec["name"], row.get(spec["name"]) or ""
        if not text:
            continue
        if len(text) > MAX_CELL_LENGTH:
            yield field, f"{len(text):,} characters long: expected at most {MAX_CELL_LENGTH:,} characters in a cell"
            continue
        problem = character_problem(text, cjk_allowed=(table, field) in CJK_FIELDS)
        if problem is None and spec.get("type") in ("number", "integer"):
            problem = canonical_problem(text)
        pattern = spec.get("constraints", {}).get("pattern")
        if problem is None and pattern and not _fullmatch(pattern, text):
            problem = f"{text!r} does not match the whole pattern {pattern}"
        if problem is None and field == "url":
            problem = address_problem(text)
        if problem:
            yield field, problem


def _fullmatch(pattern: str, text: str) -> bool:
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return True  # named where the schema is checked


def file_problem(path: Path, root: Path) -> str | None:
    """Why ``path`` in the data folder cannot be read or published, or None for a regular file of the repository."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            return (f"a symbolic link to {target}, outside the repository: expected a regular file "
                    "(its contents copied into the repository)")
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot be read: {err.strerror}: expected a regular file"
    if not stat.S_ISREG(mode):
        return "not a file that can be read and published (a folder, pipe or device): expected a regular file"
    return None
