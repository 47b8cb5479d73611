"""Draw the charts that are out of date, in parallel, and save them.

A chart is out of date when its fingerprint changed: the rows it plots, its
module's source or the code its module shares in ``charts/`` (the house style
among it).  What every chart depends on besides (the rest of the ``nkreport``
code, matplotlib) is recorded with the cache, which is emptied when it
changes: see :mod:`nkreport.buildstate`.  Drawing happens in worker
processes (:mod:`nkreport.chartworkers`); writing happens only here, through
:mod:`nkreport.chartfiles`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import threading
import traceback
from functools import partial
from pathlib import Path

from . import buildstate, charts, chartworkers, data, formatting, progress, settings
from .chartfiles import rows_csv, write_if_changed
from .charts import CHART_DIR
from .charts._rows import cite, cite_keys, gid, listing, stated, when
from .errors import ChartError
from .project import Project

ALWAYS = ("csv", "json")  # the plotted rows, and the words around the chart


def _inputs_digest(data_dir: Path, formats: tuple[str, ...]) -> str:
    """Everything any chart reads: the data package, the chart code and the style."""
    digest = hashlib.sha256(repr(formats).encode())
    for path in sorted(data_dir.iterdir()) + sorted(CHART_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def fingerprint(name: str, rows: list[dict], credit: str = "") -> str:
    """The chart's rows and credit line, its module, and every file in charts/ that is not another chart's module."""
    others = {CHART_DIR / f"{other}.py" for other in charts.CHARTS if other != name}
    digest = hashlib.sha256()
    digest.update(json.dumps(rows, sort_keys=True, default=str).encode() + b"\0" + credit.encode())
    for path in sorted(CHART_DIR.iterdir()):
        if path.suffix in (".py", ".mplstyle") and path not in others:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def guarded(name: str, function, *args):
    """``function(*args)`` of chart ``name`` under the time limit; any failure is a :class:`ChartError`.

    The limit raises inside the chart's own code (SIGALRM), so the error names
    the line it was stuck on.  Only the main thread can take signals; elsewhere
    the function runs without a limit.
    """
    limit = settings.chart_time_limit()

    def expire(signum, frame):
        raise TimeoutError(f"did not finish within {limit:g} s")

    timed = threading.current_thread() is threading.main_thread()
    progress.note_running(f"{CHART_DIR / f'{name}.py'}: chart {name!r}")
    if timed:
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return function(*args)
    except ChartError:
        raise
    except (Exception, SystemExit) as err:  # a chart that exits would end the build as if it had passed
        raise ChartError(f"{_where(err)}: chart {name!r} failed: {type(err).__name__}: {err}") from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _where(err: Exception) -> str:
    """``file:line`` of the innermost chart-module frame of ``err`` (or of the code it could not compile)."""
    if isinstance(err, SyntaxError) and err.filename:
        return f"{err.filename}:{err.lineno}"
    frames = traceback.extract_tb(err.__traceback__)
    frame = next((f for f in reversed(frames) if f.filename.startswith(str(CHART_DIR))), frames[-1])
    return f"{frame.filename}:{frame.lineno}"


def _rows(name: str, ds) -> list[dict]:
    return charts.get(name).rows(ds)


def render(name: str, formats: tuple[str, ...], rows: list[dict], credit_line: str) -> dict[str, bytes]:
    """Chart ``name``'s drawings of ``rows`` in ``formats``, as bytes (in a worker process)."""
    return guarded(name, _render, name, formats, rows, credit_line)


def prepare_to_draw() -> None:
    """What every drawing needs, imported by a worker while the build checks the data and reads the rows."""
    from matplotlib.figure import Figure  # noqa: F401 - imported for its side effect: ready for the first chart

    from .charts import _marks, style  # noqa: F401

    style.find_house_font()


def credit(rows: list[dict], ds: data.Dataset, address: str = "") -> str:
    """The line under a chart: its sources (the outlets, not each report), the data version and the report's address.

    ``address`` is the report's canonical address (Sphinx's ``html_baseurl``); with none set, the line gives
    none rather than a guessed one.
    """
    labels = {f.source: f.source_label for f in ds.figures.values()} | {
        e.source: e.source_label for e in ds.events.values()}
    # "Yonhap 2015" names a report; the credit names the outlet, once.
    outlets = sorted({re.sub(r"\s+\d{4}[a-z]?$", "", labels[key]) for key in cite_keys(rows)})
    said = f"Source{'s' if len(outlets) > 1 else ''}: {'; '.join(outlets)}."
    version = f"Data version {ds.version} of {formatting.date_words(ds.descriptor['updated'])}."
    # The version and the address on a line of their own, whole: the sources wrap above them. The address
    # without its scheme: shorter, and in print not mistaken for a link (an image's text is not one).
    shown = re.sub(r"^https?://", "", address)
    return f"{said}\n{' '.join([version, *([shown] if shown else [])])}"


def drawing(module, rows: list[dict], credit_line: str):
    """The chart module's figure in its frame: the takeaway above, the credit below (the same for every chart)."""
    from .charts import style  # deferred: imports matplotlib

    return style.frame(module.draw(rows), module.title(rows), credit_line)


def _render(name: str, formats: tuple[str, ...], rows: list[dict], credit_line: str) -> dict[str, bytes]:
    from .charts import style  # deferred: imports matplotlib

    figure = drawing(charts.get(name), rows, credit_line)
    files = {}
    for fmt in formats:
        buffer = io.BytesIO()
        style.save(figure, buffer, fmt)  # reproducible: fixed SVG ids, no dates
        files[fmt] = buffer.getvalue()
    return files


def data_files(module, rows: list[dict], ds: data.Dataset) -> dict[str, bytes]:
    """The chart's rows as CSV and its words as JSON: what a page embedding it reads, without matplotlib."""
    # The chart's own citation: the one part of the caption that is markup.
    words = {
        "label": module.LABEL, "caption": module.caption(rows), "alt": module.alt_text(rows), "citation": cite(rows),
        "rows": rows_in_words(rows, ds),
    }
    return {"csv": rows_csv(rows), "json": json.dumps(words, indent=1, sort_keys=True).encode() + b"\n"}


OWN_PREPOSITION = ("before ", "after ", "by ", "since ", "until ", "reported ", "as of ", "each year ")


def rows_in_words(rows: list[dict], ds: data.Dataset) -> list[dict[str, str]]:
    """Each plotted row (as the CSV has it, in its order) in words: the chart's table view and its marks' tooltips.

    ``what``, ``period``, ``value`` (as stated, with its unit) and ``source``
    (the outlet, or the outlets a derived value was computed from) fill the
    table's columns; ``mark`` is the sentence a mark showing the row says on
    hover and focus; ``gid`` is the mark's id in the drawing.
    """
    labels = {f.source: f.source_label for f in ds.figures.values()}  # a derived row's inputs are figures
    described = []
    for row in rows:
        has_value = any(row[key] is not None for key in ("value", "low", "high"))
        if has_value:
            what = row.get("what") or row.get("description", "")
        else:
            # An event, or a span between two (its id names both, as _rows.span_row writes it).
            events = [ds.events[key].description for key in row["id"].split(" to ") if key in ds.events]
            what = row.get("description") or "; ".join(events) or row.get("what", "")
        source = (f"computed here from {listing([labels[key] for key in row['based_on'].split(',')])}"
                  if row["derived"] else row["source_label"])
        period = when(row).removeprefix("in ")
        # "in 2013", but a period that brings its own preposition stands as it is ("before 2010", "by 2 July").
        phrase = period if period.startswith(OWN_PREPOSITION) else when(row)
        value = stated(row) if has_value else ""
        said = f"{what} {phrase}: {value}" if value else f"{what}, {phrase}"
        described.append({"gid": gid(row["id"]), "what": what, "period": period, "value": value, "source": source,
                          "mark": f"{said}. Source: {source}."})
    return described


class Drawing:
    """Charts being brought up to date: the rows and words written, the drawings on their way.

    :func:`start` returns once each stale chart's CSV and words are written, its
    drawings being made by worker processes meanwhile.  :meth:`wait_for` writes
    one chart's drawings as soon as they are made, :meth:`finish` all of them.
    So a build reads its pages, and writes those without a redrawn chart, while
    the charts are drawn: first those of the pages it has read (:meth:`prefer`),
    which it writes in the order it read them.
    """

    def __init__(self, redrawn: list[str], emptied_because: str | None, save=None, complete=None):
        self.redrawn = redrawn
        self.emptied_because = emptied_because  # why the whole cache was emptied, if it was
        self._save, self._complete = save, complete  # write one chart's drawings; record that all are written
        self._unwritten = set(redrawn)
        self._arrived = threading.Condition()  # the drawing thread sets these three, the build reads them
        self._drawn: dict[str, dict[str, bytes]] = {}
        self._ended = False
        self._error: Exception | None = None  # why the drawing stopped, if a chart failed
        self._wanted: list[str] = []  # charts of the pages read so far, in the order they were read

    def prefer(self, name: str) -> None:
        """Draw chart ``name`` before any chart that no page read so far shows."""
        self._wanted.append(name)

    def wait_for(self, name: str) -> Drawing:
        """Wait for chart ``name``'s drawings and write them; a chart that failed is a :class:`ChartError`."""
        if name in self._unwritten:
            with self._arrived:
                self._arrived.wait_for(lambda: name in self._drawn or self._ended)
                if self._error is not None:
                    raise self._error
                files = self._drawn.pop(name)
            self._save(name, files)
            self._unwritten.discard(name)
        return self

    def finish(self) -> Drawing:
        """Wait for every drawing and write them; a chart that failed is a :class:`ChartError`."""
        for name in self.redrawn:
            self.wait_for(name)
        complete, self._complete = self._complete, None
        if complete is not None:
            complete()
        return self

    def _draw(self, workers: list, work: list[tuple[str, tuple[str, ...]]]) -> None:
        """In a thread of its own: hand the workers the charts, and keep each drawing as it comes."""
        def drawn(name: str, files: dict[str, bytes]) -> None:
            with self._arrived:
                self._drawn[name] = files
                self._arrived.notify_all()

        error = None
        try:
            chartworkers.dispatch(workers, work, drawn, partial(next_chart, self._wanted))
        except Exception as err:  # noqa: BLE001 - raised again by wait_for, in the build's thread
            error = err
        with self._arrived:
            self._ended, self._error = True, error
            self._arrived.notify_all()


def start_workers(project: Project, outdir: Path, formats: tuple[str, ...], count: int, address: str = "") -> list:
    """``count`` drawing processes for :func:`start`, started before it: they import matplotlib while the build
    checks the data and reads each chart's rows.  None when nothing a chart reads has changed."""
    inputs_stamp, inputs = _inputs_stamp(project, outdir, formats, address)
    if not formats or inputs_stamp.exists() and inputs_stamp.read_text() == inputs:
        return []
    return chartworkers.start_workers(count, render, prepare_to_draw)


def next_chart(wanted: list[str], names: list[str]) -> int:
    """Which of the charts still to draw (``names``) goes to the next free worker: the first that pages
    want (``wanted``, in the order they asked), else the first.

    >>> next_chart(["women_share", "survey_work"], ["arrivals_annual", "survey_work", "women_share"])
    2
    >>> next_chart([], ["arrivals_annual", "survey_work"])
    0
    """
    return next((names.index(name) for name in wanted if name in names), 0)


def build(project: Project, outdir: Path, formats: tuple[str, ...], names: tuple[str, ...] = charts.CHARTS,
          address: str = "") -> Drawing:
    """Bring each chart of ``project`` (its CSV and drawings in ``formats``) up to date; say which were redrawn."""
    return start(project, outdir, formats, names, address).finish()


def start(project: Project, outdir: Path, formats: tuple[str, ...], names: tuple[str, ...] = charts.CHARTS,
          address: str = "", workers: list | None = None, ds: data.Dataset | None = None) -> Drawing:
    """Start bringing each chart of ``project`` up to date: see :class:`Drawing`.

    Each file has its own stamp, so an HTML build (SVG) and a LaTeX build
    (PDF) of the same data each draw a chart once.  ``address``, the report's
    canonical address, goes in every chart's credit line.  The drawing
    processes are ``workers`` (from :func:`start_workers`), or as many as there
    are cores, started here.  ``ds`` is the project's dataset, if the caller has
    it (a build, while Frictionless still checks it).
    """
    try:
        return _start(project, outdir, formats, names, address, workers, ds)
    except BaseException:
        chartworkers.stop(workers or [])
        raise


def _start(project: Project, outdir: Path, formats: tuple[str, ...], names: tuple[str, ...], address: str,
           workers: list | None, ds: data.Dataset | None) -> Drawing:
    emptied_because = buildstate.refresh(outdir, buildstate.chart_inputs())
    inputs_stamp, inputs = _inputs_stamp(project, outdir, formats, address)
    if inputs_stamp.exists() and inputs_stamp.read_text() == inputs:
        chartworkers.stop(workers or [])
        return Drawing([], emptied_because)  # nothing a chart reads has changed: no chart module runs
    ds = ds or project.load()
    stale: dict[str, tuple[str, tuple[str, ...]]] = {}
    plotted: dict[str, tuple[list[dict], str]] = {}  # a stale chart's rows and credit line
    for name in names:
        rows = guarded(name, _rows, name, ds)
        credit_line = credit(rows, ds, address)
        stamp = fingerprint(name, rows, credit_line)
        missing = tuple(
            ext for ext in (*ALWAYS, *formats)
            if not (outdir / f"{name}.{ext}").exists() or _read_stamp(outdir, name, ext) != stamp
        )
        if missing:
            stale[name] = (stamp, tuple(ext for ext in missing if ext not in ALWAYS))
            plotted[name] = (rows, credit_line)

    def save(name: str, files: dict[str, bytes]) -> None:
        for ext, content in files.items():
            write_if_changed(outdir / f"{name}.{ext}", content)
            write_if_changed(outdir / f".{name}.{ext}.sha256", stale[name][0].encode())

    for name in stale:
        save(name, guarded(name, data_files, charts.get(name), plotted[name][0], ds))
    work = [(name, exts, *plotted[name]) for name, (_, exts) in stale.items() if exts]
    if not work:
        chartworkers.stop(workers or [])
        write_if_changed(inputs_stamp, inputs.encode())
        return Drawing([], emptied_because)
    drawing = Drawing([name for name, *_ in work], emptied_because, save=save,
                      complete=lambda: write_if_changed(inputs_stamp, inputs.encode()))
    if not workers:  # forked here, in the main thread; a thread only hands them the charts
        workers = chartworkers.start_workers(min(len(work), os.cpu_count() or 1), render, prepare_to_draw)
    threading.Thread(target=drawing._draw, args=(workers, work), daemon=True).start()
    return drawing


def _inputs_stamp(project: Project, outdir: Path, formats: tuple[str, ...], address: str) -> tuple[Path, str]:
    """The record of what every chart read when they were last brought up to date, and what they read now."""
    stamp = outdir / f".inputs-{'-'.join((*ALWAYS, *formats))}.sha256"
    return stamp, _inputs_digest(project.data_dir, formats) + address


def _read_stamp(outdir: Path, name: str, ext: str) -> str:
    stamp = outdir / f".{name}.{ext}.sha256"
    return stamp.read_text() if stamp.exists() else ""
