"""Charts drawn in worker processes, each worker drawing chart after chart, under each chart's own time limit.

A process per chart paid matplotlib's start-up (fonts, caches) and a fork for
each, a third of the drawing's time; so a few workers draw every stale chart
between them.  Each imports matplotlib as it starts, while the build that
forked it goes on, and is handed each chart's rows: it reads no data.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Container
from multiprocessing.connection import wait

from . import settings
from .charts import CHART_DIR
from .errors import ChartError

# A chart stuck where no signal reaches it (C code) is stopped this long after its own limit.
GRACE = 5.0
# Drawing gives way to the build's own process, which takes in each drawing only when it writes its page.
NICENESS = 10

# A chart to draw: (name, formats, rows, credit line).
Task = tuple[str, tuple[str, ...], list[dict], str]
# render(*task) -> the chart's files by format; raises ChartError naming its line.
Render = Callable[[str, tuple[str, ...], list[dict], str], dict[str, bytes]]


def start_workers(count: int, render: Render, ready: Callable[[], None] = lambda: None) -> list:
    """``count`` forked processes, each running ``ready()`` and then waiting for charts to draw with ``render``."""
    context = multiprocessing.get_context("fork")
    workers = []
    for _ in range(count):
        parent_end, worker_end = context.Pipe()
        process = context.Process(target=_serve, args=(worker_end, render, ready), daemon=True)
        process.start()
        worker_end.close()
        workers.append((parent_end, process))
    return workers


def stop(workers: list, busy: Container = frozenset()) -> None:
    """Workers done with: each idle one returns; each still drawing (its pipe in ``busy``) is killed."""
    for pipe, process in workers:
        if pipe in busy or not process.is_alive():
            process.kill()
        else:
            pipe.send(None)  # no more charts: the worker returns
        process.join()
        pipe.close()


def dispatch(workers: list, work: list[Task],
             drawn: Callable[[str, dict[str, bytes]], None] = lambda name, files: None,
             first: Callable[[list[str]], int] = lambda names: 0) -> dict[str, dict[str, bytes]]:
    """Each chart of ``work`` to the next free worker, one at a time each; their files, in ``work``'s order.

    ``drawn(name, files)`` hears of each chart as it arrives; ``first(names)``
    picks which of the charts still to draw goes next.  Each chart has its own
    limit, counted from when its worker starts it, and one that dies
    (``os._exit``, a crash in C code) or hangs where no signal reaches it is
    named: each worker's chart is known here.
    """
    limit = settings.chart_time_limit()
    todo = list(work)
    drawing: dict = {}  # a busy worker's pipe: (chart name, its process, its deadline)
    results: dict[str, dict[str, bytes]] = {}
    try:
        while todo or drawing:
            for pipe, process in workers:
                if todo and pipe not in drawing:
                    task = todo.pop(first([name for name, *_ in todo]))
                    name = task[0]
                    try:
                        pipe.send(task)
                    except OSError:  # the worker died before it took the chart (BrokenPipeError)
                        raise _died(name, process) from None
                    drawing[pipe] = (name, process, time.monotonic() + limit + GRACE)
            soonest = min(deadline for _, _, deadline in drawing.values())
            for pipe in wait(list(drawing), timeout=max(0.0, soonest - time.monotonic())):
                name, process, _ = drawing.pop(pipe)
                try:
                    passed, result = pipe.recv()
                except EOFError:
                    raise _died(name, process) from None
                if not passed:
                    raise ChartError(result)
                results[name] = result
                drawn(name, result)
            for name, _, deadline in drawing.values():
                if time.monotonic() >= deadline:
                    raise ChartError(f"{CHART_DIR / f'{name}.py'}: chart {name!r} failed: "
                                     f"did not finish within {limit:g} s")
    finally:
        stop(workers, busy=drawing)
    return {name: results[name] for name, *_ in work}


def _serve(pipe, render: Render, ready: Callable[[], None]) -> None:
    """In a worker: each chart the parent sends, its files or the one line saying why there are none."""
    os.nice(NICENESS)
    with contextlib.suppress(Exception):  # raised again, and named, by the first chart that needs it
        ready()
    while task := pipe.recv():
        name = task[0]
        try:
            outcome = (True, render(*task))
        except ChartError as err:
            outcome = (False, str(err))
        except BaseException as err:  # noqa: BLE001 - whatever it was, the parent names the chart
            outcome = (False, f"{CHART_DIR / f'{name}.py'}: chart {name!r} failed: {type(err).__name__}: {err}")
        pipe.send(outcome)


def _died(name: str, process) -> ChartError:
    process.join()
    return ChartError(f"{CHART_DIR / f'{name}.py'}: chart {name!r} failed: its process "
                      f"{_ended(process.exitcode)} before returning the chart")


def _ended(status: int | None) -> str:
    if status is not None and status < 0:
        return f"was killed by {signal.Signals(-status).name}"
    return f"exited with status {status}"
