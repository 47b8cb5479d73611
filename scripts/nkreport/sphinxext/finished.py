"""Proof that a Sphinx run finished: a chart, an extension or a doctest may end the process early
(``sys.exit(0)``, ``os._exit(0)``) with a status that says it passed.

``scripts/build`` names a file in ``NKREPORT_FINISHED``, removes it before each
Sphinx step and fails the step unless this writes it at the very end.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..chartfiles import write_if_changed

FINISHED = "NKREPORT_FINISHED"


def mark_finished(app, exception) -> None:
    if exception is None and os.environ.get(FINISHED):
        write_if_changed(Path(os.environ[FINISHED]), f"{app.builder.name}\n".encode())
