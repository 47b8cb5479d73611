"""How figures read in prose, captions and alt text: one formatter for all."""

from __future__ import annotations

import calendar
import re
from datetime import date
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


MONTH_NAMES = tuple(calendar.month_name)[1:]
_ORDINAL_PARTS = ("first", "second", "third", "fourth")


def period_words(f) -> str:
    """The figure's period as a sentence says it: 'the first half of 2013', 'January–May 2014',
    'fiscal year 2016', 'as of June 2015'.

    A period that ends on the last day of a month reads as that month: the data
    records a month's last day where its source gives only the month.
    """
    start, end = f.period_start, f.period_end
    match f.period_type:
        case "year":
            return str(end.year)
        case "fiscal-year":
            return f"fiscal year {end.year}"
        case "half":
            return f"the {_ORDINAL_PARTS[(end.month - 1) // 6]} half of {end.year}"
        case "quarter":
            return f"the {_ORDINAL_PARTS[(end.month - 1) // 3]} quarter of {end.year}"
        case "month":
            return f"{MONTH_NAMES[end.month - 1]} {end.year}"
        case "as-of":
            return f"as of {_end_words(end)}"
        case "before":
            return f"before {end.year + 1}" if (end.month, end.day) == (12, 31) else f"before {date_words(end)}"
        case "each-year":
            span = _span_words(start, end)
            return f"each year, {'as of ' if start == end else ''}{span}"
    return _span_words(start, end)


def date_words(when: date | str) -> str:
    """A date as prose writes it, as precise as it is given: '5 July 2015', 'August 2015', '2015'.

    Text that is not such an ISO date (a bibliography's free-form ``date``) stays as it is.
    """
    text = str(when)
    match = _ISO_DATE.fullmatch(text)
    if not match:
        return text
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(year, month or 1, day or 1)
    except ValueError:  # "2015-13-01" is not a date either
        return text
    if month is None:
        return str(year)
    return f"{day} {MONTH_NAMES[month - 1]} {year}" if day else f"{MONTH_NAMES[month - 1]} {year}"


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _month_end(when: date) -> bool:
    return when.day == calendar.monthrange(when.year, when.month)[1]


def _end_words(end: date) -> str:
    return f"{MONTH_NAMES[end.month - 1]} {end.year}" if _month_end(end) else date_words(end)


def _span_words(start: date | None, end: date) -> str:
    if start is None or start == end:
        return date_words(end)
    whole_months = start.day == 1 and _month_end(end)
    if whole_months and (start.month, end.month) == (1, 12):
        return str(end.year) if start.year == end.year else f"{start.year}–{end.year}"
    if whole_months and start.year == end.year:
        first, last = MONTH_NAMES[start.month - 1], MONTH_NAMES[end.month - 1]
        return f"{last} {end.year}" if first == last else f"{first}–{last} {end.year}"
    begin = f"{MONTH_NAMES[start.month - 1]} {start.year}" if start.day == 1 else date_words(start)
    return f"{begin} to {_end_words(end)}"


def number(value: Decimal | int | float) -> str:
    """Thousands separators, the decimals the source gave, ASCII minus."""
    return f"{Decimal(str(value)):,f}"


def amount(value: Decimal | int | float) -> str:
    """``number``, but a round number of millions as the press writes it: "1.41 million", "12.3 million".

    Sources state large amounts in millions ("W1.41 million", "roughly 12.3
    million"); written out in full ("1,410,000") they would claim a precision
    the source never gave.
    """
    value = Decimal(str(value))
    if abs(value) >= 10**6 and value % 10**4 == 0:
        return f"{(value / 10**6).normalize():f} million"
    return number(value)


def ordinal(value: Decimal | int) -> str:
    n = int(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def quantity(value: Decimal | int | float, unit: str) -> str:
    """``value`` in ``unit`` as a reader expects to see it: "$5,967", "-$30", "75.6%", "2,706", "1.41 million won".

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


def markdown_literal(text: str) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped: Markdown that reads as itself."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)
