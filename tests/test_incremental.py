"""An incremental build publishes what a clean build would, whatever changed.

One copy of the project is built; each test makes one kind of edit to it,
builds it again, and compares the HTML, the LaTeX sources and the chart files
byte for byte with a clean build of the same sources (an empty ``_build`` and
an empty chart cache), built alongside to save time.  Drawing every chart is
most of a clean build: where an earlier test drew them from an empty cache for
the very same files a chart could read (everything but the chapters and what is
beside them), the clean build starts from that earlier drawing instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path

import pytest
from buildtools import PROJECT_FILES, copy_project, revise_figure, run_build, sphinx
from conftest import release, replace_in
from nkreport import buildstate

CHART_FILES = Path("report/_generated/charts")
# What latexmk leaves beside the LaTeX sources, and the PDF the build publishes beside the pages:
# products of the PDF run, not sources.
PDF_RUN = re.compile(r"nk-emigration\.(pdf|aux|log|toc|out|fls|fdb_latexmk|idx|ind|ilg)")
EXTRA_CHAPTER = "report/extra-chapter.md"
ADDED_IMAGE = "added-figure.png"


def published(root: Path, html: Path, latex: Path) -> dict[str, str]:
    """Digest of each published file: HTML, LaTeX sources, chart files (not Sphinx's or the cache's own state)."""
    files = {}
    for label, directory in (("html", html), ("latex", latex), ("charts", root / CHART_FILES)):
        for path in sorted(directory.rglob("*")):
            relative = path.relative_to(directory)
            if (
                path.is_file()
                and ".doctrees" not in relative.parts
                and not (label == "charts" and path.name.startswith("."))
                and not (label in ("latex", "html") and PDF_RUN.fullmatch(path.name))
            ):
                files[f"{label}/{relative.as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def first_difference(incremental: dict[str, str], clean: dict[str, str]) -> str | None:
    for name in sorted(incremental.keys() | clean.keys()):
        if name not in clean:
            return f"{name} is only in the incremental build"
        if name not in incremental:
            return f"{name} is only in the clean build"
        if incremental[name] != clean[name]:
            return f"{name} differs"
    return None


def work_output(root: Path) -> dict[str, str]:
    return published(root, root / "_build" / "work" / "html", root / "_build" / "work" / "latex")


def build_work(root: Path) -> None:
    """The steps of scripts/build that make what is compared: check the record, build HTML and LaTeX sources."""
    env = {**os.environ, "PYTHONPATH": str(root / "scripts")}
    refresh = [sys.executable, "-m", "nkreport.buildstate", "_build/work"]
    checked = subprocess.run(refresh, cwd=root, env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    sphinx(root, "html", root / "_build" / "work" / "html")
    sphinx(root, "latex", root / "_build" / "work" / "latex", "--environment-from=_build/work/html")


# Clean builds whose charts were drawn from an empty cache, by what a chart could read in them.
DRAWN_FROM_EMPTY: dict[str, Path] = {}


def chart_sources(root: Path) -> str:
    """Digest of every file of ``root`` a chart could read: all but the chapters and the files beside them."""
    digest = hashlib.sha256()
    for name in (n for n in PROJECT_FILES if n != "report"):
        for path in sorted([root / name, *(root / name).rglob("*")]):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def clean_copy(project: Path, tmp_path: Path) -> tuple[Path, str]:
    """A copy of the sources of ``project``, with the charts an earlier clean build drew from an empty cache
    for the same chart sources, if one did; and the digest of those sources."""
    clean = copy_project(tmp_path / "clean", source=project)
    sources = chart_sources(clean)
    if sources in DRAWN_FROM_EMPTY:
        shutil.copytree(DRAWN_FROM_EMPTY[sources] / CHART_FILES, clean / CHART_FILES)
    return clean, sources


def build_clean(clean: Path, sources: str) -> None:
    build_work(clean)
    DRAWN_FROM_EMPTY.setdefault(sources, clean)


def incremental_and_clean(project: Path, tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Build ``project`` again, and a clean copy of its sources at the same time; both outputs."""
    clean, sources = clean_copy(project, tmp_path)
    with ThreadPoolExecutor(1) as pool:
        clean_build = pool.submit(build_clean, clean, sources)
        build_work(project)
        clean_build.result()
    return work_output(project), work_output(clean)


@pytest.fixture(scope="module")
def project(tmp_path_factory, chart_cache) -> Path:
    """A copy of the project, built once (from the session's chart cache); each test edits it further."""
    root = copy_project(tmp_path_factory.mktemp("incremental") / "project", charts_from=chart_cache)
    # An image for a figure an edit adds, there from the start: a file added to report/ rebuilds everything.
    shutil.copy(files("sphinx") / "themes" / "basic" / "static" / "file.png", root / "report" / ADDED_IMAGE)
    build_work(root)
    return root


def sub_once(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1, f"{pattern!r} not in {path}"
    path.write_text(edited, encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def add_and_remove_chapter(root: Path) -> None:
    """A chapter built once, then deleted: its pages must go too."""
    (root / EXTRA_CHAPTER).write_text("---\norphan: true\n---\n# An extra chapter\n\nSome text.\n", encoding="utf-8")
    build_work(root)
    assert (root / "_build" / "work" / "html" / "extra-chapter.html").exists()
    (root / EXTRA_CHAPTER).unlink()


OLD_TIME = 1_000_000_000  # 2001: older than any build


def keep_old_times(*paths: Path) -> None:
    """As ``cp -p``, ``tar x`` or ``rsync -a`` leave files: changed, but with times older than the last build."""
    for path in paths:
        os.utime(path, (OLD_TIME, OLD_TIME))


def figure_added_before_the_others(root: Path) -> None:
    """A numbered figure in the first chapter: every figure after it takes the next number, on its own page
    and on each page that refers to it."""
    replace_in(root / "report" / "summary.md", "\n## ",
               f"\n```{{figure}} {ADDED_IMAGE}\n:alt: A file icon.\n\nAn added figure.\n```\n\n## ")


def data_files_come_and_go_with_old_times(root: Path) -> None:
    """A file added to data/ and built, then removed; then data changed with files that keep old times."""
    extra = root / "data" / "extra-table.csv"
    extra.write_text("id,value\nx,1\n", encoding="utf-8")
    build_work(root)
    # Not a table of the package: the Data page offers none but the package's own files.
    assert not list((root / "_build" / "work" / "html" / "_downloads").rglob("extra-table.csv"))
    extra.unlink()
    revise_figure(root / "data" / "figures.csv", "unemployment-defectors-2013-chosun2014", "9.9")
    release(root)
    keep_old_times(*(root / "data").iterdir(), root / "CITATION.cff")


def word_comes_and_goes_with_old_times(root: Path) -> None:
    """A word added to a chapter and built, then removed again, the chapter keeping an old time."""
    chapter = root / "report" / "us-refugees.md"
    before = chapter.read_text(encoding="utf-8")
    chapter.write_text(before + "\nZyzzyvaword.\n", encoding="utf-8")
    build_work(root)
    assert "zyzzyvaword" in (root / "_build" / "work" / "html" / "searchindex.js").read_text(encoding="utf-8")
    chapter.write_text(before.replace("\n## ", "\nA sentence added.\n\n## ", 1), encoding="utf-8")
    keep_old_times(chapter)


# Each kind of change a contributor makes, as one edit; appended code redefines a name, so
# that the edit does not depend on the current text of the module.
EDITS: dict[str, Callable[[Path], None]] = {
    "data": lambda root: (
        revise_figure(root / "data" / "figures.csv", "unemployment-defectors-2013-chosun2014", "9.8"), release(root)
    ),
    "bibliography": lambda root: sub_once(
        root / "references.bib", r"^(\s*author\s*=\s*\{)([^{}]+)\}", r"\1\2 and Doe, Jane}"
    ),
    "chapter text": lambda root: replace_in(
        root / "report" / "market-survey.md", "\n## ", "\nAn added sentence.\n\n## "
    ),
    "figure added before the others": figure_added_before_the_others,
    "conf.py": lambda root: append(root / "conf.py", '\nnumfig_format = {"figure": "Fig. %s", "table": "Tab. %s"}\n'),
    "static file": lambda root: append(root / "report" / "_static" / "report.css", "\nh1 { line-height: 1.2; }\n"),
    "house style": lambda root: sub_once(
        root / "scripts" / "nkreport" / "charts" / "house.mplstyle", r"^grid\.linewidth: .*$", "grid.linewidth: 0.4"
    ),
    "chart helper": lambda root: append(root / "scripts" / "nkreport" / "charts" / "style.py", "\nNOTE_SIZE = 8.5\n"),
    "chart module": lambda root: append(
        root / "scripts" / "nkreport" / "charts" / "women_share.py",
        "\n_caption_before = caption\n\n\ndef caption(rows):\n    return _caption_before(rows) + ' Revised.'\n",
    ),
    "number formatting": lambda root: append(
        root / "scripts" / "nkreport" / "formatting.py",
        "\n_number_before = number\n\n\ndef number(value):\n    return _number_before(value).replace(',', ' ')\n",
    ),
    "data files added, removed and changed, keeping old times": data_files_come_and_go_with_old_times,
    "a word added and removed, keeping old times": word_comes_and_goes_with_old_times,
    "Sphinx extension": lambda root: append(
        root / "scripts" / "nkreport" / "sphinxext" / "provenance.py",
        "\n_data_text_before = data_text\n\n\ndef data_text(text):\n"
        "    return _data_text_before(text.upper())\n",
    ),
}


@pytest.mark.build
@pytest.mark.parametrize("kind", EDITS)
def test_incremental_build_equals_clean_build(project, tmp_path, kind):
    before = work_output(project)
    EDITS[kind](project)
    incremental, clean = incremental_and_clean(project, tmp_path)
    assert first_difference(before, clean), f"{kind}: the edit changed nothing a reader sees; it tests nothing"
    difference = first_difference(incremental, clean)
    assert difference is None, f"after a {kind} edit, the incremental and the clean build differ: {difference}"


@pytest.mark.build
def test_removed_chapter_leaves_no_page(project, tmp_path):
    add_and_remove_chapter(project)
    difference = first_difference(*incremental_and_clean(project, tmp_path))
    assert difference is None, f"after removing a chapter, the incremental and the clean build differ: {difference}"


@pytest.mark.build
def test_new_package_versions_rebuild_everything_and_say_why(project, tmp_path):
    """Simulated: the records say an older theme, matplotlib and TeX built what is there.

    Built with scripts/build itself, whose log must say why in one line.
    """
    work_record, chart_record = project / "_build" / "work" / ".inputs.json", project / CHART_FILES / ".inputs.json"
    simulated = ((work_record, ("sphinx-book-theme", "matplotlib", "TeX")), (chart_record, ("matplotlib",)))
    for record, packages in simulated:
        recorded = json.loads(record.read_text(encoding="utf-8"))
        assert set(packages) <= recorded.keys(), record
        record.write_text(json.dumps({**recorded, **dict.fromkeys(packages, "0.1")}), encoding="utf-8")
    # What the older versions drew and rendered.
    for stale in [*(project / "_build" / "work" / "html").glob("*.html"), *(project / CHART_FILES).glob("*.svg")]:
        append(stale, "<!-- drawn by an older version -->")

    built = run_build(project)
    assert built.returncode == 0, built.stdout[-4000:]
    reasons = [line for line in built.stdout.splitlines() if "full rebuild" in line]
    assert len(reasons) == 1, built.stdout
    assert reasons[0].startswith("build: ") and reasons[0].endswith(" changed: full rebuild"), reasons[0]
    for package in ("sphinx-book-theme", "matplotlib", "TeX"):
        assert re.search(rf"\b{package} 0\.1 → \S", reasons[0]), reasons[0]
    clean, sources = clean_copy(project, tmp_path)
    build_clean(clean, sources)
    difference = first_difference(published(project, project / "_build" / "html", project / "_build" / "latex"),
                                  work_output(clean))
    assert difference is None, f"after new package versions, the incremental and the clean build differ: {difference}"


def test_output_built_from_other_inputs_is_emptied_and_the_reason_named(tmp_path):
    output = tmp_path / "work"
    inputs = {"Python": "CPython 3.11.7", buildstate.CODE: "a" * 64, "matplotlib": "3.10.0"}
    assert buildstate.refresh(output, inputs) is None  # nothing there yet: nothing to say
    (output / "page.html").write_text("built")
    assert buildstate.refresh(output, inputs) is None
    assert (output / "page.html").exists()

    newer = {**inputs, buildstate.CODE: "b" * 64, "matplotlib": "3.10.1"}
    assert buildstate.refresh(output, newer) == "nkreport code, matplotlib 3.10.0 → 3.10.1 changed"
    assert not (output / "page.html").exists()
    assert buildstate.refresh(output, newer) is None


def test_output_without_a_record_is_emptied(tmp_path):
    output = tmp_path / "work"
    (output / "html").mkdir(parents=True)
    assert buildstate.refresh(output, {"Python": "CPython 3.11.7"}) == "no record of the inputs it was built from"
    assert list(output.iterdir()) == [output / buildstate.RECORD]
