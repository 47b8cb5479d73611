"""Units are part of the data roles: rendered numbers carry the data's unit, and mixing units is refused."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from buildtools import REPO, copy_project, sphinx
from conftest import line_of
from nkreport import derived, formatting
from nkreport.calc import data_units, evaluate
from nkreport.units import UnitError


def figures_in(unit: str, count: int = 2) -> list[str]:
    """``count`` figures in ``unit``, whatever the data holds: single values first, then ``id.low`` of ranges."""
    figures = sorted((f for f in REPO.load().figures.values() if f.unit == unit), key=lambda f: f.is_range)
    found = [f"{f.id}.low" if f.is_range else f.id for f in figures]
    assert len(found) >= count, f"the data has fewer than {count} figures in {unit}"
    return found[:count]


def rendered(expression: str) -> str:
    result = evaluate(expression, REPO.load())
    return formatting.quantity(result.value, result.unit)


def test_sums_and_differences_keep_their_unit():
    ds = REPO.load()
    grant, housing = figures_in("USD")
    total = evaluate(f"total({grant}, {housing})", ds)
    assert (total.value, total.unit) == (ds.value(grant) + ds.value(housing), "USD")
    assert rendered(f"total({grant}, {housing})") == f"${formatting.number(total.value)}"
    before, after = figures_in("people")
    assert rendered(f"difference({before}, {after})") == formatting.number(ds.value(after) - ds.value(before))


def test_percent_change_and_share_are_percentages():
    ds = REPO.load()
    before, after = figures_in("people")
    change = derived.percent_change(ds.value(before), ds.value(after))
    assert rendered(f"percent_change({before}, {after})") == f"{change}%"
    assert rendered(f"share({before}, {after}, places=0)") == f"{derived.share(ds.value(before), ds.value(after), 0)}%"


def test_the_difference_of_two_percentages_is_in_percentage_points():
    first, second = figures_in("percent")
    assert re.fullmatch(r"-?[\d.,]+ percentage points?", rendered(f"difference({first}, {second})"))


def test_a_ratio_of_like_units_is_a_plain_number():
    first, second = figures_in("people")
    result = evaluate(f"ratio({first}, {second})", REPO.load())
    assert rendered(f"ratio({first}, {second})") == formatting.number(result.value)


def test_dividing_by_a_rate_and_multiplying_by_a_duration_give_the_rate_s_other_unit():
    [pay], [rate] = figures_in("KRW", 1), figures_in("KRW per USD", 1)
    assert evaluate(f"ratio({pay}, {rate})", REPO.load()).unit == "USD"
    [stipend] = figures_in("USD per month", 1)
    assert rendered(f"product({stipend}, 8 months)").startswith("$")
    assert evaluate(f"total(product({stipend}, 8 months), {figures_in('USD', 1)[0]})", REPO.load()).unit == "USD"


@pytest.mark.parametrize(("template", "message"), [
    ("total({usd}, {people})", "total() cannot combine {usd} (USD) with {people} (people): expected one unit"),
    ("difference({people}, -{usd})",
     "difference() cannot combine {people} (people) with -{usd} (USD): expected one unit"),
    ("share({usd}, {people})", "share() cannot combine {usd} (USD) with {people} (people): expected one unit"),
    ("ratio({people}, {usd})",
     "ratio() cannot divide {people} (people) by {usd} (USD): the data has no unit for the result"),
    ("product({people}, {percent})",
     "product() cannot multiply {people} (people) by {percent} (percent): the data has no unit for the result"),
])
def test_mixing_units_is_refused_naming_the_figures(template, message):
    names = {"usd": figures_in("USD", 1)[0], "people": figures_in("people", 1)[0],
             "percent": figures_in("percent", 1)[0]}
    with pytest.raises(UnitError) as caught:
        evaluate(template.format(**names), REPO.load())
    assert str(caught.value) == message.format(**names)


def test_a_typed_number_may_name_a_unit_of_the_data():
    assert evaluate("total(1, 2 years)", REPO.load()).unit == "years"
    with pytest.raises(ValueError, match=r"^unknown unit 'parsecs' after 2: expected one of "):
        evaluate("total(1, 2 parsecs)", REPO.load())


def test_every_unit_the_data_allows_can_be_rendered():
    for unit in sorted(data_units(REPO.load())):
        assert "2" in formatting.quantity(Decimal(2), unit), unit


def test_negative_dollars_put_the_sign_first():
    assert formatting.quantity(Decimal(-30), "USD") == "-$30"


def test_round_millions_read_as_the_press_states_them_and_other_amounts_in_full():
    # "W1.41 million" in the source, never "1,410,000 won"; an exact count keeps every digit.
    assert formatting.quantity(Decimal(1410000), "KRW") == "1.41 million won"
    assert formatting.quantity(Decimal(12300000), "people") == "12.3 million"
    assert formatting.quantity(Decimal(-2000000), "USD") == "-$2 million"
    assert formatting.quantity(Decimal(1234567), "people") == "1,234,567"
    assert formatting.quantity(Decimal(990000), "people") == "990,000"


@pytest.mark.build
def test_chapters_are_told_where_units_mix_or_are_typed_twice(tmp_path, chart_cache):
    root = copy_project(tmp_path / "project", charts_from=chart_cache)
    chapter = root / "report" / "market-survey.md"
    usd, people = figures_in("USD", 1)[0], figures_in("people", 2)
    with chapter.open("a", encoding="utf-8") as text:
        text.write(f"\n\nMixed: {{calc}}`total({usd}, {people[0]})`.\n\n"
                   f"Typed twice: {{calc}}`share({people[0]}, {people[1]})`% of them.\n")
    result = sphinx(root, "dummy", tmp_path / "out", check=False)  # roles are checked while chapters are read
    assert result.returncode != 0
    mixed, typed = line_of(chapter, "Mixed:"), line_of(chapter, "Typed twice:")
    assert re.search(
        rf"report/market-survey\.md:{mixed}: ERROR: {{calc}}: total\(\) cannot combine {usd} \(USD\) "
        rf"with {people[0]} \(people\): expected one unit", result.stdout), result.stdout[-3000:]
    assert re.search(
        rf"report/market-survey\.md:{typed}: WARNING: '%' typed after {{calc}}, which renders '[\d.]+%' "
        r"with the unit the data states: remove the typed '%'", result.stdout), result.stdout[-3000:]


def test_an_amount_stated_in_millions_is_shown_in_millions_not_more_precisely():
    """'W1.41 million' renders as '1.41 million won', never '1,410,000 won'."""
    in_millions = [f for f in REPO.load().figures.values() if f.value is not None and abs(f.value) >= 10**6]
    assert in_millions, "the data has no figure of a million or more"
    for f in in_millions:
        shown = formatting.figure(f)
        assert re.search(r"\d million", shown), (f.id, shown)
        assert shown.removeprefix("$").split(" million")[0] + " million" in f.quote, (f.id, shown, f.quote)
    assert formatting.quantity(Decimal(1234567), "people") == "1,234,567"
