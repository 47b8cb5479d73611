"""The date a build carries (title page, copyright line, PDF metadata).

``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the data's ``updated``
date: never the clock and never git, so a build from an exported tree (a
release tarball, ``git archive``) equals a build from the checkout.
"""

from __future__ import annotations

import calendar
import json
import sys
from datetime import date
from pathlib import Path

from . import settings
from .paths import DATA_DIR


def source_date_epoch(data_dir: Path = DATA_DIR) -> str | None:
    """Seconds since 1970 as a string, or None when the data's date is unreadable (validation names why).

    A ``SOURCE_DATE_EPOCH`` that is not whole seconds is a :class:`settings.SettingError`.
    """
    if settings.source_date_epoch():
        return settings.source_date_epoch()
    try:
        updated = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["updated"]
        return str(calendar.timegm(date.fromisoformat(updated).timetuple()))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


if __name__ == "__main__":
    try:
        print(source_date_epoch() or "")
    except settings.SettingError as err:
        sys.exit(f"build: {err}")
