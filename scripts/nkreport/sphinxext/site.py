"""What a reader of the site looks for beside the chapters: how to cite the report, and its data files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .. import chartfiles, citation, tidy
from .. import charts as chart_modules
from ..tables import read_descriptor
from .charts import GENERATED as CHARTS
from .dataset import data_text, dataset, stop_build
from .freshness import note_data_listing

# Files made from the data for download (relative to the source directory), written before any page is read.
GENERATED = "_generated/downloads"


def check_address(app, config) -> None:
    """Stop before anything is written if the host's address for the report is not a web address."""
    problem = citation.address_problem(config.html_baseurl)
    if problem:
        stop_build(f"conf.py: html_baseurl: {problem}")


def cited(config) -> citation.Citation:
    data_dir = config.nkreport_project.data_dir
    return citation.load(data_dir, read_descriptor(data_dir), config.html_baseurl)


def write_downloads(app) -> None:
    """CITATION.cff with the report's address, and each official series' current values as a CSV.

    Written only when their bytes change, so that the pages linking them are rebuilt exactly then
    (the cite page depends on CITATION.cff, and so on the address)."""
    folder = Path(app.srcdir) / GENERATED
    project = app.config.nkreport_project
    cff = citation.path_for(project.data_dir).read_text(encoding="utf-8")
    chartfiles.write_if_changed(folder / "CITATION.cff", cited(app.config).cff(cff).encode("utf-8"))
    ds = app.nkreport_dataset
    for series in tidy.official_series(ds):
        chartfiles.write_if_changed(folder / f"{series}.csv", chartfiles.rows_csv(tidy.current_rows(ds, series)))


def add_cite_script(app, pagename, templatename, context, doctree) -> None:
    """On a page with a citation, the script that fills in the day it is read (cite-accessed.js)."""
    if doctree and any("nk-accessed" in node["classes"] for node in doctree.findall(nodes.Element)):
        app.add_js_file("cite-accessed.js", loading_method="defer")


def download(env, path: Path, shown: str | None = None) -> addnodes.download_reference:
    """A link to download ``path`` (Sphinx copies it into _downloads/ and notes the dependency)."""
    relative = os.path.relpath(path, env.doc2path(env.docname).parent)
    shown = shown or path.name
    return addnodes.download_reference(
        "", "", nodes.literal(shown, shown), reftarget=relative, refexplicit=True,
        refdoc=env.docname, refdomain="", reftype="download",
    )


class CiteDirective(SphinxDirective):
    """The ready citation as text, BibTeX, RIS and CSL-JSON at the data's version and date, with the report's
    address (CITATION.cff's title, authors and abstract), and CITATION.cff itself for download."""

    def run(self):
        cff = Path(self.env.srcdir) / GENERATED / "CITATION.cff"
        data_dir = self.config.nkreport_project.data_dir
        for path in (data_dir / "datapackage.json", citation.path_for(data_dir), cff):
            self.env.note_dependency(str(path))
        report = cited(self.config)
        if report.url:
            where = [nodes.Text("This report is published at "),
                     nodes.reference(report.url, report.url, refuri=report.url), nodes.Text(".")]
        else:
            where = [nodes.Text(
                "This copy was built without the address it is published at (the build sets it from "
                f"{' or '.join(citation.ADDRESS_VARIABLES)}): add the address where you read the report, "
                "and the date you read it."
            )]
        blocks = (("As BibTeX:", report.bibtex()), ("As RIS, for EndNote or Mendeley:", report.ris()),
                  ("As CSL-JSON, for Zotero, Pandoc or citeproc:", report.csl_json()))
        # The address in the citation is a link; the page's script fills in the day the reader reads it (its
        # class marks where).
        before, found, after = report.text().partition(report.url) if report.url else (report.text(), "", "")
        text = [data_text(before), *([nodes.reference(found, found, refuri=found)] if found else []),
                data_text(after)]
        result = [nodes.paragraph("", "", *where),
                  nodes.paragraph("", "", *text, classes=["citation-text", "nk-accessed"])]
        # The forms to copy and the file to download are the site's: in print they would be dead text.
        for_copying = addnodes.only(expr="html")
        for words, code in blocks:
            block = nodes.literal_block(code, code, language="none", classes=["nk-accessed"])
            for_copying += [nodes.paragraph("", words), block]
        for_copying += nodes.paragraph("", "", nodes.Text("The same in the Citation File Format: "),
                                       download(self.env, cff), nodes.Text("."))
        return [*result, for_copying]


class DataFiles(SphinxDirective):
    """Files for download, one kind each: ``current`` (each official series' current values, made from
    the data), ``tables`` (the data package: its descriptor and every table it describes) or ``charts``
    (each chart's plotted rows)."""

    required_arguments = 1
    option_spec = {}
    kinds = ("current", "tables", "charts")

    def item(self, path: Path, words: list[nodes.Node]) -> nodes.definition_list_item:
        term = nodes.term("", "", download(self.env, path))
        return nodes.definition_list_item("", term, nodes.definition("", nodes.paragraph("", "", *words)))

    def run(self):
        note_data_listing(self.env)
        kind = directives.choice(self.arguments[0], self.kinds)
        return [nodes.definition_list("", *getattr(self, kind)())]

    def current(self) -> list[nodes.Node]:
        ds = dataset(self.env)
        folder = Path(self.env.srcdir) / GENERATED
        return [
            self.item(folder / f"{series}.csv", [
                data_text(ds.series_info[series].title),
                nodes.Text(": one row per period with its current value (the newest release's), unit, source, "
                           "release and release date, and the row of official.csv it comes from."),
            ])
            for series in tidy.official_series(ds)
        ]

    def tables(self) -> list[nodes.Node]:
        data_dir = self.config.nkreport_project.data_dir
        descriptor = read_descriptor(data_dir)
        items = [self.item(data_dir / "datapackage.json", [nodes.Text(
            "The data package: every table's columns, types, constraints and keys (Table Schema), its "
            "sources, licence and checksum, and the data version and date."
        )])]
        for resource in descriptor["resources"]:
            words = [data_text(resource.get("title", resource["name"]))]
            if resource.get("description"):
                words += [nodes.Text(": "), data_text(resource["description"])]
            items.append(self.item(data_dir / resource["path"], words))
        return items

    def charts(self) -> list[nodes.Node]:
        folder = Path(self.env.srcdir) / CHARTS
        items = []
        for name in chart_modules.CHARTS:
            self.env.note_dependency(str(folder / f"{name}.json"))
            words = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
            figure, messages = self.parse_inline(f"{{numref}}`{words['label']}`", lineno=self.lineno)
            items += [self.item(folder / f"{name}.csv", [
                *figure, nodes.Text(": "), data_text(words["caption"].split(". ")[0].rstrip(".") + "."),
            ]), *messages]
        return items
