"""What a reader of the site looks for beside the chapters: how to cite the report, and its data files."""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .. import citation
from ..paths import DATA_DIR
from ..tables import read_descriptor
from .dataset import data_text
from .freshness import note_data_listing

DESCRIPTOR = DATA_DIR / "datapackage.json"


class CiteDirective(SphinxDirective):
    """The ready citation and its BibTeX, at the data's version and date (CITATION.cff's title and authors)."""

    def run(self):
        cff = citation.path_for(DATA_DIR)
        for path in (DESCRIPTOR, cff):
            self.env.note_dependency(str(path))
        cited = citation.load(DATA_DIR, read_descriptor(DATA_DIR))
        text = nodes.paragraph("", "", data_text(cited.text()), classes=["citation-text"])
        bibtex = nodes.literal_block(cited.bibtex(), cited.bibtex(), language="bibtex")
        return [text, nodes.paragraph("", "As BibTeX:"), bibtex]


class DataFiles(SphinxDirective):
    """Every file of data/ for download: the package descriptor (the schema), then each table with its
    title and description from the descriptor, then any other CSV file, so a new table is listed by itself."""

    def link(self, path: Path) -> addnodes.download_reference:
        # Sphinx's download collector copies the file into _downloads/ and notes the dependency.
        relative = os.path.relpath(path, self.env.doc2path(self.env.docname).parent)
        return addnodes.download_reference(
            "", "", nodes.literal(path.name, path.name), reftarget=relative, refexplicit=True,
            refdoc=self.env.docname, refdomain="", reftype="download",
        )

    def item(self, path: Path, words: list[nodes.Node]) -> nodes.definition_list_item:
        term = nodes.term("", "", self.link(path))
        return nodes.definition_list_item("", term, nodes.definition("", nodes.paragraph("", "", *words)))

    def run(self):
        note_data_listing(self.env)
        descriptor = read_descriptor(DATA_DIR)
        listing = nodes.definition_list()
        listing += self.item(DESCRIPTOR, [nodes.Text(
            "The data package: every table's columns, types, constraints and keys (Table Schema), its "
            "sources, licence and checksum, and the data version and date."
        )])
        described = set()
        for resource in descriptor["resources"]:
            path = DATA_DIR / resource["path"]
            described.add(path.name)
            words = [data_text(resource.get("title", resource["name"]))]
            if resource.get("description"):
                words += [nodes.Text(": "), data_text(resource["description"])]
            listing += self.item(path, words)
        for path in sorted(DATA_DIR.glob("*.csv")):
            if path.name not in described:
                listing += self.item(path, [nodes.Text("A table of the data folder outside the data package.")])
        return [listing]
