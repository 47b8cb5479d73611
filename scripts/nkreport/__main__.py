"""The ``nkreport`` command: checks a maintainer or writer runs.

``nkreport validate`` validates the data package, that its tables are
those its version was stamped with, and that CITATION.cff names its version
and date; ``nkreport stamp`` records the tables'
hashes for a new version; ``nkreport check [CHAPTER]`` is the writer's fast
loop (the data, the chapter's doctests, an incremental HTML build, warnings
as errors); ``nkreport completeness [PATH]`` lists the numbers of a source
text (by default the archive the dataset is built from) that are neither in
the dataset nor explained by the ignore list. ``nkreport update FILE`` records
a release of the ministry's table of arrivals in one step; ``nkreport as-of
VERSION DIR`` writes the tables as they stood at an earlier data version.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from . import check, citation, completeness, data, settings, stamp, update, versions
from .errors import DataError, read_text
from .project import Project
from .tables import read_descriptor


def _shown(path: Path) -> str:
    """``path`` relative to the working directory, as a maintainer would type it."""
    return os.path.relpath(path)


def _load(args: argparse.Namespace) -> data.Dataset:
    """The data package of ``--data``, with the bibliography beside it, as in the repository.

    The project's own package shares the build's record of the files last found valid: ``scripts/build``
    validates before Sphinx does, and neither need read unchanged files with Frictionless again.
    """
    own = args.data.resolve() == args.project.data_dir.resolve()
    return data.load(args.data, args.data.parent / "references.bib", args.project.known_valid if own else None)


def validate(args: argparse.Namespace) -> int:
    """Every problem at once: the tables' contents, then whether they are the stamped version's, and
    whether CITATION.cff names the package's version and date; first, the settings the build reads."""
    unusable = settings.check()
    if unusable:
        print("\n".join(f"nkreport: {line}" for line in unusable), file=sys.stderr)
        return 1
    try:
        ds = _load(args)
    except DataError as err:
        descriptor = read_descriptor(args.data)
        raise DataError(
            err.problems + stamp.check(args.data, descriptor) + citation.check(args.data, descriptor)
        ) from None
    problems = stamp.check(args.data, ds.descriptor) + citation.check(args.data, ds.descriptor)
    if problems:
        raise DataError(problems)
    official = sum(f.is_official for f in ds.figures.values())
    print(
        f"{_shown(args.data / 'datapackage.json')}: valid "
        f"({len(ds.figures) - official} press figures, {official} official values from {len(ds.releases)} releases, "
        f"{len(ds.events)} events, {len(ds.series_info)} series)"
    )
    return 0


def record_stamp(args: argparse.Namespace) -> int:
    ds = _load(args)
    try:
        changed = stamp.stamp(args.data)
    except stamp.StampRefused as err:
        print(err, file=sys.stderr)
        return 1
    except OSError as err:
        shown = _shown(args.data / "datapackage.json")
        print(f"nkreport stamp: cannot write {shown}: {err.strerror or err}: it is unchanged", file=sys.stderr)
        return 1
    print(
        f"{_shown(args.data / 'datapackage.json')}: tables stamped as data version {ds.version}"
        f" ({'changed: ' + ', '.join(changed) if changed else 'none changed'})"
    )
    return 0


def check_chapters(args: argparse.Namespace) -> int:
    try:
        chapters = [check.chapter_path(args.project, name) for name in args.chapters]
    except ValueError as err:
        print(f"nkreport check: {err}", file=sys.stderr)
        return 2
    validate(args)
    return check.run(args.project, chapters)


def check_completeness(args: argparse.Namespace) -> int:
    """Print each missing number and stale entry, then a summary; 1 if there are any.

    Only the archive is what the ignore list and the dataset's quotes are
    written for, so only there are unused ignore entries and unfound quotes
    reported.
    """
    path: Path = args.path
    if not path.is_file():  # a folder, or a pipe that would never end
        print(f"nkreport completeness: {path}: not a file: expected a text file", file=sys.stderr)
        return 2
    try:
        text = read_text(path)
    except DataError as err:  # unreadable, or a byte that is not UTF-8 (a binary file), named by line and column
        print("\n".join(str(p) for p in err.problems), file=sys.stderr)
        return 2
    ds = _load(args)
    archive = args.project.archive
    ignore_list = args.data / args.project.ignore_list.name
    is_archive = path.resolve() == archive.resolve()
    shown = str(args.path) if args.path != archive else _shown(archive)
    result = completeness.check(text, ds, ignore_list, report_stale_ignores=is_archive)
    for line in completeness.report_lines(result, text, shown, _shown(args.data) + "/", _shown(ignore_list)):
        print(line)
    unfound = completeness.unquoted(text, ds) if is_archive else []
    for row in unfound:
        print(f"{_shown(args.data)}/: the quote of {row.id!r} occurs nowhere in {shown}: {row.quote!r}")
    print(result.summary())
    return 0 if result.ok and not unfound else 1


def record_release(args: argparse.Namespace) -> int:
    """Record a release of the ministry's table; print what changed, or each problem and change nothing."""
    repository, path, commit = args.copy or ("", "", "")
    origin = update.Origin(
        published=args.published, accessed=args.accessed, url=args.url, repository=repository, path=path,
        commit=commit, licence=args.licence, note=args.note,
    )
    try:
        result = update.update(args.file, origin, args.data)
    except update.UpdateRefused as err:
        print("\n".join(err.problems), file=sys.stderr)
        print(f"nkreport update: {len(err.problems)} problem(s); nothing was changed", file=sys.stderr)
        return 1
    print("\n".join(result.lines))
    return 0


def write_as_of(args: argparse.Namespace) -> int:
    """The data package as it stood at an earlier version, written to a folder."""
    _load(args)
    try:
        written = versions.as_of(args.data, args.version, args.target)
    except versions.UnknownVersion as err:
        print(f"nkreport as-of: {err}", file=sys.stderr)
        return 2
    print(f"{_shown(args.target)}: the data package as of version {written.version} of {written.date}")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a date YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    # The checkout the command is run in.
    project = Project.find()
    parser = argparse.ArgumentParser(prog="nkreport", description=__doc__.split("\n\n")[0])
    parser.set_defaults(project=project)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data", type=Path, default=project.data_dir, metavar="DIR",
        help="the data package, with references.bib beside it (default: data/)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", parents=[common], help="validate the data package").set_defaults(run=validate)
    commands.add_parser(
        "stamp", parents=[common],
        help="record the tables' hashes for the package's version, after a bump and a changelog entry",
    ).set_defaults(run=record_stamp)
    chapters = commands.add_parser(
        "check", parents=[common],
        help="the fast loop: validate the data, build the HTML and run a chapter's doctests, warnings as errors",
    )
    chapters.add_argument("chapters", nargs="*", metavar="CHAPTER", help="e.g. report/demographics.md (default: all)")
    chapters.set_defaults(run=check_chapters)
    completeness_check = commands.add_parser(
        "completeness", parents=[common],
        help="list the numbers of a text that are neither in the dataset nor ignored",
    )
    completeness_check.add_argument(
        "path", nargs="?", type=Path, default=project.archive, help="the text to check (default: the archive)"
    )
    completeness_check.set_defaults(run=check_completeness)
    release = commands.add_parser(
        "update", parents=[common],
        help="record a release of the ministry's table of arrivals by year and sex (JSON, CSV or HTML)",
    )
    release.add_argument("file", type=Path, metavar="FILE", help="the table as published or copied")
    release.add_argument("--published", type=_date, required=True, metavar="DATE", help="the release's date")
    release.add_argument("--url", required=True, help="where the ministry publishes it")
    release.add_argument(
        "--copy", nargs=3, metavar=("REPOSITORY", "PATH", "COMMIT"),
        help="where the copy was read, if not on the ministry's page: OWNER/NAME, the file's path, the commit",
    )
    release.add_argument("--accessed", type=_date, default=date.today(), metavar="DATE",
                         help="the day the file was read (default: today); also the data version's date")
    release.add_argument("--licence", default="Not stated for this file.", help="the licence, as stated")
    release.add_argument("--note", default="", help="anything a reader of the release should know")
    release.set_defaults(run=record_release)
    as_of = commands.add_parser(
        "as-of", parents=[common], help="write the data package as it stood at an earlier data version",
    )
    as_of.add_argument("version", metavar="VERSION", help="a version of data/CHANGELOG.md, e.g. 2.1.0")
    as_of.add_argument("target", type=Path, metavar="DIR", help="the folder to write it to")
    as_of.set_defaults(run=write_as_of)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
