"""Draw the charts that are out of date, in parallel, and save them.

A chart is out of date when its fingerprint changed: the rows it plots, its
module's source or the code its module shares in ``charts/`` (the house style
among it).  What every chart depends on besides (the rest of the ``nkreport``
code, matplotlib) is recorded with the cache, which is emptied when it
changes: see :mod:`nkreport.buildstate`.  Drawing happens in worker
processes; writing happens only here, through :mod:`nkreport.chartfiles`.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from . import buildstate, charts, data
from .chartfiles import rows_csv, write_if_changed
from .paths import CHART_DIR, DATA_DIR

ALWAYS = ("csv", "json")  # the plotted rows, and the words around the chart


def _inputs_digest(formats: tuple[str, ...]) -> str:
    """Everything any chart reads: the data package, the chart code and the style."""
    digest = hashlib.sha256(repr(formats).encode())
    for path in sorted(DATA_DIR.iterdir()) + sorted(CHART_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def fingerprint(name: str, rows: list[dict]) -> str:
    """The chart's rows, its module, and every file in charts/ that is not another chart's module."""
    others = {CHART_DIR / f"{other}.py" for other in charts.CHARTS if other != name}
    digest = hashlib.sha256()
    digest.update(json.dumps(rows, sort_keys=True, default=str).encode())
    for path in sorted(CHART_DIR.iterdir()):
        if path.suffix in (".py", ".mplstyle") and path not in others:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class ChartError(Exception):
    """A chart module failed; the message names its file and line."""


def render(name: str, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The chart's data, words and drawings as bytes (runs in a worker process)."""
    try:
        return _render(name, formats)
    except Exception as err:
        frames = traceback.extract_tb(err.__traceback__)
        frame = next((f for f in reversed(frames) if f.filename.startswith(str(CHART_DIR))), frames[-1])
        raise ChartError(
            f"{frame.filename}:{frame.lineno}: chart {name!r} failed: {type(err).__name__}: {err}"
        ) from None


def _render(name: str, formats: tuple[str, ...]) -> dict[str, bytes]:
    """Rows as CSV, words as JSON, drawings in ``formats``.

    The words (label, caption, alt text) are saved beside the data so that
    pages embedding the chart need not import matplotlib to be read.
    """
    from .charts import style  # deferred: imports matplotlib

    module = charts.get(name)
    rows = module.rows(data.load())
    words = {"label": module.LABEL, "caption": module.caption(rows), "alt": module.alt_text(rows)}
    files = {"csv": rows_csv(rows), "json": json.dumps(words, indent=1, sort_keys=True).encode() + b"\n"}
    if formats:
        figure = module.draw(rows)
        for fmt in formats:
            buffer = io.BytesIO()
            style.save(figure, buffer, fmt)  # reproducible: fixed SVG ids, no dates
            files[fmt] = buffer.getvalue()
    return files


class Built(NamedTuple):
    redrawn: list[str]
    emptied_because: str | None  # why the whole cache was emptied, if it was


def build(outdir: Path, formats: tuple[str, ...], names: tuple[str, ...] = charts.CHARTS) -> Built:
    """Bring each chart's CSV and drawings in ``formats`` up to date; say which were redrawn.

    Each file has its own stamp, so an HTML build (SVG) and a LaTeX build
    (PDF) of the same data each draw a chart once.
    """
    emptied_because = buildstate.refresh(outdir, buildstate.chart_inputs())
    return Built(_build(outdir, formats, names), emptied_because)


def _build(outdir: Path, formats: tuple[str, ...], names: tuple[str, ...]) -> list[str]:
    inputs = _inputs_digest(formats)
    inputs_stamp = outdir / f".inputs-{'-'.join((*ALWAYS, *formats))}.sha256"
    if inputs_stamp.exists() and inputs_stamp.read_text() == inputs:
        return []  # nothing a chart reads has changed: skip importing and running the chart modules
    ds = data.load()
    stale: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name in names:
        stamp = fingerprint(name, charts.get(name).rows(ds))
        missing = tuple(
            ext for ext in (*ALWAYS, *formats)
            if not (outdir / f"{name}.{ext}").exists() or _read_stamp(outdir, name, ext) != stamp
        )
        if missing:
            stale[name] = (stamp, tuple(ext for ext in missing if ext not in ALWAYS))
    if not stale:
        write_if_changed(inputs_stamp, inputs.encode())
        return []
    jobs = min(len(stale), os.cpu_count() or 1)
    work = [(name, exts) for name, (_, exts) in stale.items()]
    if jobs > 1:
        # fork: workers inherit the loaded dataset and imported matplotlib.
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            results = dict(zip(stale, pool.map(render, *zip(*work, strict=True)), strict=True))
    else:
        results = {name: render(name, exts) for name, exts in work}
    for name, files in results.items():
        for ext, content in files.items():
            write_if_changed(outdir / f"{name}.{ext}", content)
            write_if_changed(outdir / f".{name}.{ext}.sha256", stale[name][0].encode())
    write_if_changed(inputs_stamp, inputs.encode())
    return [name for name, (_, exts) in stale.items() if exts]


def _read_stamp(outdir: Path, name: str, ext: str) -> str:
    stamp = outdir / f".{name}.{ext}.sha256"
    return stamp.read_text() if stamp.exists() else ""
