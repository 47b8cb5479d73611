"""The PDF edition: its title page, link targets Sphinx's LaTeX writer would drop, and the list of
references in the Bibliography chapter."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.texescape import escape

from .. import citation
from ..errors import DataError
from ..tables import read_descriptor


def link(url: str) -> str:
    """A web address as a PDF link that prints itself (hyperref reads # and % in it as characters)."""
    url = url.replace("%", r"\%").replace("#", r"\#")
    return rf"\href{{{url}}}{{\nolinkurl{{{url}}}}}"


def title_page(app, config) -> None:
    """The title page macro of report/_latex/nkreport.sty: title and subtitle, the abstract, the data's
    version and date, and how to cite the report with the address it is published at."""
    try:
        data_dir = config.nkreport_project.data_dir
        report = citation.load(data_dir, read_descriptor(data_dir), config.html_baseurl)
    except (DataError, KeyError, ValueError):
        return  # reported with its line by start_checking_data, before anything is written
    title, _, subtitle = config.project.partition(": ")
    if report.url:
        where = rf"Published at {link(report.url)}, with this PDF and the data."
        before, _, after = report.text().partition(report.url)
        cite = escape(before) + link(report.url) + escape(after)
    else:
        where = escape("The HTML edition, with every chart's data, is published beside this PDF; this copy was "
                       "built without the address where it is published.")
        cite = escape(report.text())
    arguments = [escape(text) for text in (title, subtitle, report.abstract, report.edition)] + [where, cite]
    config.latex_elements = {**config.latex_elements,
                             "maketitle": r"\nkreporttitlepage" + "".join(f"{{{a}}}" for a in arguments)}


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


# latexmk runs pdflatex again while the .aux file changes. On the second pass only one line of it does:
# the number of the last page, which the contents pushed on by one and which nothing in the report prints
# (test_pdf checks that one more pass changes nothing). Ignored, it no longer costs a third pass.
LATEXMK_SETTING = r"$hash_calc_ignore_pattern{'aux'} = '^\\\\gdef \\\\@abspage@last\{';"


def settle_in_two_passes(app, exception) -> None:
    """Add :data:`LATEXMK_SETTING` to the latexmkrc Sphinx has written beside the LaTeX."""
    if exception is None and app.builder.format == "latex":
        rc = Path(app.outdir) / "latexmkrc"
        text = rc.read_text(encoding="utf-8")
        if LATEXMK_SETTING not in text:
            rc.write_text(f"{text.rstrip()}\n{LATEXMK_SETTING}\n", encoding="utf-8")


def setup(app) -> dict:
    app.connect("config-inited", title_page)
    # Two pdflatex passes for the PDF where latexmk would run three.
    app.connect("build-finished", settle_in_two_passes)
    app.add_post_transform(ListItemTargets)
    app.add_post_transform(BibliographyInItsChapter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
