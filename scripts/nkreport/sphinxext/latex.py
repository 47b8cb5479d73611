"""The PDF edition: its title page, link targets Sphinx's LaTeX writer would drop, and the list of
references in the Bibliography chapter."""

from __future__ import annotations

from datetime import date

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape

from ..errors import DataError
from ..paths import DATA_DIR
from ..tables import read_descriptor


def date_in_words(iso: str) -> str:
    """``2026-12-01`` as ``1 December 2026``."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def title_page(app, config) -> None:
    """The title page macro of report/_latex/nkreport.sty: title and subtitle, the data's version and date."""
    try:
        descriptor = read_descriptor(DATA_DIR)
        version, as_of = str(descriptor["version"]), date_in_words(str(descriptor["updated"]))
    except (DataError, KeyError, ValueError):
        return  # reported with its line by validate_on_start, before anything is written
    title, _, subtitle = config.project.partition(": ")
    arguments = "".join(f"{{{escape(text)}}}" for text in (title, subtitle, version, as_of))
    config.latex_elements = {**config.latex_elements, "maketitle": rf"\nkreporttitlepage{arguments}"}


class ListItemTargets(SphinxPostTransform):
    """The ids of a list item as a target at the start of its text.

    Sphinx's LaTeX writer writes no label for a list item's ids, so a link to an entry of
    a list (each figure's entry in Data and methods) would print as text linking nowhere.
    """

    default_priority = 200
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for item in self.document.findall(nodes.list_item):
            if item["ids"] and item.children and isinstance(item[0], nodes.paragraph):
                item[0].insert(0, nodes.target("", "", ids=item["ids"]))
                item["ids"] = []


class BibliographyInItsChapter(SphinxPostTransform):
    """The list of references at the end of the chapter that lists them, not of the whole PDF.

    Sphinx's LaTeX builder gathers every citation into one list at the end of the document,
    which puts it under whatever chapter comes last (Cite this report), not under Bibliography.
    """

    default_priority = 760  # after Sphinx's BibliographyTransform (750) has gathered the list
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for listing in list(self.document.findall(thebibliography)):
            docnames = {citation.get("docname") for citation in listing.findall(nodes.citation)}
            chapter = next((
                section
                for document in self.document.findall(addnodes.start_of_file) if document["docname"] in docnames
                for section in document.findall(nodes.section)
            ), None)
            if len(docnames) == 1 and chapter is not None:
                listing.parent.remove(listing)
                chapter += listing


def setup(app) -> dict:
    app.connect("config-inited", title_page)
    app.add_post_transform(ListItemTargets)
    app.add_post_transform(BibliographyInItsChapter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
