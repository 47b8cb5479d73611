"""Derived figures: the arithmetic chapters, charts and ``{calc}`` apply to the data's values.

Rounding is half away from zero ("half up" on magnitudes), the rule most
readers and the press use, not Python's round-half-to-even.

>>> percent_change(2706, 1396)
Decimal('-48.4')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Number = Decimal | int | float


def rounded(number: Number, places: int = 0) -> Decimal:
    """``number`` rounded to ``places`` decimals, halves away from zero."""
    return Decimal(str(number)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def difference(old: Number, new: Number, places: int = 0) -> Decimal:
    return rounded(Decimal(str(new)) - Decimal(str(old)), places)


def percent_change(old: Number, new: Number, places: int = 1) -> Decimal:
    """Change from ``old`` to ``new`` in percent of ``old``."""
    return rounded((Decimal(str(new)) - Decimal(str(old))) * 100 / Decimal(str(old)), places)


def percent_fall(old: Number, new: Number, places: int = 1) -> Decimal:
    """How far ``new`` fell below ``old``, in percent of ``old``: "fell by 92%" (negative for a rise)."""
    return rounded((Decimal(str(old)) - Decimal(str(new))) * 100 / Decimal(str(old)), places)


def share(part: Number, whole: Number, places: int = 1) -> Decimal:
    """``part`` as a percentage of ``whole``."""
    return rounded(Decimal(str(part)) * 100 / Decimal(str(whole)), places)


def ratio(numerator: Number, denominator: Number, places: int = 2) -> Decimal:
    return rounded(Decimal(str(numerator)) / Decimal(str(denominator)), places)


def total(*parts: Number) -> Decimal:
    return sum((Decimal(str(p)) for p in parts), Decimal(0))


def product(*factors: Number) -> Decimal:
    result = Decimal(1)
    for factor in factors:
        result *= Decimal(str(factor))
    return result
