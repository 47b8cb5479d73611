"""Numbers in a text, in digits or in words, with the values each may mean.

The completeness check reads a source text with :func:`extract`, and
validation checks with it that a row's quote states the row's value.

>>> [(n.text, sorted(n.values)) for n in extract("a 2.2 percent drop from 91,800")]
[('2.2', [Decimal('2.2')]), ('91,800', [Decimal('91800')])]
>>> [n.text for n in extract("twice the first half of someone's 1990s")]
['twice', 'first', 'half', '1990s']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

CARDINALS = {
    word: index + 1
    for index, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
        " sixteen seventeen eighteen nineteen twenty".split()
    )
} | {word: 10 * (index + 3) for index, word in enumerate("thirty forty fifty sixty seventy eighty ninety".split())} | {
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
}
ORDINALS = {
    word: index + 1
    for index, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
        " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}
# A fraction may stand for a share ("half" of them) or for a percentage (50).
HALF, QUARTER = (Decimal("0.5"), Decimal(50)), (Decimal("0.25"), Decimal(25))
FRACTIONS = {"half": HALF, "halves": HALF, "quarter": QUARTER, "quarters": QUARTER}
THREE_QUARTERS = (Decimal("0.75"), Decimal(75))
SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9}

_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"


def _words(names: Iterable[str]) -> str:
    """An alternation of ``names``, longest first so none shadows a longer one."""
    return "|".join(sorted(names, key=len, reverse=True))


# A digit number is never the tail of another ("1,024" is one number, not
# "1" and "024"); a letter before it is a currency or period prefix
# ("W1.41", "US$1", "Q1"), which leaves the number intact.
_NUMBER = re.compile(
    rf"""
    (?<!\d)(?<!\d[.,])
    (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])
    (?:\s+(?P<scale>{_words(SCALES)})\b|(?:st|nd|rd|th|s)\b)?
    | \b(?:
        (?P<three_quarters>three[- ]quarters)
        | (?P<twice>twice)
        | (?P<times>{_words(CARDINALS)})\s+times
        | (?P<tens>{_TENS})-(?P<units>{_UNITS})
        | (?P<cardinal>{_words(CARDINALS)})
        | (?P<ordinal>{_words(ORDINALS)})
        | (?P<fraction>{_words(FRACTIONS)})
    )\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Number:
    """A number as it stands in the text, and the values it may mean."""

    text: str
    offset: int
    line: int
    column: int
    values: frozenset[Decimal]

    @property
    def end(self) -> int:
        return self.offset + len(self.text)

    @property
    def year(self) -> int | None:
        """The year this number names, if it is a year written in digits (1900-2099)."""
        found = re.fullmatch(r"((?:19|20)\d\d)s?", self.text)
        return int(found.group(1)) if found else None


def _values(match: re.Match) -> tuple[Decimal, ...]:
    """The values a match of :data:`_NUMBER` may stand for."""
    group = {name: text.lower() for name, text in match.groupdict().items() if text}
    if "digits" in group:
        value = Decimal(group["digits"].replace(",", ""))
        return (value * SCALES[group["scale"]],) if "scale" in group else (value,)
    if "three_quarters" in group:
        return THREE_QUARTERS
    if "twice" in group:
        return (Decimal(2),)
    if "tens" in group:
        return (Decimal(CARDINALS[group["tens"]] + CARDINALS[group["units"]]),)
    if "fraction" in group:
        return FRACTIONS[group["fraction"]]
    if "ordinal" in group:
        return (Decimal(ORDINALS[group["ordinal"]]),)
    return (Decimal(CARDINALS[group.get("times") or group["cardinal"]]),)


def extract(text: str) -> list[Number]:
    """Every number of ``text``, in order, with its line and column (both from 1)."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    numbers = []
    line = 0
    for match in _NUMBER.finditer(text):
        offset = match.start("digits") if match.group("digits") else match.start()
        while line + 1 < len(line_starts) and line_starts[line + 1] <= offset:
            line += 1
        numbers.append(Number(
            text=text[offset:match.end()],
            offset=offset,
            line=line + 1,
            column=offset - line_starts[line] + 1,
            values=frozenset(_values(match)),
        ))
    return numbers
