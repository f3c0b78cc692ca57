"""Verdicts: whether each performance target is met, decided once for the report and for ``check``.

A sentence that judges (达到/未达到 a target, 三（三） listing what was missed) and the
``targets.unmet`` rule read the same :class:`Outcome` objects, so the report and ``check``
cannot disagree. A rate is judged at the precision it is printed with (94.996% shown as
95.00% meets a 95% target), an achieved value written with a comparator ("99%以上",
"不超过20个工作日") by the bound it states. Pure: no I/O, no wording beyond the short
labels a finding or a template shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, Union

from sireport.data.funds import resolve_fund
from sireport.figures import calc
from sireport.figures.printed import plain as _plain
from sireport.figures.targets import Bound, Condition, TargetError, parse_actual

NO_REASON = frozenset({"", "无", "无。"})

# (field, name in a sentence, target wording, larger is better)
ACHIEVED = (("pay_day", "待遇发放时间", "每月{}日前", False),
            ("accuracy", "首次待遇发放准确率", "{}%以上", True),
            ("satisfaction", "参保群众满意率", "{}%以上", True),
            ("settlement_days", "结算拨付时间", "{}个工作日内", False))
ACHIEVED_UNITS = {"pay_day": ("每月{}日前",), "accuracy": ("{}%",), "satisfaction": ("{}%",),
                  "settlement_days": ("{}个工作日",)}


@dataclass(frozen=True)
class Outcome:
    """One performance target against what was achieved.

    ``target`` and ``achieved`` are the values as a sentence prints them ("95%以上", "89%");
    ``value`` and ``goal`` the numbers compared; ``loc`` the key path of the achieved value.
    """

    key: str
    name: str
    target: str
    achieved: str
    met: bool
    loc: tuple
    goal: Decimal
    value: Optional[Decimal]


def execution_outcome(fund, places: int) -> Optional[Outcome]:
    """The expense execution rate against its target: the 小计 (不含上下级往来) when it has a
    budget, else the fund's total expense (the line the 收支分析表 shows)."""
    goal = fund.targets.execution_rate
    line = execution_line(fund)
    if goal is None or line.execution is None:
        return None
    shown = calc.round_half_up(line.execution, places)
    return Outcome("execution", "支出预算执行率", f"{_plain(goal)}%以上", f"{shown}%", shown >= goal,
                   (*line.loc, "budget"), Decimal(goal), shown)


def execution_line(fund):
    """The line whose execution rate is judged against the target (one decision, used everywhere)."""
    return fund.expense_sub if fund.expense_sub.execution is not None else fund.expense


def people_outcomes(fund) -> list[Outcome]:
    return [Outcome("people", people_label(fund, p.name), f"{p.target}{p.unit}以上", f"{p.actual}{p.unit}",
                    p.actual >= p.target, (*p.loc, "actual"), Decimal(p.target), Decimal(p.actual))
            for p in fund.people if p.actual is not None and p.target is not None]


def people_label(fund, name: str) -> str:
    """A people entry as its target is named after the fund: the fund's name not repeated
    (企业职工基本养老保险退休待遇享受人员 → 退休待遇享受人员), 人数 added unless the name
    already says who is counted (离退休人员, 参保人数)."""
    kind = resolve_fund(fund.source.name)
    for prefix in sorted({fund.title, fund.source.name, kind.name if kind else ""} - {""}, key=len, reverse=True):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
            break
    return name if name.endswith(("人员", "人数")) else f"{name}人数"


def achieved_outcomes(fund) -> list[Outcome]:
    outcomes = []
    for key, name, wording, higher in ACHIEVED:
        goal, value = getattr(fund.targets, key), getattr(fund.achieved, key)
        if goal is None or value is None:
            continue
        condition = _condition(value)
        met = condition is not None and _meets(condition, Decimal(goal), higher)
        outcomes.append(Outcome(key, name, wording.format(_plain(goal)), as_entered(key, value), met,
                                (*fund.loc, "achieved", key), Decimal(goal),
                                None if condition is None else condition.value))
    return outcomes


def fund_outcomes(fund, places: int) -> list[Outcome]:
    """Every target of a fund that has both a goal and an achieved value, in report order."""
    execution = execution_outcome(fund, places)
    return [*([execution] if execution else []), *people_outcomes(fund), *achieved_outcomes(fund)]


def reason_missing(fund_reason: str, report_reason: str) -> bool:
    """True when neither the fund's nor the report's 未完成原因 says anything but “无”."""
    return fund_reason.strip() in NO_REASON and report_reason.strip() in NO_REASON


def as_entered(key: str, value: Union[Decimal, int, str]) -> str:
    """An achieved value as the report prints it: text as entered, a number with its unit."""
    if isinstance(value, str):
        return value
    return ACHIEVED_UNITS[key][0].format(_plain(value))


def _condition(value: Union[Decimal, int, str]) -> Optional[Condition]:
    if not isinstance(value, str):
        number = Decimal(value)
        return Condition(Bound(number, True), Bound(number, True), "")
    text = value[2:] if value.startswith("每月") else value
    try:
        return parse_actual(text)
    except TargetError:
        return None


def _meets(condition: Condition, goal: Decimal, higher: bool) -> bool:
    """Met only when the bound the value states is enough: "99%以上" meets ≥99, ">98%" does not."""
    bound = condition.low if higher else condition.high
    if bound is None:
        return False
    return bound.value >= goal if higher else bound.value <= goal
