"""The date a build carries (title page, copyright line, PDF metadata).

``SOURCE_DATE_EPOCH`` when set, else midnight UTC of the data's ``updated``
date: never the clock and never git, so a build from an exported tree (a
release tarball, ``git archive``) equals a build from the checkout.
"""

from __future__ import annotations

import calendar
import json
import os
from datetime import date
from pathlib import Path


def source_date_epoch(data_dir: Path) -> str | None:
    """Seconds since 1970 as a string, or None when the data's date is unreadable (validation names why)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        updated = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))["updated"]
        return str(calendar.timegm(date.fromisoformat(updated).timetuple()))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


if __name__ == "__main__":
    from .project import Project

    print(source_date_epoch(Project.find().data_dir) or "")
