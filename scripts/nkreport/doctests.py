"""Names every chapter doctest can use (``doctest_global_setup`` imports them)."""

from decimal import Decimal

from .data import difference, load, percent_change, percent_fall, product, ratio, rounded, share, total

ds = load()
fig = ds.value

__all__ = [
    "Decimal", "difference", "ds", "fig", "load", "percent_change", "percent_fall", "product", "ratio", "rounded",
    "share", "total",
]
