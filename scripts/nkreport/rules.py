"""The rules of the data that Table Schema cannot express.

Ranges, percentages, bibliography keys, periods, the quote that states a
value, the metadata the report prints and the changelog entry for the
package's version.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import inputrules
from .errors import Problem, display_path, position, read_text
from .numbers import extract


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


VALUE_FIELDS = ("value", "low", "high")


def _values(row: dict):
    """(field, number) for each numeric cell of ``row`` that is a finite number (inputrules names the rest)."""
    for field in VALUE_FIELDS:
        number = _number(row.get(field) or "")
        if number is not None and number.is_finite():
            yield field, number


def value_domain(row: dict):
    """(field, message) for each value outside its unit's domain, in any table with value/low/high and unit."""
    unit = row.get("unit", "")
    for field, number in _values(row):
        if unit.startswith("people") and number < 0:
            yield field, f"{row[field]} is not a number of people: expected 0 or more"
        elif unit == "people" and number != number.to_integral_value():
            yield field, f"{row[field]} is not a whole number of people: expected a count such as 1396"
        elif unit == "percent" and not 0 <= number <= 100:
            yield field, f"{row[field]} is not a percentage between 0 and 100"


def quote_states_value(row: dict):
    """(field, message) for each value its own quote does not state, when the quote states numbers in digits.

    A quote in words only ("a dozen", "half") is not checked; where it has
    digits, every value must be one of the numbers it states, in digits or
    words (a change may be stated without its sign: "fell 48 percent").
    """
    numbers = list(extract(row.get("quote", "")))
    if not any(n.text[:1].isdigit() for n in numbers):
        return
    stated = set().union(*(n.values for n in numbers))
    for field, number in _values(row):
        if number not in stated and -number not in stated:
            said = ", ".join(dict.fromkeys(n.text for n in numbers))
            yield field, f"{row[field]} is not stated by the row's quote: expected one of its numbers ({said})"


def _row_rules(table: str, row: dict, bib_keys: set[str]):
    """(field, message) for each rule the row breaks."""
    for field in ("source", "post"):
        # A post is named only for rows the archive relays.
        if field == "source" and field in row and not row[field]:
            yield field, "empty source key: expected a key of references.bib"
        elif row.get(field) and row[field] not in bib_keys:
            yield field, f"unknown source key {row[field]!r}: expected a key of references.bib"
    if table == "official" and not (row["cell"] or row["quote"]):
        yield "cell", "expected where the value stands in the copy (cell) or the phrase that states it (quote)"
    for start, end in (("period_start", "period_end"), ("date_start", "date_end")):
        if row.get(start) and row.get(end) and row[start] > row[end]:
            yield start, f"{row[start]} is after {end} {row[end]}"
    yield from value_domain(row)
    if table != "figures":
        return
    low, high = _number(row["low"]), _number(row["high"])
    if row["value"] and (row["low"] or row["high"]):
        yield "value", "give either value or low and high, not both"
    elif not row["value"] and not (row["low"] and row["high"]):
        yield "value", "expected a value, or both low and high for a range"
    if low is not None and high is not None and low > high:
        yield "low", f"low {row['low']} is above high {row['high']}"
    yield from quote_states_value(row)


def check_rules(data_dir: Path, tables: dict[str, list[dict]], descriptor: dict, bib_keys: set[str]) -> list[Problem]:
    """The rules Table Schema cannot express."""
    problems: list[Problem] = []
    # Press and official figures share one namespace of ids (the {fig} role looks in both).
    press_ids = {row["id"] for row in tables.get("figures", [])}
    for resource in descriptor["resources"]:
        if resource["name"] == "official":
            shown = display_path(data_dir / resource["path"])
            problems += [
                Problem(shown, row["_line"], 1,
                        f"id: {row['id']!r} is already a figure of figures.csv: expected a new id")
                for row in tables["official"] if row["id"] in press_ids
            ]
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        shown = display_path(data_dir / resource["path"])
        for row in tables[resource["name"]]:
            # Each cell once, by the first rule it breaks (756 percent is out of range before it is unquoted).
            broken = dict(reversed([*inputrules.cell_problems(resource["name"], row, resource["schema"]),
                                    *_row_rules(resource["name"], row, bib_keys)]))
            problems += [
                Problem(shown, row["_line"], fields.index(field) + 1, f"{field}: {message}")
                for field, message in broken.items()
            ]
    return problems


# What the report prints from the package's metadata, and the form each must have.
METADATA_FORMATS = {
    "version": (re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"), "a version MAJOR.MINOR.PATCH such as 2.0.1"),
    "updated": (re.compile(r"\d{4}-\d\d-\d\d"), "a date YYYY-MM-DD"),
}


def check_metadata(data_dir: Path, descriptor: dict) -> list[Problem]:
    """The version and date the report prints on every page: exactly their form, nothing else."""
    path = data_dir / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    problems = []
    for key, (form, expected) in METADATA_FORMATS.items():
        value = descriptor.get(key)
        if isinstance(value, str) and form.fullmatch(value) and (key != "updated" or _is_date(value)):
            continue
        found = re.search(rf'"{key}"\s*:\s*', text)
        line, column = position(text, found.end()) if found else (1, 1)
        shown = "missing" if value is None else f"{json.dumps(value)}"
        problems.append(Problem(display_path(path), line, column, f"{key}: {shown}: expected {expected}"))
    return problems


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


CHANGELOG_ENTRY = re.compile(r"^## (\S+) — (\d{4}-\d\d-\d\d)\s*$", re.M)


def check_changelog(data_dir: Path, descriptor: dict) -> list[Problem]:
    """The newest CHANGELOG.md entry must name the package's version and date (the report's stamp)."""
    path = data_dir / "CHANGELOG.md"
    stamp = f"{descriptor.get('version')} — {descriptor.get('updated')}"
    if not path.exists():
        expected = f"missing: expected a data changelog whose newest entry is '## {stamp}'"
        return [Problem(display_path(path), 1, 1, expected)]
    text = read_text(path)
    newest = CHANGELOG_ENTRY.search(text)
    if newest and newest.groups() == (descriptor.get("version"), descriptor.get("updated")):
        return []
    line = text.count("\n", 0, newest.start()) + 1 if newest else 1
    found = f"'{newest[0].strip()}'" if newest else "no '## VERSION — DATE' entry"
    return [Problem(
        display_path(path), line, 1,
        f"newest entry is {found}, but datapackage.json has version and updated '{stamp}': add an entry for it",
    )]
