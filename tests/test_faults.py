"""Scripted faults: a chart that exits, dies or hangs; settings the build cannot read.

Each fails within its own limit, in one line naming the chart module (or the
setting), never as a build that says it passed.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from buildtools import REPO
from nkreport import chartbuild, chartworkers, settings

# A chart's work as the worker runs it, replaced by a fault (forked workers inherit the replacement).
DIED = "failed: its process {} before returning the chart"
FAULTS = {
    "exits with status 0": (lambda: sys.exit(0), "failed: SystemExit: 0"),
    "raises SystemExit(3)": (lambda: (_ for _ in ()).throw(SystemExit(3)), "failed: SystemExit: 3"),
    "dies with os._exit(1)": (lambda: os._exit(1), DIED.format("exited with status 1")),
    "dies with os._exit(0)": (lambda: os._exit(0), DIED.format("exited with status 0")),
    "is killed": (lambda: os.kill(os.getpid(), signal.SIGKILL), DIED.format("was killed by SIGKILL")),
    "hangs": (lambda: time.sleep(60), "failed: TimeoutError: did not finish within 1 s"),
    "hangs deaf to signals": (lambda: (signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM}), time.sleep(60)),
                              "failed: did not finish within 1 s"),
}


def render_in_workers(work: list[tuple[str, tuple[str, ...]]], jobs: int) -> dict[str, dict[str, bytes]]:
    """The charts of ``work`` (name, formats) drawn by ``jobs`` worker processes, as a build has them drawn."""
    workers = chartworkers.start_workers(min(jobs, len(work)), chartbuild.render)
    return chartworkers.dispatch(workers, [(name, formats, [], "") for name, formats in work])


@pytest.fixture
def one_second_limit(monkeypatch):
    monkeypatch.setenv("NKREPORT_CHART_TIME_LIMIT", "1")
    monkeypatch.setattr(chartworkers, "GRACE", 1.0)


@pytest.mark.parametrize("fault", FAULTS)
def test_a_chart_that_exits_dies_or_hangs_fails_naming_its_module_within_its_limit(fault, monkeypatch,
                                                                                   one_second_limit):
    act, said = FAULTS[fault]
    monkeypatch.setattr(chartbuild, "_render", lambda name, formats, rows, credit: act() or {})
    started = time.monotonic()
    with pytest.raises(chartbuild.ChartError) as raised:
        render_in_workers([("women_share", ("svg",))], 1)
    assert time.monotonic() - started < 10  # its limit and grace (2 s), with room for a loaded machine
    message = str(raised.value)
    assert "\n" not in message and f"chart 'women_share' {said}" in message, message
    if "process" in said or "deaf" in fault:
        assert message.startswith(str(chartbuild.CHART_DIR / "women_share.py")), message


def test_a_worker_that_died_before_it_took_a_chart_is_named_with_that_chart():
    """A worker may die while it waits (in C code, importing matplotlib): the chart handed to it is named."""
    workers = chartworkers.start_workers(1, chartbuild.render, lambda: os._exit(3))
    workers[0][1].join(timeout=30)
    with pytest.raises(chartbuild.ChartError) as raised:
        chartworkers.dispatch(workers, [("women_share", ("svg",), [], "")])
    said = DIED.format("exited with status 3")
    assert str(raised.value) == f"{chartbuild.CHART_DIR / 'women_share.py'}: chart 'women_share' {said}"


def test_the_limit_is_each_charts_own_however_many_are_stale(monkeypatch, one_second_limit):
    """Twenty stale charts, two at a time, one hung where no signal reaches it: the build ends after about
    that chart's own limit and grace (2 s), not after a limit grown with the number of stale charts (30 s)."""
    def render(name, formats, rows, credit):
        if name == "hung":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)
        return {"csv": name.encode()}

    monkeypatch.setattr(chartbuild, "_render", render)
    work = [(f"chart{n}", ()) for n in range(10)] + [("hung", ())] + [(f"chart{n}", ()) for n in range(10, 19)]
    started = time.monotonic()
    with pytest.raises(chartbuild.ChartError, match="chart 'hung' failed: did not finish within 1 s"):
        render_in_workers(work, 2)
    assert time.monotonic() - started < 15  # generous on a loaded machine; the grown limit would be 30 s


def test_workers_return_every_chart_in_order(monkeypatch):
    monkeypatch.setattr(chartbuild, "_render",
                        lambda name, formats, rows, credit: {"csv": name.encode() * 100_000})
    work = [(f"chart{n}", ()) for n in range(5)]
    results = render_in_workers(work, 2)
    assert list(results) == [name for name, _ in work]
    assert all(files["csv"] == name.encode() * 100_000 for name, files in results.items())


def test_a_worker_draws_first_the_charts_pages_asked_for(monkeypatch):
    monkeypatch.setattr(chartbuild, "_render", lambda name, formats, rows, credit: {"csv": name.encode()})
    work = [(f"chart{n}", (), [], "") for n in range(5)]
    drawn: list[str] = []
    chartworkers.dispatch(chartworkers.start_workers(1, chartbuild.render), work,
                          lambda name, files: drawn.append(name),
                          lambda names: chartbuild.next_chart(["chart3", "chart1", "chart9"], names))
    assert drawn == ["chart3", "chart1", "chart0", "chart2", "chart4"]


def test_a_page_waits_for_its_own_charts_only(tmp_path, monkeypatch, one_second_limit):
    """A chart still being drawn holds up the pages showing it, not the others: a chart drawn is written
    as soon as a page asks for it, and the build learns of the hung one when it asks for that."""
    def render(name, formats, rows, credit):
        if name == "women_share":
            time.sleep(60)
        return {"svg": f"<svg>{name}</svg>".encode()}

    monkeypatch.setattr(chartbuild, "_render", render)
    drawing = chartbuild.start(REPO, tmp_path, ("svg",), names=("survey_work", "women_share"))
    assert drawing.redrawn == ["survey_work", "women_share"]
    drawing.wait_for("survey_work")
    assert (tmp_path / "survey_work.svg").read_text() == "<svg>survey_work</svg>"
    assert not (tmp_path / "women_share.svg").exists()
    with pytest.raises(chartbuild.ChartError, match="chart 'women_share' failed: TimeoutError: did not finish"):
        drawing.wait_for("women_share")
    assert not (tmp_path / "women_share.svg").exists()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "nan", "inf", "1e9", "１２０", ""])
def test_a_chart_time_limit_the_build_cannot_use_is_one_line(value, monkeypatch):
    monkeypatch.setenv("NKREPORT_CHART_TIME_LIMIT", value)
    if value == "":
        assert settings.chart_time_limit() == 120
        return
    with pytest.raises(settings.SettingError) as raised:
        settings.chart_time_limit()
    assert str(raised.value).startswith("NKREPORT_CHART_TIME_LIMIT=") and "expected a number of seconds" in str(
        raised.value)


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "１７００００００００", "1700000000\n", "99999999999999"])
def test_a_source_date_epoch_the_build_cannot_use_is_one_line(value, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(settings.SettingError, match=r"^SOURCE_DATE_EPOCH=.*: expected whole seconds since 1970"):
        settings.source_date_epoch()


# --- the build script, its Sphinx and make steps scripted (seconds, not minutes) -------------------

FAKE_SPHINX = r"""#!/bin/bash
# sphinx-build ... -b BUILDER report OUTDIR, as FAKE_FAULT scripts it for BUILDER.
args=("$@"); for i in "${!args[@]}"; do [[ ${args[$i]} == -b ]] && builder=${args[$((i + 1))]}; done
outdir=${args[-1]}
mkdir -p "$outdir" && echo "$builder of $(cat report/index.md | wc -c)" > "$outdir/index.html"
case ${FAKE_FAULT:-} in
    "exits 0 in $builder") exit 0 ;;
    "a claim exits 0 in $builder")
        python -c 'from nkreport import progress; progress.note_running("report/x.md:12: the claim 1 + 1")'
        exit 0 ;;
    "fails in $builder") echo "fake: $builder failed" >&2; exit 1 ;;
esac
python -c 'import sys; from nkreport.progress import mark_finished; from types import SimpleNamespace as S
mark_finished(S(builder=S(name=sys.argv[1])), None)' "$builder"
"""
FAKE_MAKE = r"""#!/bin/bash
# make -s -C DIR ... all-pdf
while [[ $1 != -C ]]; do shift; done
echo pdf > "$2/nk-emigration.pdf"
"""
# rm that cannot delete a file called "undeletable" (as an immutable file or a stale NFS handle would be).
FAKE_RM = r"""#!/bin/bash
for arg in "$@"; do
    if [[ $arg != -* && -e $arg ]] && find "$arg" -name undeletable | grep -q .; then
        echo "rm: cannot remove '$arg/…/undeletable': Operation not permitted" >&2; exit 1
    fi
done
exec /bin/rm "$@"
"""


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    """A copy of the project, and an environment whose sphinx-build, make and rm are the scripts above."""
    from buildtools import copy_project

    base = tmp_path_factory.mktemp("scripted")
    root = copy_project(base / "project")
    venv = base / "venv"
    (venv / "bin").mkdir(parents=True)
    for name, script in {"sphinx-build": FAKE_SPHINX, "make": FAKE_MAKE, "rm": FAKE_RM,
                         "python": f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'}.items():
        (venv / "bin" / name).write_text(script)
        (venv / "bin" / name).chmod(0o755)
    return root, venv


def scripted_build(scripted, fault: str = "") -> subprocess.CompletedProcess:
    root, venv = scripted
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NKREPORT_VENV": str(venv), "FAKE_FAULT": fault}
    return subprocess.run(["bash", "scripts/build"], cwd=root, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("builder, step", [("html", "HTML build"), ("doctest", "doctests of the chapters"),
                                           ("latex", "LaTeX build")])
def test_a_sphinx_step_that_ends_early_with_status_0_fails_the_build(scripted, builder, step):
    assert scripted_build(scripted).returncode == 0
    result = scripted_build(scripted, f"exits 0 in {builder}")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"build: FAILED: {step}: Sphinx stopped before the end, though its status said it passed; "
        "no report published")
    assert not (scripted[0] / "_build" / "html").exists()


def test_a_claim_that_ends_the_doctest_run_is_named_at_its_line(scripted):
    result = scripted_build(scripted, "a claim exits 0 in doctest")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "build: FAILED: doctests of the chapters: Sphinx stopped before the end, though its status said it passed "
        "(last started: report/x.md:12: the claim 1 + 1); no report published")


def test_an_undeletable_file_in_the_old_report_is_moved_aside_and_every_build_still_runs(scripted):
    root = scripted[0]
    assert scripted_build(scripted).returncode == 0
    (root / "_build" / "html" / "undeletable").write_text("")
    result = scripted_build(scripted)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "build: files of an earlier report that cannot be deleted are in _build/.trash: remove them by hand")
    assert result.stdout.strip().splitlines()[-1] == (
        "build: report at _build/html/index.html and _build/latex/nk-emigration.pdf")
    assert not (root / "_build" / "html" / "undeletable").exists()
    # A failed build says so in its last line, and the one after it starts and publishes.
    (root / "_build" / "html" / "undeletable").write_text("")
    failed = scripted_build(scripted, "fails in latex")
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines()[-1] == "build: FAILED: LaTeX build; no report published"
    assert scripted_build(scripted).returncode == 0
    assert (root / "_build" / "html" / "index.html").exists()


# --- a chapter's claims (doctests) ---------------------------------------------------------------

CLAIMS = {
    "never returns": ("while True: pass", "got TimeoutError: did not finish within 1 s"),
    "sleeps": ("import time; time.sleep(60)", "got TimeoutError: did not finish within 1 s"),
    "exits with status 0": ("raise SystemExit(0)", "got SystemExit: 0"),
    "exits through sys.exit": ("import sys; sys.exit()", "got SystemExit"),
}


@pytest.mark.parametrize("claim", CLAIMS)
def test_a_claim_that_never_returns_or_exits_fails_at_its_chapter_line(claim, monkeypatch, tmp_path):
    import doctest

    from nkreport.sphinxext.claims import ClaimRunner

    source, said = CLAIMS[claim]
    monkeypatch.setenv("NKREPORT_DOCTEST_TIME_LIMIT", "1")
    reported = []

    class Builder:
        def report(self, test, example, problem):
            reported.append((test.lineno + example.lineno + 1, problem))

    text = f">>> 1 + 1\n2\n>>> {source}\n>>> 2 + 2\n4\n"
    test = doctest.DocTestParser().get_doctest(text, {}, "claims", "report/chapter.md", 40)
    monkeypatch.setenv("NKREPORT_FINISHED", str(tmp_path / "finished"))
    started = time.monotonic()
    ClaimRunner(Builder(), verbose=False, optionflags=0).run(test, out=lambda text: None)
    assert time.monotonic() - started < 5
    # Where the build looks for what ended a run early: the last claim started.
    assert (tmp_path / "finished.running").read_text() == "report/chapter.md:44: the claim '2 + 2'\n"
    # Only the faulty claim, at its own line (the block starts at line 41, the claim is its third line).
    assert [line for line, _ in reported] == [43], reported
    assert reported[0][1].startswith(f"expected nothing, {said}"), reported
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left to fire later


# --- files changed behind the build's back ----------------------------------------------------------

def test_data_changed_with_its_old_modification_time_is_loaded_anew(data_copy):
    from buildtools import revise_figure
    from nkreport import data

    figures = data_copy / "figures.csv"
    bibliography = data_copy.parent / "references.bib"
    before = os.stat(figures)
    assert data.load(data_copy, bibliography).value("unemployment-defectors-2013-chosun2014") == Decimal("9.7")
    revise_figure(figures, "unemployment-defectors-2013-chosun2014", "9.8")  # the same size
    os.utime(figures, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or tar x leave it
    assert data.load(data_copy, bibliography).value("unemployment-defectors-2013-chosun2014") == Decimal("9.8")


# --- writes that fail: the old file stays whole, and the failure is one line --------------------------

WRITE_FAULTS = {
    "disk full while writing": ("fsync", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "No space left on device"),
    "folder read-only": ("mkstemp", PermissionError(errno.EROFS, os.strerror(errno.EROFS)), "Read-only file system"),
    "rename refused": ("replace", PermissionError(errno.EACCES, os.strerror(errno.EACCES)), "Permission denied"),
}


@pytest.mark.parametrize("fault", WRITE_FAULTS)
def test_stamp_that_cannot_write_leaves_the_descriptor_whole_and_says_so_in_one_line(fault, data_copy, monkeypatch,
                                                                                    capsys):
    import json

    from conftest import new_version
    from nkreport import chartfiles, stamp
    from nkreport.__main__ import main

    version = stamp.read_descriptor(data_copy)["version"].split(".")
    new_version(data_copy, f"{version[0]}.{version[1]}.{int(version[2]) + 1}", "2099-12-01")
    descriptor = data_copy / "datapackage.json"
    before = descriptor.read_bytes()
    where, error, said = WRITE_FAULTS[fault]

    def fail(*args, **kwargs):
        raise error

    target = {"fsync": chartfiles.os, "replace": chartfiles.os, "mkstemp": chartfiles.tempfile}[where]
    monkeypatch.setattr(target, where, fail)
    assert main(["stamp", "--data", str(data_copy)]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("nkreport stamp: cannot write ") and line.endswith(f"{said}: it is unchanged"), line
    assert descriptor.read_bytes() == before
    json.loads(before)
    assert [p.name for p in data_copy.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left
