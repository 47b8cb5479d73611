"""Formatted bibliography entries kept with Sphinx's environment, from one build to the next.

sphinxcontrib-bibtex formats every entry again on every build, even one that reads no page, and twice
(for the list and for the citation's tooltip): about half a second of each rebuild. How an entry reads
depends only on its label, its fields and its names, given the style's code and pybtex's version; a
change to either starts the environment afresh (nkreport.buildstate).
"""

from __future__ import annotations

from collections.abc import Callable

from pybtex.database import Entry
from pybtex.style import FormattedEntry

KEPT = "nkreport_formatted_entries"

# What earlier builds formatted (from the environment), and what this build has used.
_earlier: dict[tuple, FormattedEntry] = {}
_used: dict[tuple, FormattedEntry] = {}


def formatted(label: str, entry: Entry, format_entry: Callable[[], FormattedEntry]) -> FormattedEntry:
    """The entry formatted under ``label``: as an earlier build or this one formatted it, else now."""
    key = (label, entry.key, entry.type, tuple(entry.fields.items()),
           tuple((role, tuple(map(str, people))) for role, people in entry.persons.items()))
    if key not in _used:
        _used[key] = _earlier[key] if key in _earlier else format_entry()
    return _used[key]


def restore(app, env) -> None:
    """Before sphinxcontrib-bibtex formats the entries (env-updated): what the last build formatted."""
    _earlier.clear()
    _earlier.update(env.__dict__.get(KEPT, {}))
    _used.clear()


def keep(app, env) -> None:
    """After it has (env-updated): the entries this build used, saved with the environment."""
    env.__dict__[KEPT] = dict(_used)
