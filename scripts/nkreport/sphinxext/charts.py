"""Charts in the build: drawn as it starts (the site's while its pages are built), embedded by the ``chart`` directive.

On the site each chart is its SVG inline, so that its marks can take keyboard
focus and name the row they show (value, period and source), and under it a
table of the rows it plots.  In the PDF it is the PDF drawing.

A page reads the same whatever builds it: the site's form, which print turns
into its own as it writes (:class:`PrintCharts`).  So the doctest and LaTeX
steps of ``scripts/build`` can start from what the HTML step read.
"""

from __future__ import annotations

import html
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import chartbuild, settings
from .. import charts as chart_modules
from . import pagerecords
from .dataset import confirm_data, data_text, stop_build

logger = logging.getLogger(__name__)

GENERATED = "_generated/charts"  # relative to the source directory
FORMATS = {"html": ("svg",), "latex": ("pdf",)}  # what each output format embeds; vector both
DRAWN_WHILE_BUILDING = ("html",)  # inlined as each page is written, so drawn meanwhile; print draws first
TABLE_COLUMNS = (("what", "What"), ("period", "Period"), ("value", "Value"), ("source", "Source"))

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)


def generate(app) -> None:
    """Bring the charts up to date before any page is read.

    For the site, the drawings are made while the pages are read and written
    (each page takes in its charts' SVG when it is written, and waits for
    those alone); for print, before, as LaTeX needs the files it names.
    """
    outdir = Path(app.srcdir) / GENERATED
    try:
        drawing = chartbuild.start(app.config.nkreport_project, outdir, FORMATS.get(app.builder.format, ()),
                                   address=app.config.html_baseurl, workers=app.nkreport_chart_workers,
                                   ds=app.nkreport_dataset)
        if app.builder.format not in DRAWN_WHILE_BUILDING:
            drawing.finish()
    except (chartbuild.ChartError, settings.SettingError) as err:
        confirm_data(app)  # a chart the data broke: the data's problem is the one to name
        stop_build(str(err))
    app.nkreport_drawing = drawing
    if drawing.emptied_because:
        logger.info("charts: %s: redrawing every chart", drawing.emptied_because)
    logger.info(
        "charts: %d regenerated (%s), %d up to date",
        len(drawing.redrawn), ", ".join(drawing.redrawn) or "none", len(chart_modules.CHARTS) - len(drawing.redrawn),
    )


def start_workers(app) -> None:
    """The processes that will draw the stale charts, started first: they import matplotlib meanwhile.

    For the site, one: it draws while the build's own process reads and writes the pages, a core each.
    For print, one per core, as the build waits for every drawing before it writes.
    """
    count = 1 if app.builder.format in DRAWN_WHILE_BUILDING else os.cpu_count() or 1
    app.nkreport_chart_workers = chartbuild.start_workers(
        app.config.nkreport_project, Path(app.srcdir) / GENERATED, FORMATS.get(app.builder.format, ()), count,
        address=app.config.html_baseurl)


def finish_drawing(app, exception) -> None:
    """Every drawing written by the end of a build that succeeded, those no page showed among them."""
    if exception is None:
        _drawn(app.nkreport_drawing.finish)


def drawn_before_parallel_writing(app, builder) -> None:
    """Pages written in forked processes (``-j``) cannot hear of drawings made later: all of them first."""
    if builder.parallel_ok:
        _drawn(app.nkreport_drawing.finish)


def _drawn(wait) -> None:
    """``wait()`` for drawings: a chart that failed stops the build, before any page showing it is written."""
    try:
        wait()
    except chartbuild.ChartError as err:
        stop_build(str(err))


def pages_with_redrawn_charts(app, env, added, changed, removed) -> list[str]:
    """Pages showing a chart drawn anew: written again with its drawing (which they do not depend on as read)."""
    redrawn = set(app.nkreport_drawing.redrawn)
    return sorted(page for page, names in pagerecords.records(env, "charts").items() if redrawn & names)


class ChartDirective(SphinxDirective):
    """``{chart} name``: a numbered figure, with caption, alt text and its data (on the site, also as a table)."""

    required_arguments = 1
    option_spec = {"width": directives.unchanged}

    def run(self):
        name = self.arguments[0]
        if name not in chart_modules.CHARTS:
            raise self.error(f"unknown chart {name!r}; expected one of: {', '.join(chart_modules.CHARTS)}")
        generated = Path(self.env.srcdir) / GENERATED
        # The drawing is taken in when the page is written; pages_with_redrawn_charts follows it.
        for ext in chartbuild.ALWAYS:
            self.env.note_dependency(str(generated / f"{name}.{ext}"))
        # The print drawing, which PrintCharts puts in the SVG's place: an image of the page for LaTeX to copy.
        self.env.images.add_file(self.env.docname, print_drawing(name))
        pagerecords.records(self.env, "charts").setdefault(self.env.docname, set()).add(name)
        self.env.app.nkreport_drawing.prefer(name)  # pages are written in the order they are read
        words = json.loads((generated / f"{name}.json").read_text(encoding="utf-8"))

        # At its drawn size unless asked: the house style sizes text for that, and the page's CSS shrinks it to a phone.
        marks = {row["gid"]: row["mark"] for row in words["rows"]}
        drawing = chart_drawing(name=name, alt=words["alt"], marks=marks, width=self.options.get("width"))
        self.set_source_info(drawing)
        caption_nodes, messages = self.caption_nodes(words["caption"], words["citation"])
        caption = nodes.caption("", "", *caption_nodes)
        self.set_source_info(caption)
        download, more = self.parse_inline(
            f"{{download}}`Data for this chart (CSV) </{GENERATED}/{name}.csv>`", lineno=self.lineno
        )
        link = nodes.legend("", nodes.paragraph("", "", *download))
        figure = nodes.figure("", drawing, caption, link, ids=[words["label"]], names=[words["label"]])
        figure["align"] = "center"
        self.set_source_info(figure)
        self.state.document.note_explicit_target(figure)
        return [figure, chart_data(rows=words["rows"], figure=words["label"]), *messages, *more]

    def caption_nodes(self, caption: str, citation: str):
        """Only the chart's own citation (its last occurrence) is markup; the rest quotes the data: text."""
        before, found, after = caption.rpartition(citation)
        if not found:
            return [data_text(caption)], []
        parsed, messages = self.parse_inline(citation, lineno=self.lineno)
        return [data_text(before), *parsed, data_text(after)], messages


def print_drawing(name: str) -> str:
    """The chart's PDF drawing, relative to the source folder."""
    return f"{GENERATED}/{name}.pdf"


class PrintCharts(SphinxPostTransform):
    """In print a chart is its PDF drawing: no inline SVG, no link to its CSV (dead text on paper), no table."""

    default_priority = 5  # before any transform that reads images

    def is_supported(self) -> bool:
        return self.app.builder.format != "html"

    def run(self, **kwargs) -> None:
        for drawing in list(self.document.findall(chart_drawing)):
            figure = drawing.parent
            for link in [child for child in figure.children if isinstance(child, nodes.legend)]:
                figure.remove(link)
            path = print_drawing(drawing["name"])
            image = nodes.image(uri=path, alt=drawing["alt"], candidates={"application/pdf": path})
            if drawing["width"]:
                image["width"] = drawing["width"]
            image.source, image.line = drawing.source, drawing.line
            drawing.replace_self(image)
        for table in list(self.document.findall(chart_data)):
            table.parent.remove(table)


# --- the marks: focusable, each naming its row --------------------------------------------


def interactive_svg(svg: bytes, prefix: str, alt: str, marks: dict[str, str], width: str | None = None) -> str:
    """The chart's SVG for inlining in a page: each mark of a row focusable and named by ``marks[gid]``.

    The chart is one tab stop (a roving tabindex): the mark of the first row
    takes Tab, the others only focus from the arrow keys (chart-marks.js), in
    the order of ``marks``, the rows of the table under the chart.  A row's
    secondary artists ('gid--part') show its words on hover but take no focus.
    Every id (and every reference to one) gets ``prefix``, so two charts on one
    page never share an id; the drawing's own style rule is scoped to it for
    the same reason.  The words are attribute values: escaped, never markup.
    """
    order = {key: index for index, key in enumerate(marks)}
    root = ET.fromstring(svg)
    for metadata in root.findall(f"{{{SVG}}}metadata"):
        root.remove(metadata)
    # The viewBox keeps the shape; CSS sets the width: ``width`` if given, else the drawn width at most.
    drawn = root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    size = f"width: {width}" if width else f"width: 100%; max-width: {drawn}" if drawn else "width: 100%"
    # Focusable from script only: Escape leaves the marks for the drawing, and Tab goes on from there.
    root.attrib.update({"id": prefix, "class": "chart-svg", "role": "group", "aria-label": alt, "style": size,
                        "tabindex": "-1"})
    first = min((order[own] for e in root.iter() if (own := e.get("id")) in order), default=None)
    for element in root.iter():
        if element is root:
            continue
        if element.tag == f"{{{SVG}}}style" and element.text:
            element.text = re.sub(r"(^|})\s*([^{}]+?)\s*{", lambda m: f"{m[1]}{_scoped(m[2], prefix)} {{",
                                  element.text)
        own = element.get("id")
        if own:
            element.set("id", f"{prefix}-{own}")
            words = marks.get(own.split("--")[0])  # a row's secondary artists are 'gid--part'
            if words is not None:
                element.attrib.update({"class": "chart-mark", "role": "img", "aria-label": words})
            if own in order:
                element.attrib.update({"data-row": str(order[own]), "tabindex": "0" if order[own] == first else "-1"})
        for attribute, value in element.attrib.items():
            if attribute in ("href", f"{{{XLINK}}}href") and value.startswith("#"):
                element.set(attribute, f"#{prefix}-{value[1:]}")
            elif "url(#" in value:
                element.set(attribute, value.replace("url(#", f"url(#{prefix}-"))
    return ET.tostring(root, encoding="unicode")


def _scoped(selectors: str, prefix: str) -> str:
    return ", ".join(f"#{prefix} {selector.strip()}" for selector in selectors.split(","))


class chart_drawing(nodes.General, nodes.Element):
    """The chart's SVG, inline (the site only).  Not a ``raw`` node: the search index would take its path data
    for words."""


def visit_chart_drawing(self, node: chart_drawing) -> None:
    _drawn(lambda: self.builder.app.nkreport_drawing.wait_for(node["name"]))
    svg = (Path(self.builder.srcdir) / GENERATED / f"{node['name']}.svg").read_bytes()
    self.body.append(interactive_svg(svg, node["name"], node["alt"], node["marks"], node["width"]))
    raise nodes.SkipNode


# --- the table view ---------------------------------------------------------------------


class chart_data(nodes.General, nodes.Element):
    """A chart's plotted rows as a table, folded away under its figure (the site only).

    One node writing the table, rather than a docutils table: a chart's rows are
    hundreds of cells, and every transform of the build would walk each one.
    """


def visit_chart_data(self, node: chart_data) -> None:
    number = self.builder.fignumbers.get("figure", {}).get(node["figure"])
    figure = self.config.numfig_format["figure"] % ".".join(map(str, number)) if number else "this figure"
    self.body.append(f'<details class="chart-data"><summary>Data table for {html.escape(figure)}</summary>\n'
                     f"{rows_table(node['rows'])}</details>\n")
    raise nodes.SkipNode


def rows_table(rows: list[dict[str, str]]) -> str:
    """What, period, value and source of each row, one table row each, in the CSV's order: text, escaped.

    The container is the theme's own for wide tables, which scrolls sideways on a phone.
    """
    head = "".join(f'<th scope="col">{heading}</th>' for _, heading in TABLE_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(row[key] or '–')}</td>" for key, _ in TABLE_COLUMNS) + "</tr>\n"
        for row in rows
    )
    return (f'<div class="pst-scrollable-table-container"><table class="table chart-data-table">\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody></table></div>\n")
