"""The report's charts, one module per figure, imported only when asked for.

Each module defines ``TABLES`` (the data tables it reads), ``LABEL`` (its
cross-reference label) and four functions: ``rows(ds)`` gives exactly the
data it plots, ``draw(rows)`` the matplotlib figure, ``caption(rows)`` and
``alt_text(rows)`` the words around it.  Importing this package does not
import matplotlib.

>>> CHARTS[:2]
('arrivals_annual', 'women_share')
>>> get("women_share").LABEL
'fig-women-share'
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

CHARTS: tuple[str, ...] = (
    "arrivals_annual",
    "women_share",
    "arrivals_subannual",
    "defection_cost",
    "china_visitors",
    "us_refugees",
    "earnings_unemployment",
    "elite_timeline",
    "market_survey",
)


def get(name: str) -> ModuleType:
    """The chart module called ``name``."""
    if name not in CHARTS:
        raise KeyError(f"no chart {name!r}; the charts are {', '.join(CHARTS)}")
    return import_module(f"{__name__}.{name}")
