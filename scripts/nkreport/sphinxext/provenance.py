"""The provenance table: every figure, its period, its source and its words."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import data, formatting
from .dataset import data_text, note_data_dependency, provenance_target


def _period(figure) -> str:
    start, end = figure.period_start, figure.period_end
    basis = " (US fiscal year)" if figure.year_basis == "fiscal" else ""
    if figure.period_type == "before":
        return f"before {end.isoformat()}"
    if start is None or start == end:
        return f"as of {end.isoformat()}"
    return f"{start.isoformat()} to {end.isoformat()}{basis}"


class ProvenanceTable(SphinxDirective):
    """One entry per figure, grouped by series: the target of every ``{fig}`` link."""

    def run(self):
        note_data_dependency(self.env)
        ds = data.load()
        result = []
        for series_id, series in sorted(ds.series_info.items(), key=lambda item: item[1].title):
            section_items = nodes.bullet_list()
            for figure in ds.series(series_id):
                qualifier = f"{figure.qualifier} " if figure.qualifier else ""
                # Text from the data is parsed as markup only where we put the
                # roles (bibliography keys, which the schema restricts to [a-z0-9]).
                head, messages = self.parse_inline(
                    f"{{cite:t}}`{figure.source}`, via {{cite:t}}`{figure.post}`: ", lineno=self.lineno
                )
                paragraph = nodes.paragraph(
                    "", "",
                    nodes.strong("", f"{qualifier}{formatting.figure(figure)}"),
                    nodes.Text(f" ({_period(figure)}). "),
                    *head,
                    nodes.Text("\u201c"), data_text(figure.quote), nodes.Text("\u201d"),
                )
                if figure.note:
                    paragraph += [nodes.Text(" Note: "), data_text(figure.note)]
                paragraph += nodes.Text(f" [{figure.id}]")
                target = provenance_target(figure.id)
                item = nodes.list_item("", paragraph, ids=[target], names=[target])
                self.state.document.note_explicit_target(item)
                section_items += item
                result.extend(messages)
            result += [nodes.rubric("", series.title), nodes.paragraph("", series.description), section_items]
        return result
