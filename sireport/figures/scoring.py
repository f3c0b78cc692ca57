"""Scoring rules of the self-evaluation table (docs/评分规则.md): pure functions on Decimal.

No I/O, no formatting. Every score is rounded to 2 decimals half-up
(:func:`sireport.figures.calc.round_half_up`); the 总分 is the sum of the rounded scores, as the
table shows them. The rules are documented for clerks in docs/评分规则.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Optional

from sireport.figures.calc import HUNDRED, execution, round_half_up
from sireport.figures.targets import Condition

ZERO = Decimal(0)
ONE = Decimal(1)
SCORE_PLACES = 2
FULL_MARKS = HUNDRED

# 定性指标的评价等级 → 得分占分值的区间（含两端）
GRADE_BANDS: dict[str, tuple[Decimal, Decimal]] = {
    "达成": (Decimal("0.8"), ONE),
    "部分达成": (Decimal("0.6"), Decimal("0.8")),
    "未达成": (ZERO, Decimal("0.6")),
}

# 总分 → 评价等级（下限含）
OVERALL_GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (ZERO, "差"),
)


def round_score(value: Decimal) -> Decimal:
    return round_half_up(value, SCORE_PLACES)


def execution_rate(executed: Optional[Decimal], budget: Optional[Decimal]) -> Optional[Decimal]:
    """预算执行率 % = 全年执行数 / 全年预算数 × 100 (unrounded); None without a budget."""
    return execution(executed, budget)


def execution_score(rate: Decimal, weight: Decimal, shown_places: Optional[int] = None) -> Decimal:
    """预算执行率得分 = rate × weight, capped at the weight.

    ``shown_places`` (the round-rate-first setting) rounds the rate to the decimals the
    table shows before scoring: 144.5/150 = 96.33% shown as 96% scores 9.6 of 10.
    """
    if shown_places is not None:
        rate = round_half_up(rate, shown_places)
    share = min(max(rate, ZERO) / HUNDRED, ONE)
    return round_score(share * weight)


def is_met(target: Condition, actual: Condition) -> Optional[bool]:
    """Whether ``actual`` satisfies ``target``; None when an actual bound cannot tell."""
    if actual.exact:
        return _inside(target, actual.value)
    # the actual is itself a bound ("<0.1%"): met when every value it allows is inside the target;
    # otherwise it cannot tell (None)
    if actual.low is None and actual.high is not None and target.high is not None and target.low is None:
        inside = actual.high.value < target.high.value or (
            actual.high.value == target.high.value and (target.high.inclusive or not actual.high.inclusive))
        return True if inside else None
    if actual.high is None and actual.low is not None and target.low is not None and target.high is None:
        inside = actual.low.value > target.low.value or (
            actual.low.value == target.low.value and (target.low.inclusive or not actual.low.inclusive))
        return True if inside else None
    return None


def _inside(target: Condition, value: Decimal) -> bool:
    low, high = target.low, target.high
    if low is not None and (value < low.value or (value == low.value and not low.inclusive)):
        return False
    return high is None or value < high.value or (value == high.value and high.inclusive)


def quantitative_score(target: Condition, actual: Decimal, weight: Decimal) -> Decimal:
    """Score of a numeric indicator whose actual value is ``actual``.

    - met: full weight;
    - ``= N``: otherwise 0;
    - ``≥ T`` / ``> T`` missed: actual / T × weight;
    - ``≤ T`` / ``< T`` missed: T / actual × weight (0 when T is 0: the “= 0” type);
    - range missed: weight × (1 − deviation / nearest bound), deviation = distance to that bound
      (below the range this equals actual / lower bound); never below 0.
    """
    if _inside(target, actual):
        return round_score(weight)
    if target.exact:
        return ZERO.quantize(Decimal("0.01"))
    low, high = target.low, target.high
    if low is not None and actual <= low.value:
        share = actual / low.value if low.value > 0 else ZERO
    elif high is not None and high.value > 0 and actual > 0:
        share = high.value / actual if low is None else ONE - (actual - high.value) / high.value
    else:
        share = ZERO
    return round_score(min(max(share, ZERO), ONE) * weight)


def grade_band(grade: str, weight: Decimal) -> tuple[Decimal, Decimal]:
    """Lowest and highest score a qualitative grade allows (2 decimals)."""
    low, high = GRADE_BANDS[grade]
    return round_score(low * weight), round_score(high * weight)


def qualitative_score(grade: str, weight: Decimal, given: Optional[Decimal]) -> Optional[Decimal]:
    """The clerk's score for a graded indicator; 达成 without a score is full marks.

    None when the score is missing (部分达成/未达成 need one) or outside the grade's band.
    """
    if given is None:
        return round_score(weight) if grade == "达成" else None
    low, high = grade_band(grade, weight)
    score = round_score(given)
    return score if low <= score <= high else None


def total_score(scores: Iterable[Optional[Decimal]]) -> Decimal:
    return round_score(sum((s for s in scores if s is not None), ZERO))


def overall_grade(total: Decimal) -> str:
    """优 ≥90, 良 80–<90, 中 60–<80, 差 <60."""
    for floor, name in OVERALL_GRADES:
        if total >= floor:
            return name
    return OVERALL_GRADES[-1][1]


def agrees(stated: Decimal, computed: Decimal) -> bool:
    """A stated figure agrees when the computed one, rounded to the stated decimals, equals it."""
    places = max(0, -stated.as_tuple().exponent) if isinstance(stated.as_tuple().exponent, int) else 0
    return round_half_up(computed, places) == stated
