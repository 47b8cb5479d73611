"""What a data version changed, for readers: figures new, revised or made final, and the report's sentences
whose rendered numbers moved, each against the version before.

Everything is read from the data (each row's ``added_in``) and the chapters'
sources, so it works in an exported tree without git. Sentences are MyST
Markdown with the report's own roles, so their numbers render and link as in
the chapters.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import bib, calc, data, derived, formatting, versions
from .formatting import markdown_literal
from .tables import read_descriptor, read_table

_ROLE = re.compile(r"\{(?P<role>fig|period|calc)\}`(?P<text>[^`]+)`")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’\"]?\s+(?=[A-Z“{(])")
# Fenced blocks whose body is the chapter's prose; every other fence (doctests, charts, tables) is skipped.
PROSE_FENCES = ("admonition", "note", "tip", "important", "warning", "epigraph")


@lru_cache(maxsize=4)
def _as_of(data_dir: Path, bibliography: Path, version: str, stamp: tuple) -> data.Dataset:
    # Not validated again: an earlier version's rows are rows of this one, which was validated as a whole
    # (that validation is most of a cold build's data time, and the page needs only the rows).
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        versions.as_of(data_dir, version, folder)
        descriptor = read_descriptor(folder)
        tables = {resource["name"]: read_table(folder, resource)[0] for resource in descriptor["resources"]}
        return data.Dataset(folder, tables, descriptor, bib.sources(bibliography))


def as_of(data_dir: Path, bibliography: Path, version: str) -> data.Dataset:
    """The dataset as it stood at ``version``, rebuilt from the rows' ``added_in``."""
    return _as_of(data_dir, bibliography, version, data.files_stamp(data_dir, bibliography))


def figure_sentences(ds: data.Dataset, before: data.Dataset) -> list[str]:
    """Plain sentences, in MyST, on each official value this version adds: a new period, a revision, a year
    made final; then a count of the press figures it adds. Words from the data are escaped: text, not markup."""
    added = [f for f in ds.figures.values() if f.added_in == ds.version]
    official = sorted((f for f in added if f.is_official), key=lambda f: (f.series, f.period_end, f.id))
    sentences = []
    for series in dict.fromkeys(f.series for f in official):
        said_of_series = []
        title = markdown_literal(ds.series_info[series].title)
        earlier = {f.quantity: f for f in before.official(series, None)} if series in before.series_info else {}
        known_end = max((f.period_end for f in earlier.values()), default=None)
        for f in (f for f in official if f.series == series):
            old, source = earlier.get(f.quantity), markdown_literal(f.source_label)
            hedge = ", provisional" if f.provisional else ""
            # Newest period first, then revisions, then years made final: what a reader asks in that order.
            if old is None and (known_end is None or f.period_end > known_end):
                kind, said = 0, f"the series now runs to {{period}}`{f.id}`: {{fig}}`{f.id}`{hedge} ({source})"
            elif old is None:
                kind, said = 1, f"a value for {{period}}`{f.id}` is new: {{fig}}`{f.id}`{hedge} ({source})"
            elif derived.only_rounds(f.value, old.value):
                kind, said = 4, (f"a copy gives the count for {{period}}`{f.id}` rounded, {{fig}}`{f.id}` ({source}); "
                                 f"the finer {{fig}}`{old.id}` ({markdown_literal(old.source_label)}) stays current")
            elif old.value != f.value:
                kind, said = 2, (f"the count for {{period}}`{f.id}` is revised from {{fig}}`{old.id}` "
                                 f"({markdown_literal(old.source_label)}) to {{fig}}`{f.id}` ({source}){hedge}")
            elif old.provisional and not f.provisional:
                kind, said = 3, f"the count for {{period}}`{f.id}`, {{fig}}`{f.id}`, is now final ({source})"
            else:
                kind, said = 4, f"the count for {{period}}`{f.id}`, {{fig}}`{f.id}`, is restated unchanged ({source})"
            said_of_series.append((kind, f.period_end, f"{title}: {said}."))
        sentences += [sentence for *_, sentence in sorted(said_of_series)]
    press = [f for f in added if not f.is_official]
    if press:
        outlets = markdown_literal(", ".join(dict.fromkeys(f.source_label for f in press)))
        one = len(press) == 1
        sentences.append(f"{formatting.number(len(press))} {'figure' if one else 'figures'} as the press stated "
                         f"them {'is' if one else 'are'} new, from {outlets}.")
    return sentences


def render(role: str, text: str, ds: data.Dataset) -> str | None:
    """What a number role renders to in ``ds``, or None where that version cannot render it."""
    try:
        if role == "calc":
            result, _ = calc.evaluate_with_inputs(text, ds)
            return formatting.quantity(result.value, result.unit)
        figure = ds.figure(text.strip())
        return formatting.period_words(figure) if role == "period" else formatting.figure(figure)
    except (KeyError, ValueError, ArithmeticError):
        return None


def prose(markdown: str) -> list[str]:
    """The chapter's paragraphs of prose, each on one line: fenced code, doctests, charts and tables left out."""
    paragraphs, current, fence = [], [], None
    for line in markdown.splitlines():
        opened = re.match(r"^(`{3,}|:{3,})\{?([\w-]*)", line)
        if fence is None and opened:
            fence = (opened[1], opened[2] in PROSE_FENCES)
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if fence is not None and line.strip() == fence[0]:
            fence = None
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if fence is not None and (not fence[1] or line.startswith(":")):
            continue
        if not line.strip() or line.startswith(("#", "- ", "* ", "[^")):
            if current:
                paragraphs.append(" ".join(current))
            current = [line[2:].strip()] if line.startswith(("- ", "* ")) else []
            continue
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return [p for p in paragraphs if p]


@dataclass(frozen=True)
class MovedSentence:
    """A sentence of a chapter whose numbers render differently than at the version before."""

    chapter: str
    sentence: str  # MyST, as written, footnote references left out
    moves: list[tuple[str, str]]  # (before, now) for each number that moved; before "" where it was absent


def moved_sentences(chapters: list[Path], ds: data.Dataset, before: data.Dataset) -> list[MovedSentence]:
    found = []
    for chapter in chapters:
        for paragraph in prose(chapter.read_text(encoding="utf-8")):
            for sentence in _SENTENCE_END.split(paragraph):
                moves = []
                for role in _ROLE.finditer(sentence):
                    now, then = render(role["role"], role["text"], ds), render(role["role"], role["text"], before)
                    if now is not None and now != then:
                        moves.append((then or "", now))
                if moves:
                    found.append(MovedSentence(chapter.stem, _FOOTNOTE_REF.sub("", sentence).strip(), moves))
    return found
