"""What reading a page recorded for later (its charts, its numbered figures, whether it refers to a number),
kept with Sphinx's environment."""

from __future__ import annotations

KINDS = ("charts", "numbered", "refers")


def records(env, kind: str) -> dict:
    """The records of ``kind``, by page."""
    return env.__dict__.setdefault(f"nkreport_{kind}", {})


def forget(app, env, docname: str) -> None:
    """A page read again, or removed, keeps nothing from before (env-purge-doc)."""
    for kind in KINDS:
        records(env, kind).pop(docname, None)


def merge(app, env, docnames: set[str], other) -> None:
    """What a parallel reader recorded (env-merge-info)."""
    for kind in KINDS:
        for docname in docnames:
            if docname in records(other, kind):
                records(env, kind)[docname] = records(other, kind)[docname]
