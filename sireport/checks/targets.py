"""Targets: a performance target not met while the report gives no reason.

The reason belongs in 三（三）项目绩效目标未完成原因分析 (``text.unmet``); when it is empty
or says only "无", every unmet target is listed: expense execution below the target rate,
people below the target count, pay day, accuracy, satisfaction and settlement days.
"""

from __future__ import annotations

from decimal import Decimal

from sireport.figures.compute import FundFigures

from .base import Context, percent

NO_REASON = {"", "无", "无。"}


def check(ctx: Context) -> None:
    if ctx.report.text.unmet.strip() not in NO_REASON:
        return
    for fund in ctx.figures.funds:
        _execution(ctx, fund)
        for people in fund.people:
            if people.actual is not None and people.target is not None and people.actual < people.target:
                _unmet(ctx, fund, (*people.loc, "actual"), f"“{people.name}”人数", f"不少于 {people.target}",
                       people.actual)
        _achieved(ctx, fund)


def _unmet(ctx: Context, fund: FundFigures, loc: tuple, what: str, expected: object, found: object) -> None:
    ctx.add("targets.unmet", loc, f"{fund.title}{what}未达到绩效目标，且“绩效目标未完成原因分析”"
            f"未说明原因", expected, found)


def _execution(ctx: Context, fund: FundFigures) -> None:
    target = fund.targets.execution_rate
    line = fund.expense_sub if fund.expense_sub.execution is not None else fund.expense
    rate = line.execution
    if target is None or rate is None or rate >= target:
        return
    places = ctx.report.report.percent_decimals
    _unmet(ctx, fund, (*line.loc, "budget"), "支出预算执行率", f"不低于 {target}%", percent(rate, places))


# (field, Chinese name, True when a larger achieved value is better)
ACHIEVED = (("pay_day", "待遇发放日", False), ("accuracy", "首次发放准确率", True),
            ("satisfaction", "满意率", True), ("settlement_days", "结算拨付工作日数", False))


def _achieved(ctx: Context, fund: FundFigures) -> None:
    for key, name, higher_is_better in ACHIEVED:
        target, achieved = getattr(fund.targets, key), getattr(fund.achieved, key)
        if target is None or achieved is None:
            continue
        target, achieved = Decimal(target), Decimal(achieved)
        met = achieved >= target if higher_is_better else achieved <= target
        if not met:
            _unmet(ctx, fund, (*fund.loc, "achieved", key), name,
                   f"{'不低于' if higher_is_better else '不超过'} {target}", achieved)
