"""An incremental build publishes what a clean build would.

Sphinx re-reads a page when its source or a file it depends on has a newer
modification time than its last reading, so a change that keeps older times
(``cp -p``, ``tar x``, ``rsync -a``) goes unseen; a file added to ``data/``
changes no file the Data page depends on; a download of a removed file stays
in ``_downloads``; and a word removed from a page stays in the search index as
an empty entry.  Here pages are re-read when the bytes they were read from
differ, the data folder's listing is a file pages can depend on, and what no
page refers to any more is dropped from the output.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from ..chartfiles import write_if_changed
from ..paths import DATA_DIR

DIGESTS = "nkreport_read_from"  # env attribute: docname -> {file: sha256 of its bytes when the page was read}
LISTING = "_generated/data-files.txt"  # relative to the source directory


def _digester():
    @cache
    def digest(path: Path) -> str:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return "unreadable"
    return digest


def _inputs(env, docname: str) -> set[Path]:
    return {Path(env.doc2path(docname)), *(Path(env.srcdir) / d for d in env.dependencies.get(docname, ()))}


def write_data_listing(app) -> None:
    """The names of the files in data/, as a file the pages that list them depend on."""
    names = sorted(path.name for path in DATA_DIR.iterdir() if not path.name.startswith("."))
    write_if_changed(Path(app.srcdir) / LISTING, "".join(f"{name}\n" for name in names).encode())


def note_data_listing(env) -> None:
    env.note_dependency(str(Path(env.srcdir) / LISTING))


def remember_reading(app, env, docnames) -> None:
    app.nkreport_reading = set(docnames)


def record_inputs(app, env) -> None:
    """For each page read in this build, the digest of every file it was read from."""
    digest = _digester()
    recorded = getattr(env, DIGESTS, {})
    for docname in getattr(app, "nkreport_reading", ()):
        if docname in env.all_docs:
            recorded[docname] = {str(path): digest(path) for path in _inputs(env, docname)}
    setattr(env, DIGESTS, recorded)


def forget(app, env, docname: str) -> None:
    getattr(env, DIGESTS, {}).pop(docname, None)


def changed_by_content(app, env, added, changed, removed) -> list[str]:
    """Pages one of whose inputs holds other bytes than when it was read, whatever its modification time."""
    digest = _digester()
    recorded = getattr(env, DIGESTS, {})
    return [
        docname for docname in sorted(env.found_docs - added - changed - removed)
        if recorded.get(docname) is None or any(digest(Path(path)) != was for path, was in recorded[docname].items())
    ]


def drop_unreferenced_output(app) -> list:
    """Before the search index is written: no word a page no longer has, no download no page links."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        # Sphinx prunes the pages it rewrites from each word's pages, but keeps the word (with none).
        for mapping in (indexer._mapping, indexer._title_mapping):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]
    downloads = Path(app.outdir) / "_downloads"
    if downloads.is_dir():
        linked = {Path(dest).as_posix() for _, dest in app.env.dlfiles.values()}
        for path in sorted(downloads.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(downloads).as_posix() not in linked:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return []
