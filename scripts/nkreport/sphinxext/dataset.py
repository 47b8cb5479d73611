"""The dataset in the build: validation, substitutions and number roles."""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

import markupsafe
from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .. import bib, calc, data, formatting
from ..errors import DataError
from ..formatting import markdown_literal
from ..project import Project
from ..tables import read_descriptor

logger = logging.getLogger(__name__)


def stop_build(message: str) -> NoReturn:
    """End the build with ``message`` (one line per problem) as the last thing it prints.

    An exception would end it too, but Sphinx prints any exception as a crash
    report (versions, extensions, traceback) around the message.
    """
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(2)


def start_checking_data(app) -> None:
    """The dataset as the report's own checks find it, for the pages to be read from; Frictionless's
    checks run in another process meanwhile, and :func:`confirm_data` waits for them."""
    try:
        app.nkreport_dataset, app.nkreport_confirmed_data = app.config.nkreport_project.load_while_checking()
    except DataError as err:
        stop_build(str(err))


def confirm_data(app, env=None) -> None:
    """(env-updated) Frictionless's findings, before any page is written: a problem stops the build."""
    try:
        app.nkreport_confirmed_data()
    except DataError as err:
        stop_build(str(err))


def confirm_data_of_failed_build(app, exception) -> None:
    """A build that failed while Frictionless checked the data names the data's problems, not what they broke."""
    if exception is not None and hasattr(app, "nkreport_confirmed_data"):
        confirm_data(app)


def dataset(env) -> data.Dataset:
    """The dataset this build read at its start: a build never sees the data change, and the hundreds of
    numbers on its pages need not each check the files again."""
    return env.app.nkreport_dataset


def add_data_stamp(app, config) -> None:
    try:
        descriptor = read_descriptor(config.nkreport_project.data_dir)
    except DataError:
        return  # reported with its line by start_checking_data, before anything is written
    version, updated = str(descriptor.get("version")), str(descriptor.get("updated"))
    config.release = config.version = f"{version} of {formatting.date_words(updated)}"
    # MyST parses a substitution's value as Markdown: escaped, the data's words stay words.
    config.myst_substitutions = {
        **config.myst_substitutions,
        "data_version": markdown_literal(version),
        "data_as_of": markdown_literal(formatting.date_words(updated)),
    }


def escape_page_context(app, pagename, templatename, context, doctree) -> None:
    """The data version in the theme's templates, some of which print it unescaped (a <meta> tag)."""
    for key in ("version", "release"):
        if key in context:
            context[key] = markupsafe.escape(context[key])


def data_text(text: str) -> nodes.inline:
    """Text from the data as it is: no markup, and no smart quotes either."""
    node = nodes.inline(text, text, classes=["data-text"])
    node["support_smartquotes"] = False
    return node


def provenance_target(figure_id: str) -> str:
    return f"data-{figure_id}"


def provenance_ref(content: nodes.Node, figure_id: str, docname: str) -> addnodes.pending_xref:
    """``content`` as a link to the figure's entry in the provenance list."""
    return addnodes.pending_xref(
        "", content, refdomain="std", reftype="ref", reftarget=provenance_target(figure_id),
        refexplicit=True, refwarn=True, refdoc=docname,
    )


class number_preview(nodes.inline):
    """A rendered number and what a reader previews of its provenance: ``preview`` is a list of
    (what, words) lines, all text from the data.  The HTML shows them in a tooltip on hover and
    focus; every other output shows the number alone, as an inline."""


@functools.cache
def _plain_text(latex: str) -> str:
    """A BibTeX field's LaTeX as the words it reads (about 1 ms, so once per title)."""
    from pybtex.backends.plaintext import Backend
    from pybtex.richtext import Text

    return Text.from_latex(latex).render(Backend())


def source_words(bibliography: Path, key: str) -> str:
    """A bibliography entry as a preview names it: outlet, title and date ("Yonhap, “…”, 5 July 2015")."""
    fields = bib.entries(bibliography)[key].fields
    date = formatting.date_words(fields.get("date", fields["year"]))
    return f"{fields['outlet']}, \u201c{_plain_text(fields['title'])}\u201d, {date}"


def figure_preview(figure, bibliography: Path) -> list[tuple[str, str]]:
    """Where a stated figure comes from: its source, its period and the source's words (or table cell)."""
    lines = [("Source", source_words(bibliography, figure.source)), ("Period", formatting.period_words(figure))]
    if figure.cell:
        return [*lines, ("Table cell", figure.cell)]
    return [*lines, ("Quoted", f"\u201c{figure.quote}\u201d")]


def derived_preview(result, inputs, ds) -> list[tuple[str, str]]:
    """What a derived number is computed from: the operation, then each figure it reads."""
    operation = result.name.partition("(")[0].replace("_", " ")
    lines = [("Derived", f"{operation}, computed from")]
    for figure in inputs:
        what = f"{ds.series_info[figure.series].label}: {formatting.figure(figure)}"
        lines.append(("From", f"{what} ({formatting.period_words(figure)}; {figure.source_label})"))
    return lines


def visit_number_preview_html(self, node: number_preview) -> None:
    """The number, described by a tooltip of its provenance (shown by provenance-preview.css and .js)."""
    self.number_previews = getattr(self, "number_previews", 0) + 1
    tip = f"nk-preview-{self.number_previews}"
    shown = node.children[0]
    if isinstance(shown, nodes.reference):
        href = shown.get("refuri") or f"#{shown['refid']}"
        number = f'<span class="data-figure">{self.encode(shown.astext())}</span>'
        target = f'<a class="reference internal" href="{self.attval(href)}" aria-describedby="{tip}">{number}</a>'
    else:  # a derived number links nowhere: focusable itself, so that the keyboard reaches its preview
        number, classes = self.encode(shown.astext()), " ".join(shown["classes"])
        target = f'<span class="{classes}" tabindex="0" aria-describedby="{tip}">{number}</span>'
    lines = "".join(
        f'<span class="nk-preview-line"><span class="nk-preview-key">{self.encode(what)}:</span> '
        f'{self.encode(words)}</span>'
        for what, words in node["preview"]
    )
    self.body.append(f'<span class="nk-number">{target}<span class="nk-preview" role="tooltip" id="{tip}">'
                     f'{lines}</span></span>')
    raise nodes.SkipNode


@functools.cache
def input_files(project: Project) -> tuple[str, ...]:
    """The files a page showing data depends on: the tables, the descriptor and the bibliography."""
    data_dir = project.data_dir
    tables = sorted(str(p) for p in data_dir.glob("*.csv"))
    return (*tables, str(data_dir / "datapackage.json"), str(project.bibliography))


def note_data_dependency(env) -> None:
    for path in input_files(env.config.nkreport_project):
        env.note_dependency(path)


def pages_older_than_their_dependencies(app, env, added, changed, removed) -> list[str]:
    """Pages whose written output is older than a file they depend on (data, charts).

    Sphinx writes a page again when it reads it, or when its source is newer
    than its output.  A build stopped after Sphinx saved its environment, but
    before it wrote the pages it had read with new data, would leave those pages
    old forever: so compare each output with the page's dependencies too.
    """
    outfilename = getattr(app.builder, "get_outfilename", None)
    if outfilename is None:  # builders that write every page each time (LaTeX, doctest)
        return []
    stale = []
    for docname in env.found_docs - added - changed - removed:
        try:
            written = os.stat(outfilename(docname)).st_mtime_ns
        except FileNotFoundError:
            continue  # Sphinx writes missing pages itself
        for dependency in env.dependencies.get(docname, ()):
            path = Path(env.srcdir) / dependency
            if path.exists() and path.stat().st_mtime_ns > written:
                stale.append(docname)
                break
    return stale


class FigureRole(SphinxRole):
    """``{fig}`id``` renders a figure as stated, linked to its provenance entry.

    ``{fig}`series@latest``` (or ``@2019``, ``@latest-1``) is the current
    official value for that period, so a new release moves the sentence with it.
    """

    def words(self, figure) -> str:
        return formatting.figure(figure)

    def run(self):
        note_data_dependency(self.env)
        project = self.config.nkreport_project
        try:
            figure = dataset(self.env).figure(self.text.strip())
        except (data.UnknownFigureError, KeyError) as err:
            return [], [self.inliner.reporter.error(str(err).strip('"'), line=self.lineno)]
        text = self.words(figure)
        ref = provenance_ref(nodes.inline(text, text, classes=["data-figure"]), figure.id, self.env.docname)
        ref.line = self.lineno
        preview = number_preview("", "", ref, preview=figure_preview(figure, project.bibliography))
        preview.line = self.lineno
        return [preview], []


class PeriodRole(FigureRole):
    """``{period}`series@latest``` renders the period of a figure in words ("2025", "fiscal year 2021"),
    linked like ``{fig}``."""

    def words(self, figure) -> str:
        return formatting.period_words(figure)


class CalcRole(SphinxRole):
    """``{calc}`percent_change(a, b)``` renders a number derived from the data."""

    def run(self):
        note_data_dependency(self.env)
        try:
            ds = dataset(self.env)
            result, inputs = calc.evaluate_with_inputs(self.text, ds)
        except (ValueError, KeyError) as err:
            return [], [self.inliner.reporter.error(f"{{calc}}: {err}", line=self.lineno)]
        except ArithmeticError as err:  # decimal signals: a zero divisor, an impossible rounding
            why = type(err).__name__ if str(err).startswith("[<class") else str(err)
            expected = "expected a nonzero divisor and a rounding the result allows"
            message = f"{{calc}}: cannot compute {self.text.strip()}: {why}: {expected}"
            return [], [self.inliner.reporter.error(message, line=self.lineno)]
        text = formatting.quantity(result.value, result.unit)
        number = number_preview("", "", nodes.inline(text, text, classes=["data-derived"]),
                                preview=derived_preview(result, inputs, ds))
        number.line = self.lineno
        return [number], []


_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")


def check_typed_units(app, doctree) -> None:
    """A unit typed beside a rendered number ("{calc}`…`%") would show twice: name it and where."""
    for node in list(doctree.findall(nodes.inline)):
        if not {"data-figure", "data-derived"} & set(node["classes"]):
            continue
        carrier = node
        while isinstance(carrier.parent, (addnodes.pending_xref, number_preview)):
            carrier = carrier.parent
        siblings = carrier.parent.children
        at = siblings.index(carrier)
        before = siblings[at - 1].astext() if at > 0 else ""
        after = siblings[at + 1].astext() if at + 1 < len(siblings) else ""
        text = node.astext()
        digits = list(_NUMBER.finditer(text))
        if not digits:
            continue
        prefix, suffix = text[: digits[0].start()].lstrip("-"), text[digits[-1].end():]
        role = "{calc}" if "data-derived" in node["classes"] else "{fig}"
        doubled = [("before", prefix, before.endswith(prefix)), ("after", suffix, after.startswith(suffix))]
        for where, unit, typed in doubled:
            if unit.strip() and typed:
                logger.warning(
                    f"{unit.strip()!r} typed {where} {role}, which renders {text!r} with the unit the data states: "
                    f"remove the typed {unit.strip()!r}",
                    location=carrier, type="nkreport", subtype="unit",
                )
