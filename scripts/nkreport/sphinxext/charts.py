"""Charts in the build: drawn at start-up, embedded by the ``chart`` directive."""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import chartbuild
from .. import charts as chart_modules
from .dataset import data_text, stop_build

logger = logging.getLogger(__name__)

GENERATED = "_generated/charts"  # relative to the source directory
FORMATS = {"html": ("svg",), "latex": ("pdf",)}  # what each output format embeds; vector both


def generate(app) -> None:
    outdir = Path(app.srcdir) / GENERATED
    try:
        built = chartbuild.build(outdir, FORMATS.get(app.builder.format, ()))
    except chartbuild.ChartError as err:
        stop_build(str(err))
    if built.emptied_because:
        logger.info("charts: %s: redrawing every chart", built.emptied_because)
    redrawn = built.redrawn
    logger.info(
        "charts: %d regenerated (%s), %d up to date",
        len(redrawn), ", ".join(redrawn) or "none", len(chart_modules.CHARTS) - len(redrawn),
    )


class ChartDirective(SphinxDirective):
    """``{chart} name``: a numbered figure, with caption, alt text and a CSV of its data."""

    required_arguments = 1
    option_spec = {"width": directives.unchanged}

    def run(self):
        name = self.arguments[0]
        if name not in chart_modules.CHARTS:
            raise self.error(f"unknown chart {name!r}; expected one of: {', '.join(chart_modules.CHARTS)}")
        generated = Path(self.env.srcdir) / GENERATED
        for ext in (*chartbuild.ALWAYS, *FORMATS.get(self.env.app.builder.format, ())):
            self.env.note_dependency(str(generated / f"{name}.{ext}"))
        words = json.loads((generated / f"{name}.json").read_text(encoding="utf-8"))

        # At its drawn size unless asked: the house style sizes text for that, and the page's CSS shrinks it to a phone.
        image = nodes.image(uri=f"/{GENERATED}/{name}.*", alt=words["alt"], **self.options)
        self.set_source_info(image)
        caption_nodes, messages = self.caption_nodes(words["caption"], words["citation"])
        caption = nodes.caption("", "", *caption_nodes)
        self.set_source_info(caption)
        download, more = self.parse_inline(
            f"{{download}}`Data for this chart (CSV) </{GENERATED}/{name}.csv>`", lineno=self.lineno
        )
        legend = nodes.legend("", nodes.paragraph("", "", *download))
        figure = nodes.figure("", image, caption, legend, ids=[words["label"]], names=[words["label"]])
        figure["align"] = "center"
        self.set_source_info(figure)
        self.state.document.note_explicit_target(figure)
        return [figure, *messages, *more]

    def caption_nodes(self, caption: str, citation: str):
        """Only the chart's own citation (its last occurrence) is markup; the rest quotes the data: text."""
        before, found, after = caption.rpartition(citation)
        if not found:
            return [data_text(caption)], []
        parsed, messages = self.parse_inline(citation, lineno=self.lineno)
        return [data_text(before), *parsed, data_text(after)], messages
