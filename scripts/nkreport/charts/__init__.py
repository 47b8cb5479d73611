"""The report's charts, one module per figure, imported only when asked for.

Each module defines ``TABLES`` (the data tables it reads), ``LABEL`` (its
cross-reference label) and four functions: ``rows(ds)`` gives exactly the
data it plots, ``draw(rows)`` the matplotlib figure, ``caption(rows)`` and
``alt_text(rows)`` the words around it.  Importing this package does not
import matplotlib.

>>> "women_share" in CHARTS and "style" not in CHARTS
True
>>> get("women_share").LABEL
'fig-women-share'
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

CHART_DIR = Path(__file__).resolve().parent
# Every module of this package is a chart, but for the shared ones: the house style and private helpers.
CHARTS: tuple[str, ...] = tuple(sorted(
    path.stem for path in CHART_DIR.glob("*.py") if not path.stem.startswith("_") and path.stem != "style"
))


def get(name: str) -> ModuleType:
    """The chart module called ``name``."""
    if name not in CHARTS:
        raise KeyError(f"no chart {name!r}; the charts are {', '.join(CHARTS)}")
    return import_module(f"{__name__}.{name}")
