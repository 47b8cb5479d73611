"""The expressions of ``{calc}``: derived numbers with the unit their inputs give them.

An expression is a call of one of :data:`FUNCTIONS`; its arguments are figure
ids (their stated values), ``id.low`` or ``id.high`` (the ends of a stated
range), numbers (optionally with a unit of the data: ``8 months``), further
calls, any of these negated with ``-``, and ``places=N`` for the rounding.
Nothing else is evaluated.

>>> from nkreport.project import Project
>>> ds = Project.find().load()
>>> result = evaluate("total(sk-resettlement-grant-upi2015, sk-resettlement-housing-upi2015)", ds)
>>> result.value, result.unit
(Decimal('16967'), 'USD')
>>> evaluate("product(us-stipend-upi2015.low, 8 months)", ds).unit
'USD'
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import derived, units

FUNCTIONS = {
    f.__name__: f for f in (
        derived.difference, derived.percent_change, derived.percent_fall, derived.share, derived.ratio,
        derived.total, derived.product,
    )
}
_TOKEN = re.compile(r"\s*(?:(?P<word>[\w@]+(?:[-.][\w@]+)*)|(?P<mark>[(),=-]))")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
MAX_DEPTH = 20  # deeper nesting is no sentence's arithmetic; Python's own limit would crash the build


def _tokens(expression: str) -> list[str]:
    tokens, at = [], 0
    while expression[at:].strip():
        match = _TOKEN.match(expression, at)
        if not match:
            raise ValueError(f"cannot read {expression[at:].strip()!r} in {expression!r}")
        tokens.append(match["word"] or match["mark"])
        at = match.end()
    return tokens


def data_units(ds) -> set[str]:
    """The units a figure may have: the package's list, as a typed number may name them."""
    figures = next(r for r in ds.descriptor["resources"] if r["name"] == "figures")
    field = next(f for f in figures["schema"]["fields"] if f["name"] == "unit")
    return set(field.get("constraints", {}).get("enum", [])) or {f.unit for f in ds.figures.values()}


class _Parser:
    def __init__(self, expression: str, ds):
        self.expression, self.ds, self.tokens = expression, ds, _tokens(expression)
        self.read: list = []  # the figures the expression reads, in order
        self.depth = 0  # calls and signs open around the quantity being read

    def next(self, literal: str | None = None, what: str | None = None) -> str:
        """The next token; it must be ``literal`` if given."""
        expected = what or (repr(literal) if literal else "more")
        if not self.tokens:
            raise ValueError(f"{self.expression!r} ends early: expected {expected}")
        token = self.tokens.pop(0)
        if literal and token != literal:
            raise ValueError(f"expected {expected}, got {token!r} in {self.expression!r}")
        return token

    def peek(self) -> str | None:
        return self.tokens[0] if self.tokens else None

    def quantity(self) -> units.Quantity:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ValueError(f"more than {MAX_DEPTH} calls or signs nested in {self.expression[:60]!r}…: "
                             f"expected at most {MAX_DEPTH}")
        try:
            return self._quantity()
        finally:
            self.depth -= 1

    def _quantity(self) -> units.Quantity:
        if self.peek() == "-":
            self.next()
            inner = self.quantity()
            return units.Quantity(-inner.value, inner.unit, f"-{inner.name}")
        word = self.next(what="a figure id, a number or a call")
        if self.peek() == "(":
            return self.call(word)
        if _NUMBER.fullmatch(word):
            return self.number(word)
        return self.figure(word)

    def call(self, function: str) -> units.Quantity:
        if function not in FUNCTIONS:
            raise ValueError(f"expected one of {', '.join(FUNCTIONS)}(id, id, ...), got {function!r}")
        self.next("(")
        args, kwargs = [], {}
        while self.peek() != ")":
            if self.peek() == "places":
                self.next()
                self.next("=")
                kwargs["places"] = int(self.next(what="a number of decimal places"))
            else:
                args.append(self.quantity())
            if self.peek() != ")":
                self.next(",")
        self.next(")")
        unit = units.result_unit(function, args)
        shown = f"{function}({', '.join(a.name for a in args)})"
        return units.Quantity(FUNCTIONS[function](*(a.value for a in args), **kwargs), unit, shown)

    def number(self, digits: str) -> units.Quantity:
        words = []
        while self.peek() not in (None, ",", ")"):
            words.append(self.next())
        unit = " ".join(words)
        if unit and unit not in (known := data_units(self.ds)):
            raise ValueError(f"unknown unit {unit!r} after {digits}: expected one of {', '.join(sorted(known))}")
        return units.Quantity(Decimal(digits), unit, f"{digits} {unit}".strip())

    def figure(self, name: str) -> units.Quantity:
        """A figure's stated value, or one end of its range (``id.low``, ``id.high``)."""
        if name.endswith((".low", ".high")):
            figure_id, _, end = name.rpartition(".")
            figure = self.ds.figure(figure_id)
            self.read.append(figure)
            return units.Quantity(getattr(figure, end), figure.unit, name)
        value = self.ds.value(name)
        self.read.append(self.ds.figure(name))
        return units.Quantity(value, self.ds.figure(name).unit, name)


def evaluate(expression: str, ds) -> units.Quantity:
    """The value and unit of ``expression``; ValueError (a UnitError for units that do not combine) if none."""
    return evaluate_with_inputs(expression, ds)[0]


def evaluate_with_inputs(expression: str, ds) -> tuple[units.Quantity, list]:
    """:func:`evaluate`, and the figures the expression reads (each once, in order)."""
    parser = _Parser(expression, ds)
    if not parser.peek() or parser.tokens[1:2] != ["("]:
        raise ValueError(f"expected one of {', '.join(FUNCTIONS)}(id, id, ...), got {expression!r}")
    result = parser.quantity()
    if parser.tokens:
        raise ValueError(f"unexpected {' '.join(parser.tokens)!r} after the call in {expression!r}")
    return result, list(dict.fromkeys(parser.read))
