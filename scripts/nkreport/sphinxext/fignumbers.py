"""Figure numbers kept from the last build where nothing they follow from has changed.

After every build, even one that reads no page, Sphinx numbers the figures and tables again: it
loads every page's doctree and asks each domain about each node, a fifth of a second of a
one-chapter rebuild. The numbers follow from the configuration, the section numbers and, page by
page, the outline of sections, toctrees and numbered nodes. Where none of those changed and no page
came or went, the numbers saved with the environment stand; otherwise Sphinx numbers them as always.

Where numbers do change, Sphinx writes again the pages whose figures were renumbered, but not the
pages that refer to them ({numref}): those are written again too.
"""

from __future__ import annotations

import pickle

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import StandardDomain
from sphinx.environment import CONFIG_OK
from sphinx.environment.collectors.toctree import TocTreeCollector

from .numrefs import pages_referring_to_numbers


def outline(env, node: nodes.Element) -> list:
    """What the numbers of ``node``'s page follow from, in the order Sphinx's numbering walks it."""
    found = []
    for child in node.children:
        if isinstance(child, nodes.section):
            found.append(("section", child["ids"][:1], outline(env, child)))
        elif isinstance(child, addnodes.toctree):
            found.append(("toctree", [name for _, name in child["entries"]]))
        elif isinstance(child, nodes.Element):
            kind = numbered_kind(env, child)
            if kind and child["ids"]:
                found.append((kind, child["ids"][0]))
            found += outline(env, child)
    return found


def numbered_kind(env, node: nodes.Element) -> str | None:
    """The kind Sphinx numbers ``node`` as ("figure", "table", ...), as its numbering decides it."""
    for domain in env.domains.sorted():
        kind = domain.get_enumerable_node_type(node)
        if isinstance(domain, StandardDomain) and not domain.get_numfig_title(node):
            continue  # Sphinx numbers no uncaptioned node
        if kind:
            return kind
    return None


def saved_outline(env, docname: str) -> list | None:
    """The outline of the page's doctree as saved, or None if there is none. Read from the file, not
    through ``env.get_doctree``, which would keep the bytes and serve them after the page is read again."""
    try:
        return outline(env, pickle.loads((env.doctreedir / f"{docname}.doctree").read_bytes()))
    except OSError:
        return None


def remember_numbers(app, env, added: set, changed: set, removed: set) -> list:
    """(env-get-outdated) The numbers of the last build, before the pages read again lose theirs; none
    where a page came or went, which renumbers what follows it."""
    app.nkreport_numbers_before = None if added or removed else (dict(env.toc_fignumbers), dict(env.toc_secnumbers))
    return []


def remember_outlines(app, env, docnames: list[str]) -> None:
    """(env-before-read-docs) The outlines of the pages about to be read again; None where the numbers
    cannot stand (a new configuration, a page come or gone)."""
    keep = env.config_status == CONFIG_OK and getattr(app, "nkreport_numbers_before", None) is not None
    app.nkreport_outlines_before = {docname: saved_outline(env, docname) for docname in docnames} if keep else None


def unchanged(app, env) -> bool:
    """Whether the numbers of the last build stand: the same section numbers, and every page read again
    with the outline it had."""
    before = getattr(app, "nkreport_outlines_before", None)
    if before is None or env.toc_secnumbers != app.nkreport_numbers_before[1]:
        return False
    return all(was is not None and saved_outline(env, docname) == was for docname, was in before.items())


def keep_unchanged_numbers(app) -> None:
    """(builder-inited) Sphinx's numbering, skipped where the outlines it follows from are unchanged, and
    followed by the pages that refer to numbers where any changed."""
    for listener in app.events.listeners["env-get-updated"]:
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollector):
            number = collector.assign_figure_numbers

            def assign_figure_numbers(env, number=number) -> list[str]:
                if unchanged(app, env):
                    fignumbers = app.nkreport_numbers_before[0]
                    env.toc_fignumbers.update({doc: fignumbers[doc] for doc in app.nkreport_outlines_before
                                               if doc in fignumbers})
                    return []
                renumbered = number(env)
                return [*renumbered, *pages_referring_to_numbers(env)] if renumbered else []

            collector.assign_figure_numbers = assign_figure_numbers
