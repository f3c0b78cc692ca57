"""Scoring rules (docs/评分规则.md) as pure functions; expected figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from sireport.figures import scoring
from sireport.figures.targets import parse_actual, parse_target


def score(target: str, actual: str, weight: int = 10) -> D:
    return scoring.quantitative_score(parse_target(target), parse_actual(actual).value, D(weight))


def test_execution_rate_and_score():
    # bureau 社会保险业务专项经费: 592.14 / 637.5 = 0.92884705… → 92.88%, × 10 = 9.2884… → 9.29
    rate = scoring.execution_rate(D("592.14"), D("637.5"))
    assert str(rate)[:7] == "92.8847"
    assert scoring.execution_score(rate, D(10)) == D("9.29")


def test_execution_score_round_rate_first():
    # bureau 扩面征缴: 144.5 / 150 = 96.333…%; shown as 96% → 9.6; unrounded → 9.63
    rate = scoring.execution_rate(D("144.5"), D(150))
    assert scoring.execution_score(rate, D(10)) == D("9.63")
    assert scoring.execution_score(rate, D(10), shown_places=0) == D("9.60")


def test_execution_score_is_capped_at_the_weight():
    assert scoring.execution_score(D("104.63"), D(10)) == D("10.00")
    assert scoring.execution_rate(D(5), None) is None
    assert scoring.execution_rate(D(5), D(0)) is None


def test_at_least_rule():
    assert score("≥95%", "96%") == D("10.00")
    assert score("≥95%", "95%") == D("10.00")
    assert score("≥11144人", "11074人", 5) == D("4.97")  # 11074/11144 × 5 = 4.9686
    assert score(">90%", "85%") == D("9.44")  # 85/90 × 10 = 9.444


def test_at_most_rule():
    assert score("≤1%", "0.5%") == D("10.00")
    assert score("≤2%", "4%") == D("5.00")  # 2/4 × 10
    assert score("≤0", "3") == D("0.00")  # the “= 0” type: not met → 0
    assert score("=0", "1") == D("0.00")
    assert score("=0", "0") == D("10.00")


def test_range_rule():
    assert score("≥90%或≤110%", "110%") == D("10.00")
    assert score("≥90%或≤110%", "81%") == D("9.00")  # 81/90 × 10
    assert score("≥90%或≤110%", "121%") == D("9.00")  # 1 − (121 − 110)/110 = 0.9
    assert score("6-9个月", "18个月") == D("0.00")  # deviation 9/9: nothing left
    assert score("6-9个月", "3个月") == D("5.00")


def test_met_with_a_bound_as_actual():
    assert scoring.is_met(parse_target("<0.1%"), parse_actual("<0.1%")) is True
    assert scoring.is_met(parse_target("≤2%"), parse_actual("≤2%")) is True
    assert scoring.is_met(parse_target("≤2%"), parse_actual("≤3%")) is None


def test_qualitative_bands():
    assert scoring.qualitative_score("达成", D(5), None) == D("5.00")
    assert scoring.qualitative_score("部分达成", D(5), D(4)) == D("4.00")  # 80% is the top of 部分达成
    assert scoring.qualitative_score("部分达成", D(5), None) is None
    assert scoring.qualitative_score("达成", D(10), D("7.9")) is None  # below 80%
    assert scoring.qualitative_score("未达成", D(10), D(6)) == D("6.00")
    assert scoring.grade_band("部分达成", D(15)) == (D("9.00"), D("12.00"))


@pytest.mark.parametrize("total, grade", [(D(100), "优"), (D(90), "优"), (D("89.99"), "良"), (D(80), "良"),
                                          (D("79.5"), "中"), (D(60), "中"), (D("59.99"), "差"), (D(0), "差")])
def test_overall_grade(total, grade):
    assert scoring.overall_grade(total) == grade


def test_scores_round_half_up():
    assert scoring.round_score(D("2.675")) == D("2.68")  # round() would give 2.67
    assert scoring.total_score([D("9.29"), None, D("89")]) == D("98.29")


def test_stated_values_compare_at_their_own_decimals():
    assert scoring.agrees(D(96), D("96.3333"))
    assert not scoring.agrees(D("92.80"), D("92.8847"))
    assert scoring.agrees(D("92.88"), D("92.8847"))
    assert not scoring.agrees(D("9.28"), D("9.29"))
