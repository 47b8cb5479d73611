"""Pages that refer to a figure by its number written again when figure numbers change.

Where a figure is added or removed, Sphinx numbers the figures again and writes the pages whose
figures were renumbered, but not the pages that refer to them ({numref}), which kept the old
numbers until the next clean build.
"""

from __future__ import annotations

from sphinx.environment.collectors.toctree import TocTreeCollector

from .numrefs import pages_referring_to_numbers


def rewrite_referring_pages(app) -> None:
    """(builder-inited) Sphinx's numbering, followed by the pages that refer to numbers where any changed."""
    for listener in app.events.listeners["env-get-updated"]:
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollector):
            number = collector.assign_figure_numbers

            def assign_figure_numbers(env, number=number) -> list[str]:
                renumbered = number(env)
                return [*renumbered, *pages_referring_to_numbers(env)] if renumbered else []

            collector.assign_figure_numbers = assign_figure_numbers
