"""Draw the charts that are out of date, in parallel, and save them.

A chart is out of date when its fingerprint changed: the rows it plots, its
module's source or the house style.  Drawing happens in worker processes;
writing happens only here, through :mod:`nkreport.chartfiles`.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import charts, data
from .chartfiles import rows_csv, write_if_changed
from .charts import style

FORMATS = ("svg", "pdf")  # SVG for HTML, PDF (vector) for LaTeX


def fingerprint(name: str, rows: list[dict]) -> str:
    module = charts.get(name)
    style_dir = Path(inspect.getfile(charts)).parent
    digest = hashlib.sha256()
    digest.update(json.dumps(rows, sort_keys=True, default=str).encode())
    digest.update(inspect.getsource(module).encode())
    for path in sorted(style_dir.glob("*.mplstyle")) + sorted(style_dir.glob("_*.py")) + [style_dir / "style.py"]:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def render(name: str) -> dict[str, bytes]:
    """The chart's files as bytes (runs in a worker process)."""
    module = charts.get(name)
    rows = module.rows(data.load())
    figure = module.draw(rows)
    files = {"csv": rows_csv(rows)}
    for fmt in FORMATS:
        buffer = io.BytesIO()
        style.save(figure, buffer, fmt)  # reproducible: fixed SVG ids, no dates
        files[fmt] = buffer.getvalue()
    return files


def build(outdir: Path, names: tuple[str, ...] = charts.CHARTS, jobs: int | None = None) -> list[str]:
    """Bring every chart in ``outdir`` up to date; return the names redrawn."""
    ds = data.load()
    stale = {}
    for name in names:
        stamp = fingerprint(name, charts.get(name).rows(ds))
        stamp_file = outdir / f".{name}.sha256"
        outputs = [outdir / f"{name}.{ext}" for ext in ("csv", *FORMATS)]
        if not (stamp_file.exists() and stamp_file.read_text() == stamp and all(p.exists() for p in outputs)):
            stale[name] = stamp
    if not stale:
        return []
    jobs = min(len(stale), jobs or os.cpu_count() or 1)
    if jobs > 1:
        # fork: workers inherit the loaded dataset and imported matplotlib.
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            results = dict(zip(stale, pool.map(render, stale), strict=True))
    else:
        results = {name: render(name) for name in stale}
    for name, files in results.items():
        for ext, content in files.items():
            write_if_changed(outdir / f"{name}.{ext}", content)
        write_if_changed(outdir / f".{name}.sha256", stale[name].encode())
    return list(stale)
