"""One table of units (sireport.data.figure.UNITS) and one 万 decision (in_wan, persons_per):
the stated-figure parser, the printed-figure pattern, the people validator, the per-capita
figures and the plausibility check all read them, so they cannot drift apart."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sireport.data import figure
from sireport.data.figure import Figure, in_wan, parse, persons_per
from sireport.data.model import People
from sireport.figures import printed


def test_the_printed_units_are_the_table_s():
    expected = {unit: value for unit, value in figure.UNITS.items() if value[0] != "households"}
    assert expected == printed.UNITS
    assert printed.FIGURE.fullmatch("3.50万人次").group("unit") == "万人次"


@pytest.mark.parametrize("unit", ["万人", "万名", "万人次", "万户", "人", "名", "人次", "户"])
def test_a_count_in_wan_is_ten_thousand_everywhere(unit):
    wan = unit.startswith("万")
    assert in_wan(unit) is wan and persons_per(unit) == figure.UNITS[unit][1] == Decimal(10000 if wan else 1)
    assert parse(f"2.40{unit}") == Figure(Decimal("2.40"), unit)
    if wan:
        assert People(name="参保人员", unit=unit, actual="2.40").actual == Decimal("2.40")
    else:
        with pytest.raises(ValueError, match="people_whole"):
            People(name="参保人员", unit=unit, actual="2.40")


def test_a_stated_figure_is_shown_half_up_by_the_one_rounding():
    assert Figure(Decimal("1.19"), "亿元").shown(Decimal("11850"), figure.UNITS["亿元"][1]) == Decimal("1.19")
    assert Figure(Decimal("0.1")).shown(Decimal("0.05")) == Decimal("0.1")  # half-up, not half-even (0.0)
