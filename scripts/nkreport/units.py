"""The unit of a derived number, from the units the data states for its inputs.

``{calc}`` combines figures by their units as a reader would: only like with
like is added, subtracted or compared, and the result keeps a unit the report
can render. A number typed into an expression has no unit of its own: in a
sum or comparison it takes its companions' unit, in a product or as a divisor
it scales.

>>> result_unit("total", [Quantity(1, "USD", "grant"), Quantity(2, "USD", "housing")])
'USD'
>>> result_unit("ratio", [Quantity(1, "KRW", "pay"), Quantity(2, "KRW per USD", "rate")])
'USD'
>>> result_unit("total", [Quantity(1, "USD", "grant"), Quantity(2, "people", "arrivals")])
Traceback (most recent call last):
...
nkreport.units.UnitError: total() cannot combine grant (USD) with arrivals (people): expected one unit
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PERCENTAGES = {"percent", "percent change"}
PLAIN = ""  # a number with no unit: typed into the expression, or scaled by one
PURE = {PLAIN, "ratio"}


class UnitError(ValueError):
    """Figures whose units cannot be combined this way."""


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str  # PLAIN for a number typed into the expression
    name: str  # how the expression names it: a figure id or the number as typed


def _one_unit(function: str, args: list[Quantity]) -> str:
    """The unit all of ``args`` share (typed numbers take it), or UnitError naming the odd ones."""
    with_units = [a for a in args if a.unit != PLAIN]
    units = list(dict.fromkeys(a.unit for a in with_units))
    if len(units) > 1:
        first = [a for a in with_units if a.unit == units[0]][0]
        odd = [a for a in with_units if a.unit != units[0]]
        names = " and ".join(f"{a.name} ({a.unit})" for a in odd)
        raise UnitError(f"{function}() cannot combine {first.name} ({first.unit}) with {names}: expected one unit")
    if units == ["rank"]:
        raise UnitError(f"{function}() of ranks: a rank is a position, not an amount")
    return units[0] if units else PLAIN


def _singular(unit: str) -> str:
    return unit.removesuffix("s")


def result_unit(function: str, args: list[Quantity]) -> str:
    """The unit of ``function(*args)``, or UnitError if the data's units do not allow it."""
    if function in ("total", "difference"):
        unit = _one_unit(function, args)
        # The difference of two percentages is in percentage points, not percent.
        return "percentage points" if function == "difference" and unit in PERCENTAGES else unit
    if function in ("share", "percent_change", "percent_fall"):
        _one_unit(function, args)
        return "percent"
    if function == "ratio":
        numerator, denominator = args
        if denominator.unit == PLAIN:
            return numerator.unit
        if numerator.unit in (denominator.unit, PLAIN):
            return "ratio"
        # KRW divided by KRW per USD is USD.
        numerator_part, per, result = denominator.unit.partition(" per ")
        if per and numerator_part == numerator.unit:
            return result
        raise UnitError(
            f"ratio() cannot divide {numerator.name} ({numerator.unit}) by {denominator.name} ({denominator.unit}):"
            " the data has no unit for the result"
        )
    if function == "product":
        factors = [a for a in args if a.unit not in PURE]
        if not factors:
            return "ratio" if any(a.unit == "ratio" for a in args) else PLAIN
        if len(factors) == 1 and factors[0].unit != "rank":
            return factors[0].unit
        # USD per month times months is USD.
        if len(factors) == 2:
            for rate, duration in (factors, factors[::-1]):
                amount, per, period = rate.unit.partition(" per ")
                if per and _singular(duration.unit) == _singular(period):
                    return amount
        names = " by ".join(f"{a.name} ({a.unit})" for a in factors)
        raise UnitError(f"product() cannot multiply {names}: the data has no unit for the result")
    raise UnitError(f"no unit rule for {function}()")
