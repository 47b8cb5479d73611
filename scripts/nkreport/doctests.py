"""Names every chapter doctest can use: the data API, and the dataset of the project being built.

``doctest_global_setup`` (conf.py) imports them and sets ``ds, fig = dataset(ROOT)``.
"""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from .data import Dataset
from .derived import difference, percent_change, percent_fall, product, ratio, rounded, share, total
from .project import Project


def dataset(root: str) -> tuple[Dataset, Callable[[str], Decimal]]:
    """The dataset of the project at ``root``, and its value lookup (``fig("id")``)."""
    ds = Project(Path(root)).load()
    return ds, ds.value


__all__ = [
    "Decimal", "dataset", "difference", "percent_change", "percent_fall", "product", "ratio", "rounded", "share",
    "total",
]
