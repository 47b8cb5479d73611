"""Proof that a Sphinx run finished, and what it was running if it did not.

A chart, an extension or a chapter's claim may end the process early
(``sys.exit(0)``, ``os._exit(0)``) with a status that says it passed.
``scripts/build`` names a file in ``NKREPORT_FINISHED``, removes it before each
Sphinx step and fails the step unless :func:`mark_finished` wrote it at the very
end; :func:`note_running` keeps, beside it, the last chart or claim started, so
that the failure names it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .chartfiles import write_if_changed

FINISHED = "NKREPORT_FINISHED"


def running_file() -> Path | None:
    return Path(os.environ[FINISHED] + ".running") if os.environ.get(FINISHED) else None


def note_running(what: str) -> None:
    """Say what starts now (``report/x.md:12: claim``); a few bytes, no sync: it is only read after a crash."""
    path = running_file()
    if path is not None:
        path.write_text(what + "\n", encoding="utf-8")


def mark_finished(app, exception) -> None:
    """At the end of a Sphinx run that raised nothing (``build-finished``)."""
    if exception is None and os.environ.get(FINISHED):
        write_if_changed(Path(os.environ[FINISHED]), f"{app.builder.name}\n".encode())
