"""What each data version changed, for readers: the "What's new" page and the list of versions to cite."""

from __future__ import annotations

import re

from sphinx.util.docutils import SphinxDirective

from .. import formatting, versions, whatsnew
from ..formatting import markdown_literal
from .dataset import dataset, note_data_dependency

_FIRST_SENTENCE = re.compile(r"^- (.*?\.)(?:\s|$)", re.S)
_ENTRY_HEADING = re.compile(r"^(## \S+) — (\d{4}-\d\d-\d\d)$", re.M)


def changelog_in_words(app, relative_path, parent_docname: str, content: list[str]) -> None:
    """The data changelog as readers see it: each version's date in words ("3.1.0 of 6 December 2026"); the
    file keeps the ISO dates that validation compares with the package."""
    if relative_path.name == "CHANGELOG.md":
        content[0] = _ENTRY_HEADING.sub(lambda m: f"{m[1]} of {formatting.date_words(m[2])}", content[0])


def _dated(version: versions.Version) -> str:
    return f"{version.version} of {formatting.date_words(version.date)}"


class WhatsNew(SphinxDirective):
    """One part of what this version changed against the one before: ``versions`` (the two, dated),
    ``figures`` (figures new, revised or made final, as sentences with rendered numbers), ``sentences``
    (each sentence of the report whose numbers moved, linked to its chapter) or ``changelog`` (its entry)."""

    required_arguments = 1

    def run(self):
        part = self.arguments[0]
        if part not in PARTS:
            raise self.error(f"whats-new: unknown part {part!r}: expected one of {', '.join(PARTS)}")
        note_data_dependency(self.env)
        project = self.config.nkreport_project
        chapters = sorted(p for p in project.report_dir.glob("*.md") if p.stem != self.env.docname)
        for chapter in chapters:
            self.env.note_dependency(str(chapter))
        [current, *older] = versions.history(project.data_dir)
        if part == "changelog":
            return self.parse_text_to_nodes(current.entry)
        if not older:
            return self.parse_text_to_nodes(f"Version {_dated(current)} is the first version of the data.")
        if part == "versions":
            return self.parse_text_to_nodes(f"Version {_dated(current)}, against version {_dated(older[0])}.")
        ds, before = dataset(self.env), whatsnew.as_of(project.data_dir, project.bibliography, older[0].version)
        if part == "figures":
            found = [f"- {sentence}" for sentence in whatsnew.figure_sentences(ds, before)]
            return self.parse_text_to_nodes("\n".join(found) or "No official figure is new or revised in this "
                                            "version, and no press figure is new.")
        lines = []
        for sentence in whatsnew.moved_sentences(chapters, ds, before):
            changes = "; ".join(f"{markdown_literal(then) or 'not yet in the data'} before, "
                                f"{markdown_literal(now)} now" for then, now in sentence.moves)
            lines.append(f"- {{doc}}`{sentence.chapter}`: {sentence.sentence} ({changes})")
        return self.parse_text_to_nodes("\n".join(lines) or "No number in the report's sentences renders "
                                        "differently from the version before.")


PARTS = ("versions", "figures", "sentences", "changelog")


class DataVersions(SphinxDirective):
    """Every data version, newest first, with its date and one line on what it changed."""

    def run(self):
        data_dir = self.config.nkreport_project.data_dir
        self.env.note_dependency(str(data_dir / "CHANGELOG.md"))
        items = []
        for version in versions.history(data_dir):
            first = _FIRST_SENTENCE.match(version.entry)
            said = " ".join(first[1].split()) if first else "see the changelog"
            items.append(f"- **{version.version}**, {formatting.date_words(version.date)}: {said}")
        return self.parse_text_to_nodes("\n".join(items))
