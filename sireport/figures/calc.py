"""Pure arithmetic on Decimal (formulas: docs/模板指南.md §6.5). No I/O, no formatting, no globals.

Every function returns ``None`` when a figure it needs is missing or a divisor is
zero, so that a comparison can drop out of a sentence instead of printing nonsense.
Rounding happens only in :func:`round_half_up`, used when a figure is displayed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Optional

from sireport.data.rounding import round_half_up  # noqa: F401 (calc.round_half_up: the figures' one rounding)

Num = Optional[Decimal]
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)
TWELVE = Decimal(12)


def change(actual: Num, previous: Num) -> Num:
    """增减额 = actual − previous."""
    if actual is None or previous is None:
        return None
    return actual - previous


def growth(actual: Num, previous: Num) -> Num:
    """增幅 % = (actual − previous) / previous × 100; None when previous is 0 or missing."""
    if actual is None or not previous:
        return None
    return (actual - previous) / previous * HUNDRED


def execution(actual: Num, budget: Num) -> Num:
    """执行预算 % = actual / budget × 100; None when the budget is 0 or missing."""
    if actual is None or not budget:
        return None
    return actual / budget * HUNDRED


def total(values: Iterable[Num]) -> Num:
    """Sum of values; None if any is missing (a partial sum would be a wrong figure)."""
    result = Decimal(0)
    for value in values:
        if value is None:
            return None
        result += value
    return result


def subtotal(full_total: Num, transfers: Iterable[Num]) -> Num:
    """小计（不含上下级往来）= total − transfer items."""
    moved = total(transfers)
    if full_total is None or moved is None:
        return None
    return full_total - moved


def current_balance(income: Num, expense: Num) -> Num:
    """当期结余 = income total − expense total."""
    return change(income, expense)


def cumulative_balance(previous_cumulative: Num, current: Num) -> Num:
    """滚存结余 = last year's cumulative + current balance."""
    if previous_cumulative is None or current is None:
        return None
    return previous_cumulative + current


def monthly(expense: Num) -> Num:
    """月均支出 = year's expense / 12."""
    return None if expense is None else expense / TWELVE


def months_payable(balance: Num, expense: Num) -> Num:
    """可支付月数 = cumulative balance / (year's expense / 12)."""
    if balance is None or not expense:
        return None
    return balance / (expense / TWELVE)


def per_capita_monthly(amount_wan: Num, people: Num | int) -> Num:
    """人均月 (元) = amount (万元) × 10000 / people / 12."""
    if amount_wan is None or not people:
        return None
    return amount_wan * TEN_THOUSAND / Decimal(people) / TWELVE


def wan_to_yi(amount_wan: Num) -> Num:
    """万元 → 亿元."""
    return None if amount_wan is None else amount_wan / TEN_THOUSAND
