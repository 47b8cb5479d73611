"""The provenance table: every figure, its period, its source and its words."""

from __future__ import annotations

from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
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
    """One entry per figure, grouped by series: the target of every ``{fig}`` link.

    Read, each entry is an empty list item: its target, and the figure it
    will show.  Its words are put in as the page is written
    (:class:`FillProvenanceEntries`): the list has hundreds of entries of
    some twenty nodes each, and every transform of the reading would walk
    each node.  Each distinct citation is parsed once, here, so that the
    bibliography knows it is cited; the entries take copies of it.
    """

    def run(self):
        note_data_dependency(self.env)
        ds = dataset(self.env)
        result = []
        heads = citation_heads()
        for series_id, series in sorted(ds.series_info.items(), key=lambda item: item[1].title):
            section_items = nodes.bullet_list()
            for figure in ds.series(series_id):
                head = _head(figure)
                if not any(child["head"] == head for child in heads.children):
                    # Text from the data is parsed as markup only where we put the
                    # roles (bibliography keys, which the schema restricts to [a-z0-9]).
                    parsed, messages = self.parse_inline(head, lineno=self.lineno)
                    heads += nodes.inline("", "", *parsed, head=head)
                    result.extend(messages)
                target = provenance_target(figure.id)
                item = nodes.list_item("", ids=[target], names=[target], provenance_of=figure.id)
                self.state.document.note_explicit_target(item)
                section_items += item
            result += [nodes.rubric("", series.title), nodes.paragraph("", series.description), section_items]
        return [*result, heads]


def _head(figure) -> str:
    via = f", via {{cite:t}}`{figure.post}`" if figure.post else ""
    return f"{{cite:t}}`{figure.source}`{via}: "


class citation_heads(nodes.Element):
    """The provenance entries' citations, each parsed once (each child's ``head``: the markup it was parsed
    from); gone once the entries are filled."""


class FillProvenanceEntries(SphinxPostTransform):
    """Each provenance entry's words, as the page is written, for every builder (the site's reading serves
    the PDF's too)."""

    # After Sphinx's ReferencesResolver (10): each distinct citation is resolved, and formatted, once.
    default_priority = 11

    def run(self, **kwargs) -> None:
        for heads in list(self.document.findall(citation_heads)):
            parsed = {child["head"]: child for child in heads.children}
            ds = dataset(self.env)
            for item in list(self.document.findall(nodes.list_item)):
                if "provenance_of" in item:
                    figure = ds.figures[item.attributes.pop("provenance_of")]
                    item += _entry(ds, figure, self._with_own_ids(parsed[_head(figure)]))
            heads.parent.remove(heads)

    def _with_own_ids(self, parsed: nodes.inline) -> list[nodes.Node]:
        """The resolved citation's nodes, with ids of their own: two entries citing one source share no id."""
        copy = parsed.deepcopy()
        for node in copy.findall(nodes.Element):
            if node["ids"]:
                node["ids"] = []
                self.document.set_id(node)
        return copy.children


def _entry(ds, figure, head: list[nodes.Node]) -> nodes.paragraph:
    """The figure, its period, its source and the words it was read from (or the cell of an official table)."""
    qualifier = f"{figure.qualifier} " if figure.qualifier else ""
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
    return paragraph


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
