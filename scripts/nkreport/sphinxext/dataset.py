"""The dataset in the build: validation, substitutions and number roles."""

from __future__ import annotations

import os
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import markupsafe
from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxRole

from .. import data, formatting
from ..paths import BIBLIOGRAPHY, DATA_DIR
from ..validate import DataError, read_descriptor

DATA_FILES = sorted(str(p) for p in DATA_DIR.glob("*.csv")) + [str(DATA_DIR / "datapackage.json")]


def stop_build(message: str) -> NoReturn:
    """End the build with ``message`` (one line per problem) as the last thing it prints.

    An exception would end it too, but Sphinx prints any exception as a crash
    report (versions, extensions, traceback) around the message.
    """
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(2)


def validate_on_start(app) -> None:
    try:
        data.load()
    except DataError as err:
        stop_build(str(err))


def add_data_stamp(app, config) -> None:
    try:
        descriptor = read_descriptor(DATA_DIR)
    except DataError:
        return  # reported with its line by validate_on_start, before anything is written
    version, updated = str(descriptor.get("version")), str(descriptor.get("updated"))
    config.release = config.version = f"{version} of {updated}"
    # MyST parses a substitution's value as Markdown: escaped, the data's words stay words.
    config.myst_substitutions = {
        **config.myst_substitutions,
        "data_version": markdown_literal(version),
        "data_as_of": markdown_literal(updated),
    }


def markdown_literal(text: str) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped: Markdown that reads as itself."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


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


def note_data_dependency(env) -> None:
    for path in (*DATA_FILES, str(BIBLIOGRAPHY)):
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
    """``{fig}`id``` renders a figure as stated, linked to its provenance entry."""

    def run(self):
        note_data_dependency(self.env)
        try:
            figure = data.load().figure(self.text.strip())
        except data.UnknownFigureError as err:
            return [], [self.inliner.reporter.error(str(err), line=self.lineno)]
        text = formatting.figure(figure)
        ref = addnodes.pending_xref(
            "", nodes.inline(text, text, classes=["data-figure"]),
            refdomain="std", reftype="ref", reftarget=provenance_target(figure.id),
            refexplicit=True, refwarn=True, refdoc=self.env.docname,
        )
        return [ref], []


_CALL = re.compile(r"^\s*(?P<function>\w+)\((?P<args>[^)]*)\)\s*$")
FUNCTIONS = {
    f.__name__: f for f in (data.difference, data.percent_change, data.share, data.ratio, data.total, data.product)
}


def evaluate(expression: str, ds) -> Decimal:
    """``share(women-2013h1-dailynk2013, arrivals-2013h1-dailynk2013, places=0)`` and the like.

    Arguments are figure ids (their stated values), ``id.low`` or ``id.high``
    (the ends of a stated range), any of these negated with ``-``, or numbers;
    ``places=N`` sets the rounding.
    Nothing else is evaluated.
    """
    call = _CALL.match(expression)
    if not call or call["function"] not in FUNCTIONS:
        raise ValueError(f"expected one of {', '.join(FUNCTIONS)}(id, id, ...), got {expression!r}")
    args, kwargs = [], {}
    for arg in (a.strip() for a in call["args"].split(",") if a.strip()):
        if arg.startswith("places="):
            kwargs["places"] = int(arg.removeprefix("places="))
        elif re.fullmatch(r"-?\d+(\.\d+)?", arg):
            args.append(Decimal(arg))
        else:
            sign, name = (-1, arg[1:]) if arg.startswith("-") else (1, arg)
            args.append(sign * _figure_value(ds, name))
    return FUNCTIONS[call["function"]](*args, **kwargs)


def _figure_value(ds, name: str) -> Decimal:
    """A figure's stated value, or one end of its range (``id.low``, ``id.high``)."""
    if name.endswith((".low", ".high")):
        figure_id, _, end = name.rpartition(".")
        return getattr(ds.figure(figure_id), end)
    return ds.value(name)


class CalcRole(SphinxRole):
    """``{calc}`percent_change(a, b)``` renders a number derived from the data."""

    def run(self):
        note_data_dependency(self.env)
        try:
            result = evaluate(self.text, data.load())
        except (ValueError, KeyError) as err:
            return [], [self.inliner.reporter.error(f"{{calc}}: {err}", line=self.lineno)]
        except ArithmeticError as err:  # decimal signals: a zero divisor, an impossible rounding
            why = type(err).__name__ if str(err).startswith("[<class") else str(err)
            expected = "expected a nonzero divisor and a rounding the result allows"
            message = f"{{calc}}: cannot compute {self.text.strip()}: {why}: {expected}"
            return [], [self.inliner.reporter.error(message, line=self.lineno)]
        text = formatting.number(result)
        return [nodes.inline(text, text, classes=["data-derived"])], []
