"""Settings the build reads from the environment, each checked before it is used.

A setting that cannot be read is one line naming the variable, what it holds
and what it must hold, never a traceback from deep inside a build step.
"""

from __future__ import annotations

import math
import os
import re


class SettingError(Exception):
    """An environment variable holds what the build cannot use; the message is one line."""


def _shown(value: str) -> str:
    return repr(value[:40] + ("…" if len(value) > 40 else ""))


def source_date_epoch() -> str | None:
    """``SOURCE_DATE_EPOCH`` if set: whole seconds since 1970 in ASCII digits."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,11}", value, flags=re.ASCII):
        raise SettingError(f"SOURCE_DATE_EPOCH={_shown(value)}: expected whole seconds since 1970 "
                           "in ASCII digits, such as 1700000000")
    return value


def _seconds(variable: str, default: float) -> float:
    value = os.environ.get(variable, "")
    if not value:
        return default
    try:
        seconds = float(value) if value.isascii() else math.nan
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= 86400):
        raise SettingError(f"{variable}={_shown(value)}: expected a number of seconds "
                           f"above 0 and at most 86400, such as {default:g}")
    return seconds


def chart_time_limit() -> float:
    """Seconds one chart may take to draw: ``NKREPORT_CHART_TIME_LIMIT``, else 120."""
    return _seconds("NKREPORT_CHART_TIME_LIMIT", 120)


def doctest_time_limit() -> float:
    """Seconds one example of a chapter's doctests may run: ``NKREPORT_DOCTEST_TIME_LIMIT``, else 60."""
    return _seconds("NKREPORT_DOCTEST_TIME_LIMIT", 60)


def check() -> list[str]:
    """One line per setting the environment gets wrong."""
    problems = []
    for read in (source_date_epoch, chart_time_limit, doctest_time_limit):
        try:
            read()
        except SettingError as err:
            problems.append(str(err))
    return problems
