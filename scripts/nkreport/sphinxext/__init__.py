"""Sphinx extension of the report: the dataset, its numbers and its charts."""

from __future__ import annotations

from docutils import nodes
from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.plugin import register_plugin
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin

from .. import progress
from ..project import Project
from . import (
    accessibility,
    bibcache,
    bibstyle,
    chapters,
    charts,
    claims,
    collection,
    dataset,
    fignumbers,
    freshness,
    history,
    numrefs,
    pagerecords,
    provenance,
    site,
    templatecache,
    themeconfig,
)


def setup(app: Sphinx) -> dict:
    # Python's garbage collector run less often over the build's many long-lived objects.
    app.connect("config-inited", collection.collect_less_often, priority=0)
    # The checkout the report is built from: conf.py makes it, the extension reads its inputs there.
    app.add_config_value("nkreport_project", None, "env", types=frozenset({Project}))
    # Author-year labels with a/b suffixes, for the bibliography and citations.
    register_plugin("pybtex.style.formatting", "report", bibstyle.ReportStyle)
    # Citations by that label; in a sentence, "Yonhap News Agency (2013b)".
    register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", "report", bibstyle.ReportReferenceStyle)
    # Entries formatted once, not again by sphinxcontrib-bibtex on every build (its env-updated: 500).
    app.connect("env-updated", bibcache.restore, priority=450)
    app.connect("env-updated", bibcache.keep, priority=550)
    # The same backend, found without an entry-point scan for every citation (~8 ms each).
    register_plugin("pybtex.backends", "plaintext", PlaintextBackend, force=True)
    # Stop before any page is written if the data package is invalid: the report's own checks at once,
    # Frictionless's in another process while the pages are read, awaited before the first is written.
    app.connect("builder-inited", dataset.start_checking_data, priority=100)
    app.connect("env-updated", dataset.confirm_data, priority=0)
    # ... and a build that invalid data broke meanwhile (a page, a chart) names the data's problem.
    app.connect("build-finished", dataset.confirm_data_of_failed_build, priority=0)
    # The processes that draw the charts, started next: they import matplotlib meanwhile too.
    app.connect("builder-inited", charts.start_workers, priority=150)
    # A chapter that is not UTF-8 named by line and column, not a crash report.
    app.connect("env-before-read-docs", chapters.check_encoding)
    # ... and a character the PDF cannot set, named at its line while the site is built.
    app.connect("doctree-read", chapters.check_characters)
    # Data version and as-of date for the index page and the PDF's title page.
    app.connect("config-inited", dataset.add_data_stamp)
    app.setup_extension("nkreport.sphinxext.latex")
    app.connect("html-page-context", dataset.escape_page_context)
    # Pages written before a change to the data they show are read and written again.
    app.connect("env-get-outdated", dataset.pages_older_than_their_dependencies)
    # ... and so are pages whose inputs hold other bytes, whatever their modification times.
    app.connect("env-before-read-docs", freshness.remember_reading)
    app.connect("env-updated", freshness.record_inputs)
    app.connect("env-purge-doc", freshness.forget)
    app.connect("env-get-outdated", freshness.changed_by_content)
    # A file added to or removed from data/ changes the pages that list the folder.
    app.connect("builder-inited", freshness.write_data_listing)
    # No search term or download that only an earlier version of a page had.
    app.connect("html-collect-pages", freshness.drop_unreferenced_output)
    # Numbers in prose rendered from the data, linked to their provenance.
    app.add_role("fig", dataset.FigureRole())
    # The period of a figure, so that "in 2025" follows the newest release.
    app.add_role("period", dataset.PeriodRole())
    # Derived numbers computed from the data with explicit rounding.
    app.add_role("calc", dataset.CalcRole())
    # Each rendered number previews its source, period and quote on hover and focus (HTML only).
    app.add_node(dataset.number_preview, html=(dataset.visit_number_preview_html, None))
    app.add_css_file("provenance-preview.css")
    app.add_js_file("provenance-preview.js", defer="defer")
    # A unit typed beside a rendered number would show twice.
    app.connect("doctree-read", dataset.check_typed_units)
    # Charts drawn from the data: started before any page is read, each done before a page showing it is written.
    app.connect("builder-inited", charts.generate, priority=600)
    app.connect("build-finished", charts.finish_drawing, priority=400)
    app.connect("write-started", charts.drawn_before_parallel_writing)
    # ... and pages showing a chart drawn anew written again.
    app.connect("env-get-outdated", charts.pages_with_redrawn_charts)
    # What reading a page recorded for later (its charts, its numbered figures) goes when the page does.
    app.connect("env-purge-doc", pagerecords.forget)
    app.connect("env-merge-info", pagerecords.merge)
    # A chart as a numbered figure with caption, alt text and its data.
    app.add_directive("chart", charts.ChartDirective)
    # ... read as the site shows it, whatever the builder, and made the PDF drawing for print.
    app.add_post_transform(charts.PrintCharts)
    # On the site: its rows as a table under it, and its marks' words shown on hover and focus.
    app.add_node(charts.chart_drawing, html=(charts.visit_chart_drawing, None))
    app.add_node(charts.chart_data, html=(charts.visit_chart_data, None))
    app.add_css_file("chart-marks.css")
    app.add_js_file("chart-marks.js", loading_method="defer")
    # Every figure with its source and quote: the target of {fig} links.
    app.add_directive("provenance-table", provenance.ProvenanceTable)
    app.add_post_transform(provenance.FillProvenanceEntries)
    app.add_node(provenance.citation_heads)
    # Every quantity stated with more than one value, oldest version first: revisions and disagreements.
    app.add_directive("revision-table", provenance.RevisionTable)
    # A failing claim named in one line, at its example's line in the chapter.
    app.add_directive("doctest", claims.ChapterDoctest, override=True)
    app.add_builder(claims.ClaimBuilder, override=True)
    # The report's address (html_baseurl) checked before anything is written.
    app.connect("config-inited", site.check_address)
    # CITATION.cff with that address and each official series' current values, for download.
    app.connect("builder-inited", site.write_downloads, priority=550)
    # How to cite the report, at the data's version and date, with its address.
    app.add_directive("cite-report", site.CiteDirective)
    app.connect("html-page-context", site.add_cite_script)
    # What this data version changed, and every version to cite.
    app.add_directive("whats-new", history.WhatsNew)
    app.add_directive("data-versions", history.DataVersions)
    # The data changelog's dates in words where readers see them.
    app.connect("include-read", history.changelog_in_words)
    # Data files for download, with the descriptor's words for each.
    app.add_directive("data-files", site.DataFiles)
    # A table wider than the window says that it scrolls sideways.
    app.add_js_file("wide-tables.js", loading_method="defer")
    # Bibliography entries as list items (axe: aria-required-children).
    app.add_node(nodes.citation, override=True, html=(accessibility.visit_citation, accessibility.depart_citation))
    # Numbered references resolved without loading the page they point to again (Sphinx does, for each).
    app.connect("doctree-read", numrefs.record_numbered)
    app.add_post_transform(numrefs.NumberedReferences)
    # Figure numbers kept where no page's outline changed (Sphinx loads every page to number them again);
    # where any changed, the pages referring to a number written again too (Sphinx writes only the figure's).
    app.connect("builder-inited", fignumbers.keep_unchanged_numbers)
    app.connect("env-get-outdated", fignumbers.remember_numbers)
    app.connect("env-before-read-docs", fignumbers.remember_outlines)
    # Page templates compiled in one build and reused by the next.
    app.connect("builder-inited", templatecache.keep_compiled_templates)
    # The theme's template folders, read by now, out of the configuration Sphinx saves.
    app.connect("builder-inited", themeconfig.forget_theme_templates)
    # Last of all: the build script's proof that Sphinx ran to the end (nothing exited early, status 0 or not).
    app.connect("build-finished", progress.mark_finished, priority=1000)
    # No env_version to bump: the build empties saved environments when this code changes (nkreport.buildstate).
    return {"parallel_read_safe": True, "parallel_write_safe": True}
