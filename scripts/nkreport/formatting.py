"""How figures read in prose, captions and alt text: one formatter for all."""

from __future__ import annotations

from decimal import Decimal

# Units written after the number; percent-like units take a sign and no space.
_SUFFIX = {
    "": "",
    "people": "",
    "people per month": " a month",
    "percent": "%",
    "percent change": "%",
    "percentage points": " percentage points",
    "ratio": "",
    "KRW": " won",
    "KRW per USD": " won per US dollar",
    "USD per month": " a month",
    "months": " months",
    "years": " years",
}


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_label(f) -> str:
    """The figure's period as a reader would write it: 'H1 2013', 'Jan–May 2015'."""
    start, end = f.period_start, f.period_end
    match f.period_type:
        case "year":
            return str(end.year)
        case "fiscal-year":
            return f"FY{end.year}"
        case "half":
            return f"H{1 if end.month <= 6 else 2} {end.year}"
        case "quarter":
            return f"Q{(end.month - 1) // 3 + 1} {end.year}"
        case "month":
            return f"{MONTHS[end.month - 1]} {end.year}"
        case "as-of":
            return f"{end.day} {MONTHS[end.month - 1]} {end.year}"
        case "before":
            return f"before {end.year + 1}"
    if f.period_type == "date-range" and start.year == end.year:
        return f"{MONTHS[start.month - 1]}–{MONTHS[end.month - 1]} {end.year}"
    if f.period_type == "date-range" and (start.month, start.day, end.month, end.day) != (1, 1, 12, 31):
        return f"{MONTHS[start.month - 1]} {start.year}–{MONTHS[end.month - 1]} {end.year}"
    return f"{start.year}–{end.year}"


def number(value: Decimal | int | float) -> str:
    """Thousands separators, the decimals the source gave, ASCII minus."""
    return f"{Decimal(str(value)):,f}"


def ordinal(value: Decimal | int) -> str:
    n = int(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def amount(value: Decimal | int | float) -> str:
    """A number as the press writes it: a round amount of a million or more in millions
    ("1.42 million", not "1,420,000", which would claim a precision the source never gave)."""
    value = Decimal(str(value))
    if abs(value) >= 10**6 and value % 10_000 == 0:
        return f"{number(value / 10**6)} million"
    return number(value)


def quantity(value: Decimal | int | float, unit: str) -> str:
    """``value`` in ``unit`` as a reader expects to see it: "$5,967", "-$30", "75.6%", "2,706",
    "1.41 million won".

    Counts of people stand bare, as prose says them; currencies and
    percentages carry their sign.
    """
    if unit == "rank":
        return ordinal(value)
    if unit.startswith("USD"):
        sign = "-" if Decimal(str(value)) < 0 else ""
        return f"{sign}${amount(abs(Decimal(str(value))))}{_SUFFIX.get(unit, '')}"
    suffix = _SUFFIX[unit]
    if Decimal(str(value)) == 1 and suffix.endswith("s"):
        suffix = suffix[:-1]  # "1 year", not "1 years"
    return f"{amount(value)}{suffix}"


def figure(fig) -> str:
    """A dataset figure as stated: a single value or a low–high range."""
    if fig.value is not None:
        return quantity(fig.value, fig.unit)
    low, high = quantity(fig.low, fig.unit), quantity(fig.high, fig.unit)
    if fig.unit.startswith("USD"):
        high = high.removeprefix("$")
    return f"{low.removesuffix(_SUFFIX.get(fig.unit, ''))}–{high}"
