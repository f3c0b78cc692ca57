from decimal import Decimal as D

import pytest

from sireport.figures import calc
from sireport.figures.compute import DERIVED, Line


@pytest.mark.parametrize("value, places, expected", [
    ("2.675", 2, "2.68"),      # round() would give 2.67
    ("2.665", 2, "2.67"),
    ("-1.875", 2, "-1.88"),
    ("0.5", 0, "1"),
    ("1.5", 0, "2"),
    ("2.5", 0, "3"),           # banker's rounding would give 2
    ("98.15", 1, "98.2"),
])
def test_round_half_up(value, places, expected):
    assert calc.round_half_up(D(value), places) == D(expected)


def test_growth_and_change_hami_all_funds_income():
    # reference report: 哈密 2019 all funds income 237563 vs 225628: +11935, 5.29%
    assert calc.change(D(237563), D(225628)) == D(11935)
    assert calc.round_half_up(calc.growth(D(237563), D(225628)), 2) == D("5.29")


def test_execution_hami_income_vs_budget():
    assert calc.round_half_up(calc.execution(D(237563), D(239010)), 2) == D("99.39")


@pytest.mark.parametrize("previous", [None, D(0)])
def test_growth_is_none_without_previous(previous):
    assert calc.growth(D(100), previous) is None


@pytest.mark.parametrize("budget", [None, D(0)])
def test_execution_is_none_without_budget(budget):
    assert calc.execution(D(100), budget) is None


def test_subtotal_excludes_transfers_hami_enterprise_pension():
    # reference report: 167008 − 17102 − 27618 = 122288; 163482 − 22838 − 17102 = 123542
    assert calc.subtotal(D(167008), [D(17102), D(27618)]) == D(122288)
    assert calc.subtotal(D(163482), [D(22838), D(17102)]) == D(123542)


def test_subtotal_unknown_when_a_transfer_is_missing():
    assert calc.subtotal(D(100), [D(1), None]) is None


def test_months_payable_hejing_public_pension():
    # reference report: 和静 机关事业养老 cumulative 1040, expense 19985: monthly 1665, 0.62 months
    assert calc.round_half_up(calc.monthly(D(19985)), 0) == D(1665)
    assert calc.round_half_up(calc.months_payable(D(1040), D(19985)), 2) == D("0.62")


def test_per_capita_monthly_in_yuan():
    # 1716万元 for 2845 people over 12 months = 502.64 元
    assert calc.round_half_up(calc.per_capita_monthly(D(1716), 2845), 2) == D("502.64")
    assert calc.per_capita_monthly(D(1716), 0) is None


def test_balances():
    assert calc.current_balance(D(167008), D(163482)) == D(3526)
    assert calc.cumulative_balance(D(118905), D(3526)) == D(122431)
    assert calc.cumulative_balance(None, D(3526)) is None


def test_total_refuses_partial_sums():
    assert calc.total([D(1), D(2)]) == D(3)
    assert calc.total([D(1), None]) is None


@pytest.mark.parametrize("first", ["change", "growth", "execution", "trend", "has_budget"])
def test_a_lines_derived_figures_are_its_own_whichever_is_read_first(first):
    line = Line("保费收入", D("1250.40"), D("1200"), D("1300"), percent_places=1)
    getattr(line, first)
    expected = {"change": D("50.40"), "growth": calc.growth(D("1250.40"), D("1200")),
                "execution": calc.execution(D("1250.40"), D("1300")), "trend": "up"}
    assert {name: getattr(line, name) for name in DERIVED} == expected
    assert {name: getattr(line, name) for name in DERIVED} == expected  # read again: the kept values
    assert line.__dict__["growth"] == expected["growth"]  # kept as the line's own attribute
    other = Line("利息收入", D("50"), D("50"), None)  # lines do not share what they keep
    assert (other.change, other.growth, other.execution, other.trend) == (D(0), D(0), None, "flat")
    assert line.change == D("50.40")
