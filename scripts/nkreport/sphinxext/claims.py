"""A chapter's claims (its doctests), each failure one line at the failing example's ``>>>``.

Sphinx's doctest builder names a failure by its block's line plus the example's line within the
block, and prints doctest's report of several lines. MyST gives a block the line of its opening
fence, before the options and the blank line, so failures were named a few lines too early.
"""

from __future__ import annotations

import signal
import threading
import traceback

from docutils import nodes
from sphinx.ext.doctest import DocTestBuilder, DoctestDirective, SphinxDocTestRunner
from sphinx.util import logging

from .. import settings

logger = logging.getLogger(__name__)


class ChapterDoctest(DoctestDirective):
    """The ``doctest`` directive, its node on the line of its first example."""

    def run(self) -> list[nodes.Node]:
        result = super().run()
        # MyST counts the content offset from the opening fence (docutils counts from the file's start).
        result[0].line = self.lineno + self.content_offset + 1
        return result


def one_line(output: str) -> str:
    return output.strip().replace("\n", "\\n") or "nothing"


class ClaimRunner(SphinxDocTestRunner):
    """Reports each failing example through the builder, as one line at its location."""

    def __init__(self, builder: ClaimBuilder, **options) -> None:
        super().__init__(**options)
        self.builder = builder
        self.time_limit = settings.doctest_time_limit()

    # Each example runs under a time limit (SIGALRM, where the main thread runs it): one that never
    # returns fails as an exception raised inside it, reported at its line like any other.
    def report_start(self, out, test, example) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.time_limit)

    def _expire(self, signum, frame):
        raise TimeoutError(f"did not finish within {self.time_limit:g} s")

    def _stop_clock(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.setitimer(signal.ITIMER_REAL, 0)

    def report_success(self, out, test, example, got: str) -> None:
        self._stop_clock()

    def report_failure(self, out, test, example, got: str) -> None:
        self._stop_clock()
        self.builder.report(test, example, f"expected {one_line(example.want)}, got {one_line(got)}")

    def report_unexpected_exception(self, out, test, example, exc_info) -> None:
        self._stop_clock()
        raised = traceback.format_exception_only(exc_info[0], exc_info[1])[-1]
        self.builder.report(test, example, f"expected {one_line(example.want)}, got {one_line(raised)}")


class ClaimBuilder(DocTestBuilder):
    """Sphinx's doctest builder, naming each failing claim by chapter, line and claim, in one line."""

    def test_doc(self, docname: str, doctree: nodes.Node) -> bool:
        self.docname = docname
        return super().test_doc(docname, doctree)

    def test_group(self, group) -> bool:
        # test_doc makes a plain runner for each chapter; its examples run in ours instead.
        if not isinstance(self.test_runner, ClaimRunner):
            runner = ClaimRunner(self, verbose=False, optionflags=self.opt)
            runner._fakeout = self.setup_runner._fakeout  # the one stdout capture, as test_doc shares it
            self.test_runner = runner
        return super().test_group(group)

    def report(self, test, example, problem: str) -> None:
        # doctest's own numbering: the block's line before its first example, plus the example's.
        line = test.lineno + example.lineno + 1
        first = example.source.splitlines()[0]
        message = f'doctest "{first}" failed: {problem}'
        self.outfile.write(f"{test.filename}:{line}: {message}\n")
        logger.warning(message, location=(self.docname, line), type="nkreport", subtype="doctest")
