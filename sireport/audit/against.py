"""Claims against the data file: each stated figure against the figure sireport computes.

The figures come from :func:`sireport.figures.compute.compute` (the numbers a report
rendered from this data would print); nothing is recomputed here. A claim is compared
only when its key names a figure of the data; a claim the data says nothing about is
left alone. A stated figure holds when the computed one prints as it (half-up, at the
claim's decimals); 10⁴ or 10⁸ apart is reported as a unit slip.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from ..figures.calc import round_half_up
from ..figures.compute import Figures, FundFigures, Line
from .claims import Claim
from .rules import SLIP_NAMES, Issue

Num = Optional[Decimal]
LINE_ATTRS = ("income", "expense", "income_sub", "expense_sub", "treatment")
MEASURE_ATTRS = {"change": "change", "growth": "growth", "execution": "execution"}


def against_data(claims: list[Claim], figures: Figures) -> list[Issue]:
    funds: dict[str, FundFigures] = {}
    for fund in figures.funds:
        funds.setdefault(fund.key, fund)
    items = {key: _by_name(fund) for key, fund in funds.items()}
    issues: list[Issue] = []
    for claim in claims:
        if claim.scope is None or claim.scope.startswith(("group:", "table")):
            continue
        candidates = _candidates(claim, figures, funds, items)
        candidates = [value for value in candidates if value is not None]
        if not candidates or any(_holds(claim, value) for value in candidates):
            continue
        value = candidates[0]
        slip = next((name for factor, name in SLIP_NAMES.items()
                     for scaled in (value * factor, value / factor) if _holds(claim, scaled)), None)
        expected = _printed(claim, value)
        if slip:
            issues.append(Issue("audit.unit", claim, f"与数据相差{slip}倍，疑为单位写错", expected))
        else:
            issues.append(Issue("audit.data", claim, "与数据计算的结果不符", expected))
    return issues


def _holds(claim: Claim, value: Decimal) -> bool:
    if claim.measure == "per_capita":
        half = claim.ulp / 2
        return claim.value - half <= value <= claim.value + half
    low, high = claim.bounds()
    return low <= value <= high


def _printed(claim: Claim, value: Decimal) -> str:
    scaled = value if claim.measure == "per_capita" else value / claim.factor
    return f"{round_half_up(scaled, claim.places):f}{claim.unit}"


def _candidates(claim: Claim, figures: Figures, funds: dict[str, FundFigures],
                items: dict[str, dict[str, list[Line]]]) -> list[Num]:
    key = claim.key
    if key is None:
        return []
    scope, line, measure, period, _kind = key
    if scope == "all":
        return _totals(figures, line, measure, period)
    fund = funds.get(scope)
    if fund is None:
        return []
    if measure == "balance":
        return [fund.current_balance]
    if measure == "cumulative":
        return [fund.cumulative_balance]
    if measure == "months" and line == "months":
        return [fund.months.value] if fund.months else []
    if measure == "monthly":
        same_basis = fund.months is not None and fund.months.basis == claim.basis
        return [fund.months.monthly_expense] if same_basis else []
    if measure == "per_capita":
        return [p.per_capita for p in fund.people if p.per_capita_item == line]
    if claim.kind in ("people", "visits") or (claim.head is not None and claim.head.kind in ("people", "visits")):
        return _people(fund, line, measure, period)
    label = claim.head.label if claim.head is not None else claim.label
    named = items[scope]
    lines = ([getattr(fund, line)] if line in LINE_ATTRS else []) + named.get(line, []) + (
        named.get(label, []) if label != line else [])
    return [_value(found, measure, period) for found in lines]


def _by_name(fund: FundFigures) -> dict[str, list[Line]]:
    """The fund's items and their parts by name."""
    out: dict[str, list[Line]] = {}
    for item in _items(fund.income_items + fund.expense_items):
        out.setdefault(item.name, []).append(item)
    return out


def _items(lines: list[Line]) -> list[Line]:
    out = []
    for line in lines:
        out.append(line)
        out.extend(_items(line.parts))
    return out


def _value(line: Line, measure: str, period: str) -> Num:
    if measure == "amount":
        return getattr(line, period, None) if period in ("actual", "budget", "previous") else None
    attr = MEASURE_ATTRS.get(measure)
    return getattr(line, attr) if attr and period == "actual" else None


def _people(fund: FundFigures, line: str, measure: str, period: str) -> list[Num]:
    out: list[Num] = []
    for people in fund.people:
        if people.name != line:
            continue
        if measure == "people":
            value = people.target if period == "target" else people.actual if period == "actual" else None
            out.append(None if value is None else Decimal(value))
        elif measure == "change" and people.change is not None:
            out.append(Decimal(people.change))
        elif measure == "growth":
            out.append(people.growth)
    return out


def _totals(figures: Figures, line: str, measure: str, period: str) -> list[Num]:
    totals = figures.totals
    if measure == "balance":
        return [totals.current_balance]
    if measure == "cumulative":
        return [totals.cumulative_balance]
    found = {"income": totals.income_sub, "expense": totals.expense_sub, "treatment": totals.treatment}.get(line)
    return [_value(found, measure, period)] if found is not None else []
