"""The dataset in the build: validation, substitutions and number roles."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .. import calc, data, formatting
from ..paths import BIBLIOGRAPHY, DATA_DIR
from ..validate import DataError, read_descriptor

logger = logging.getLogger(__name__)

DATA_FILES = sorted(str(p) for p in DATA_DIR.glob("*.csv")) + [str(DATA_DIR / "datapackage.json")]


def validate_on_start(app) -> None:
    try:
        data.load()
    except DataError as err:
        raise ExtensionError(str(err)) from None


def add_data_stamp(app, config) -> None:
    descriptor = read_descriptor(DATA_DIR)
    config.release = config.version = f"{descriptor['version']} of {descriptor['updated']}"
    config.myst_substitutions = {
        **config.myst_substitutions,
        "data_version": descriptor["version"],
        "data_as_of": descriptor["updated"],
    }


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


class FigureRole(SphinxRole):
    """``{fig}`id``` renders a figure as stated, linked to its provenance entry.

    ``{fig}`series@latest``` (or ``@2019``, ``@latest-1``) is the current
    official value for that period, so a new release moves the sentence with it.
    """

    def words(self, figure) -> str:
        return formatting.figure(figure)

    def run(self):
        note_data_dependency(self.env)
        try:
            figure = data.load().figure(self.text.strip())
        except (data.UnknownFigureError, KeyError) as err:
            return [], [self.inliner.reporter.error(str(err).strip('"'), line=self.lineno)]
        text = self.words(figure)
        ref = addnodes.pending_xref(
            "", nodes.inline(text, text, classes=["data-figure"]),
            refdomain="std", reftype="ref", reftarget=provenance_target(figure.id),
            refexplicit=True, refwarn=True, refdoc=self.env.docname,
        )
        ref.line = self.lineno
        return [ref], []


class PeriodRole(FigureRole):
    """``{period}`series@latest``` renders the period of a figure ("2025", "FY2021"), linked like ``{fig}``."""

    def words(self, figure) -> str:
        return formatting.period_label(figure)


class CalcRole(SphinxRole):
    """``{calc}`percent_change(a, b)``` renders a number derived from the data."""

    def run(self):
        note_data_dependency(self.env)
        try:
            result = calc.evaluate(self.text, data.load())
        except (ValueError, KeyError) as err:
            return [], [self.inliner.reporter.error(f"{{calc}}: {err}", line=self.lineno)]
        text = formatting.quantity(result.value, result.unit)
        number = nodes.inline(text, text, classes=["data-derived"])
        number.line = self.lineno
        return [number], []


_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")


def check_typed_units(app, doctree) -> None:
    """A unit typed beside a rendered number ("{calc}`…`%") would show twice: name it and where."""
    for node in list(doctree.findall(nodes.inline)):
        if not {"data-figure", "data-derived"} & set(node["classes"]):
            continue
        carrier = node.parent if isinstance(node.parent, addnodes.pending_xref) else node
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
