"""Numbered references (``{numref}``) resolved from what reading recorded.

Sphinx resolves each one by loading the whole page it points to from disk
again (sphinx-doc/sphinx#12883): for this report's forty-odd references to
charts, half a second of every build that writes pages.  Reading records the
type and first id of each numbered figure and table; a reference to one is
resolved here, as Sphinx's standard domain would, and any other (a section, a
custom title, a target not recorded) is left to Sphinx.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import pagerecords

NUMBERED = ("figure", "table")


def record_numbered(app, doctree: nodes.document) -> None:
    """Each numbered figure and table of the page just read: its ids, with its type and first id."""
    std = app.env.get_domain("std")
    found = {}
    for target, node in doctree.ids.items():
        kind = std.get_enumerable_node_type(node)
        if kind in NUMBERED:
            found[target] = (kind, node["ids"][0])
    pagerecords.records(app.env, "numbered")[app.env.docname] = found
    # A page that refers to a number is written again when numbers change (fignumbers).
    refers = any(node.get("reftype") == "numref" for node in doctree.findall(addnodes.pending_xref))
    pagerecords.records(app.env, "refers")[app.env.docname] = refers


def pages_referring_to_numbers(env) -> list[str]:
    return [docname for docname, refers in pagerecords.records(env, "refers").items() if refers]


class NumberedReferences(SphinxPostTransform):
    """Before Sphinx's own resolver (priority 10), the numbered references it would load a page for."""

    default_priority = 5

    def run(self, **kwargs) -> None:
        std = self.env.get_domain("std")
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("refdomain") == "std" and node.get("reftype") == "numref" and not node.get("refexplicit"):
                reference = self.resolve(std, node)
                if reference is not None:
                    node.replace_self(reference)

    def resolve(self, std, node: addnodes.pending_xref) -> nodes.reference | None:
        docname, labelid, _ = std.labels.get(node["reftarget"], ("", "", ""))
        figtype, first_id = pagerecords.records(self.env, "numbered").get(docname, {}).get(labelid, (None, None))
        number = self.env.toc_fignumbers.get(docname, {}).get(figtype, {}).get(first_id)
        title = self.config.numfig_format.get(figtype, "")
        if number is None or "{" in title or "refdoc" not in node:
            return None  # Sphinx resolves it, and says what is wrong
        return std.build_reference_node(node["refdoc"], self.app.builder, docname, labelid,
                                        title % ".".join(map(str, number)), "numref",
                                        node_class=addnodes.number_reference, title=title)
