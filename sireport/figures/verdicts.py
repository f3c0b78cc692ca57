"""Verdicts: whether each performance target is met, decided once for the report and for ``check``.

A sentence that judges (达到/未达到 a target, 三（三） listing what was missed) and the
``targets.unmet`` rule read the same :class:`Outcome` objects, so the report and ``check``
cannot disagree. A figure is judged as it is printed: a rate at its printed precision (94.996%
shown as 95.00% meets a 95% target), a count of people as the report writes it (34990 shown as
3.50万人 meets a target of 35000 shown as 3.50万人), an achieved value written with a comparator
("99%以上", "不超过20个工作日") by the bound it states. The report words an outcome in
``phrases.j2`` (macros ``goal`` and ``got``); ``target`` and ``achieved`` are the same figures as
``check`` and the 汇总表 state them. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional, Union

from sireport.data.funds import resolve_fund
from sireport.figures import calc
from sireport.figures.printed import entered, heads, heads_read
from sireport.figures.targets import Condition, TargetError, parse_actual

NO_REASON = frozenset({"", "无", "无。"})

# (field, name in a sentence, unit of its numbers, larger is better)
ACHIEVED = (("pay_day", "待遇发放时间", "日", False),
            ("accuracy", "首次待遇发放准确率", "%", True),
            ("satisfaction", "参保群众满意率", "%", True),
            ("settlement_days", "结算拨付时间", "个工作日", False))
# key -> how check and the 汇总表 state its target and a number achieved ({}: the number and its unit);
# the report's sentences word them in phrases.j2
STATED = {"execution": ("{}以上", "{}"), "people": ("{}以上", "{}"), "pay_day": ("每月{}前", "每月{}前"),
          "accuracy": ("{}以上", "{}"), "satisfaction": ("{}以上", "{}"), "settlement_days": ("{}内", "{}")}


@dataclass(frozen=True)
class Outcome:
    """One performance target against what was achieved.

    ``goal`` and ``value`` are the numbers compared (``value``: the bound an achieved text
    states), ``entered`` the achieved value as entered (a number or a text such as "99%以上"),
    ``unit`` the unit of ``goal`` and of a number entered (人, 万人, %, 日, 个工作日); ``loc`` the
    key path of the achieved value. A report words them in ``phrases.j2`` (``p.goal``, ``p.got``).
    """

    key: str
    name: str
    met: bool
    loc: tuple
    goal: Decimal
    value: Optional[Decimal]
    entered: Union[Decimal, int, str]
    unit: str
    settings: Any = field(default=None, compare=False, repr=False)  # the report's: how a count is printed

    @property
    def target(self) -> str:
        """The target for ``check`` and the 汇总表 ("95%以上", "3.55万人以上": a count as the report prints it)."""
        return STATED[self.key][0].format(self._stated(self.goal))

    @property
    def achieved(self) -> str:
        """The achieved value for ``check`` and the 汇总表 ("89%", "每月25日前", "3.50万人"), a text as
        entered ("99%以上")."""
        if isinstance(self.entered, str):
            return self.entered
        return STATED[self.key][1].format(self._stated(self.entered))

    def _stated(self, number: Union[Decimal, int]) -> str:
        """A count as the report prints it (3.55万人, 2.40万人), any other number without trailing zeros."""
        return heads(number, self.unit, self.settings) if self.key == "people" else entered(number, self.unit)


def execution_outcome(fund, places: int) -> Optional[Outcome]:
    """The expense execution rate against its target: the 小计 (不含上下级往来) when it has a
    budget, else the fund's total expense (the line the 收支分析表 shows)."""
    goal = fund.targets.execution_rate
    line = execution_line(fund)
    if goal is None or line.execution is None:
        return None
    shown = calc.round_half_up(line.execution, places)
    return Outcome("execution", "支出预算执行率", shown >= goal, (*line.loc, "budget"), Decimal(goal), shown,
                   f"{shown}%", "%")  # computed, not entered: as shown, with its decimals


def execution_line(fund):
    """The line whose execution rate is judged against the target (one decision, used everywhere)."""
    return fund.expense_sub if fund.expense_sub.execution is not None else fund.expense


def people_outcomes(fund, settings) -> list[Outcome]:
    """Each people target against the count, judged as the report writes both (``settings``:
    the report's people_unit, people_wan_from, people_decimals)."""
    return [Outcome("people", people_label(fund, p.name),
                    heads_read(p.actual, p.unit, settings) >= heads_read(p.target, p.unit, settings),
                    (*p.loc, "actual"), Decimal(p.target), Decimal(p.actual), p.actual, p.unit, settings)
            for p in fund.people if p.actual is not None and p.target is not None]


def people_label(fund, name: str) -> str:
    """A people entry as its target is named after the fund: the fund's name not repeated
    (企业职工基本养老保险退休待遇享受人员 → 退休待遇享受人员), 人数 added unless the name
    already says who is counted (离退休人员, 参保人数)."""
    if len(name) > _LABELLED_LONGEST:  # (a long name is worked out each time: not kept)
        return _people_label.__wrapped__(fund.title, fund.source.name, name)
    return _people_label(fund.title, fund.source.name, name)


_LABELLED_LONGEST = 100  # characters of a people line's name whose label is kept


@lru_cache(maxsize=1024)  # every report names the same few people lines under the same funds
def _people_label(title: str, fund_name: str, name: str) -> str:
    kind = resolve_fund(fund_name)
    for prefix in sorted({title, fund_name, kind.name if kind else ""} - {""}, key=len, reverse=True):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
            break
    return name if name.endswith(("人员", "人数")) else f"{name}人数"


def achieved_outcomes(fund) -> list[Outcome]:
    outcomes = []
    for key, name, unit, higher in ACHIEVED:
        goal, value = getattr(fund.targets, key), getattr(fund.achieved, key)
        if goal is None or value is None:
            continue
        number, met = _judged(value, Decimal(goal), higher)
        outcomes.append(Outcome(key, name, met, (*fund.loc, "achieved", key), Decimal(goal), number, value, unit))
    return outcomes


def fund_outcomes(fund, settings) -> list[Outcome]:
    """Every target of a fund that has both a goal and an achieved value, in report order
    (``settings``: the report's, which say how a rate and a count are printed)."""
    execution = execution_outcome(fund, settings.percent_decimals)
    return [*([execution] if execution else []), *people_outcomes(fund, settings), *achieved_outcomes(fund)]


def reason_missing(fund_reason: str, report_reason: str) -> bool:
    """True when neither the fund's nor the report's 未完成原因 says anything but “无”."""
    return fund_reason.strip() in NO_REASON and report_reason.strip() in NO_REASON


def _judged(value: Union[Decimal, int, str], goal: Decimal, higher: bool) -> tuple[Optional[Decimal], bool]:
    """The number an achieved value states (a text's bound: "99%以上" states 99; None when it
    states none) and whether it meets ``goal``."""
    if not isinstance(value, str):  # a number is its own bound, both ways
        number = Decimal(value)
        return number, number >= goal if higher else number <= goal
    condition = _condition(value)
    if condition is None:
        return None, False
    return condition.value, _meets(condition, goal, higher)


def _condition(text: str) -> Optional[Condition]:
    try:
        return parse_actual(text[2:] if text.startswith("每月") else text)
    except TargetError:
        return None


def _meets(condition: Condition, goal: Decimal, higher: bool) -> bool:
    """Met only when the bound the value states is enough: "99%以上" meets ≥99, ">98%" does not."""
    bound = condition.low if higher else condition.high
    if bound is None:
        return False
    return bound.value >= goal if higher else bound.value <= goal
