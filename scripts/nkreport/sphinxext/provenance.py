"""The provenance table: every figure, its period, its source and its words."""

from __future__ import annotations

from urllib.parse import urlsplit

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .. import formatting, inputrules
from .dataset import data_text, dataset, note_data_dependency, provenance_ref, provenance_target


def _copy(ds, figure) -> list[nodes.Node]:
    """Where an official value was read: the release, the copy and the cell or phrase."""
    release = ds.releases[figure.release]
    # Link text short enough to wrap on a phone and fit a printed line; the full address is the link.
    if release.repository:
        where = f"{release.repository}, commit {release.commit[:12]}"
        address = f"https://github.com/{release.repository}/blob/{release.commit}/{release.path}"
    else:
        where, address = urlsplit(release.url).netloc or release.url, release.url
    # Validation allows http and https addresses only; text that is neither stays text, never a link.
    linkable = address and inputrules.address_problem(address) is None
    link = nodes.reference("", "", data_text(where), refuri=address) if linkable else data_text(where)
    words = [nodes.Text(f" Published {formatting.date_words(release.date_published)}; read on "
                        f"{formatting.date_words(release.date_accessed)} in "), link, nodes.Text(", ")]
    if figure.cell:
        words += [nodes.Text("cell: "), data_text(figure.cell), nodes.Text(".")]
    else:
        words += [nodes.Text("\u201c"), data_text(figure.quote), nodes.Text("\u201d.")]
    if release.snapshot:
        words += [nodes.Text(" The file is kept as read, and the value is read again from that cell on every build ("),
                  data_text(f"data/{release.snapshot}, sha256 {release.sha256[:12]}"), nodes.Text(").")]
    return words


class ProvenanceTable(SphinxDirective):
    """One entry per figure, grouped by series: the target of every ``{fig}`` link."""

    def run(self):
        note_data_dependency(self.env)
        ds = dataset(self.env)
        result = []
        for series_id, series in sorted(ds.series_info.items(), key=lambda item: item[1].title):
            section_items = nodes.bullet_list()
            for figure in ds.series(series_id):
                qualifier = f"{figure.qualifier} " if figure.qualifier else ""
                # Text from the data is parsed as markup only where we put the
                # roles (bibliography keys, which the schema restricts to [a-z0-9]).
                via = f", via {{cite:t}}`{figure.post}`" if figure.post else ""
                head, messages = self.parse_inline(f"{{cite:t}}`{figure.source}`{via}: ", lineno=self.lineno)
                paragraph = nodes.paragraph(
                    "", "",
                    nodes.strong("", f"{qualifier}{formatting.figure(figure)}"),
                    nodes.Text(f" ({formatting.period_words(figure)}). "),
                    *head,
                )
                if figure.is_official:
                    paragraph += _copy(ds, figure)
                else:
                    paragraph += [nodes.Text("\u201c"), data_text(figure.quote), nodes.Text("\u201d")]
                if figure.note:
                    paragraph += [nodes.Text(" Note: "), data_text(figure.note)]
                target = provenance_target(figure.id)
                item = nodes.list_item("", paragraph, ids=[target], names=[target])
                self.state.document.note_explicit_target(item)
                section_items += item
                result.extend(messages)
            result += [nodes.rubric("", series.title), nodes.paragraph("", series.description), section_items]
        return result


class RevisionTable(SphinxDirective):
    """Every quantity stated with more than one value: each version with its source and publication date."""

    def run(self):
        note_data_dependency(self.env)
        ds = dataset(self.env)
        items = nodes.bullet_list()
        for versions in ds.revisions():
            first = versions[0]
            title = ds.series_info[first.series].title
            paragraph = nodes.paragraph("", "", nodes.strong("", f"{title}, {formatting.period_words(first)}: "))
            for number, figure in enumerate(versions):
                published = formatting.date_words(figure.published)
                label = f"{formatting.figure(figure)} ({figure.source_label}, published {published})"
                ref = provenance_ref(nodes.inline(label, label), figure.id, self.env.docname)
                paragraph += [nodes.Text("; then " if number else ""), ref]
            current = ds.official(first.series, (first.period_type,))
            now = next((f for f in current if f.quantity == first.quantity), None)
            if now is not None:
                paragraph += nodes.Text(f". Current: {formatting.figure(now)}.")
            items += nodes.list_item("", paragraph)
        return [items]
