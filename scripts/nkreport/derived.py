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


def only_rounds(later: Decimal | None, earlier: Decimal | None) -> bool:
    """Whether ``later`` only restates ``earlier`` to the thousand or coarser (103,000 for 103,900): a
    count of tens of thousands or more, written to fewer figures, within one of its own units. A copy
    that rounds a large count does not revise it, so the finer count stays current. Smaller counts are
    never read this way: a revision of 506 to 510 is a revision.

    >>> only_rounds(Decimal(103000), Decimal(103900)), only_rounds(Decimal(103000), Decimal(101900))
    (True, False)
    >>> only_rounds(Decimal(510), Decimal(506)), only_rounds(Decimal(2000), Decimal(1999))
    (False, False)
    """
    if later is None or earlier is None or later == earlier:
        return False
    zeros = _trailing_zeros(later)
    unit = Decimal(10) ** zeros
    return (zeros >= 3 and abs(later) >= 10 * unit and zeros > _trailing_zeros(earlier)
            and abs(later - earlier) < unit)


def _trailing_zeros(value: Decimal) -> int:
    """How many zeros end a whole number (0 for a fraction or zero itself)."""
    if value == 0 or value != value.to_integral_value():
        return 0
    digits = str(abs(int(value)))
    return len(digits) - len(digits.rstrip("0"))
