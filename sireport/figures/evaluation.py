"""From an ``evaluation:`` (or ``project:``) section to the scored table a document shows.

Joins the parts: actual values referenced from the fund figures (``from:``), targets
read by :mod:`sireport.figures.targets`, scores by :mod:`sireport.figures.scoring`. Errors (weights not
totalling 100, a target that cannot be read, an actual of the wrong kind) are collected
and raised once as a :class:`DataError` naming file:line and the key path of each
indicator; questionable but usable data become warnings (:class:`sireport.findings.Finding`,
the type every check rule reports with; codes ``evaluation.*``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from sireport.data import references
from sireport.data.evaluation_model import Evaluation, Indicator, MoneyRow
from sireport.errors import DataError, ProblemList
from sireport.figures import scoring
from sireport.figures.printed import dec
from sireport.figures.printed import plain as _plain
from sireport.figures.targets import Bound, Condition, TargetError, parse_actual, parse_target
from sireport.findings import Finding

Where = Callable[[tuple], str]


@dataclass
class Row:
    """One indicator row as the table shows it; merge flags drive the vertical merges."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Optional[Decimal]
    score: Optional[Decimal]
    reason: str
    met: Optional[bool]
    level1_merge: str = "restart"  # "restart" on the first row of its 一级 group, else "continue"
    level2_merge: str = "restart"
    level1_span: int = 1  # rows the 一级 cell spans (on the first row of the group; 0 below it)
    level2_span: int = 1

    @property
    def level1_cell(self) -> str:
        """The 一级 text on the first row of its group, empty on the merged rows below."""
        return self.level1 if self.level1_merge == "restart" else ""

    @property
    def level2_cell(self) -> str:
        return self.level2 if self.level2_merge == "restart" else ""


@dataclass
class MoneyLine:
    name: str
    initial: Optional[Decimal]
    budget: Optional[Decimal]
    executed: Optional[Decimal]
    rate: Optional[Decimal]  # unrounded %


@dataclass
class Table:
    """A scored self-evaluation table, ready for the Word template and the Excel export."""

    title: str
    year: int
    project_name: str
    budget_unit: str
    department: str
    implementing_unit: str
    money: MoneyLine
    money_parts: list[MoneyLine]
    money_weight: Optional[Decimal]
    money_score: Optional[Decimal]
    goals_expected: str
    goals_actual: str
    rows: list[Row]
    scored: bool
    total_weight: Optional[Decimal]
    total_score: Optional[Decimal]
    grade: Optional[str]
    percent_decimals: int
    kind: str = "fund"  # "fund": 附表 of a fund report (预算单位 row); "project": 项目支出绩效自评表


@dataclass
class Evaluated:
    table: Table
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Context:
    where: Where
    figures: Any  # sireport.figures.compute.Figures or None (a project table has no fund figures)
    places: int
    scored: bool
    problems: ProblemList = field(default_factory=ProblemList)
    findings: list[Finding] = field(default_factory=list)

    def error(self, loc: tuple, message: str) -> None:
        self.problems.add(self.where(loc), message)

    def warn(self, code: str, loc: tuple, message: str, expected: str | None = None,
             found: str | None = None) -> None:
        self.findings.append(Finding(code, "warning", self.where(loc), message, expected, found))


def evaluate(evaluation: Evaluation, loc: tuple, where: Where, *, year: int, unit: str = "",
             percent_decimals: int = 2, figures: Any = None) -> Evaluated:
    """Score ``evaluation`` (found at key path ``loc``); raise DataError listing every problem."""
    settings = evaluation.settings
    places = settings.percent_decimals if settings.percent_decimals is not None else percent_decimals
    has_weights = evaluation.money.weight is not None or any(
        ind.weight is not None for first in evaluation.indicators for g in first.groups for ind in g.indicators)
    scored = settings.show_scores if settings.show_scores is not None else has_weights
    ctx = _Context(where, figures, places, scored)
    rows = _rows(evaluation, loc, ctx)
    money, parts, money_score = _money(evaluation, loc, ctx)
    total_weight = total = grade = None
    if scored:
        total_weight = sum((r.weight for r in rows if r.weight is not None), Decimal(0)) + (
            evaluation.money.weight or Decimal(0))
        if total_weight != scoring.FULL_MARKS:
            ctx.error((*loc, "indicators"), f"分值合计为{_plain(total_weight)}（指标"
                      f"{_plain(total_weight - (evaluation.money.weight or 0))}，预算执行率"
                      f"{_plain(evaluation.money.weight or 0)}），应为100")
        total = scoring.total_score([money_score, *(r.score for r in rows)])
        grade = scoring.overall_grade(total)
        if evaluation.stated_total is not None and not scoring.agrees(evaluation.stated_total, total):
            ctx.warn("evaluation.stated_total", (*loc, "stated_total"),
                     f"原文总分{_plain(evaluation.stated_total)}与计算值{_plain(total)}不一致",
                     _plain(total), _plain(evaluation.stated_total))
    ctx.problems.raise_if_any(DataError, "绩效自评表有问题，未生成文件")
    table = Table(
        title=evaluation.title, year=year, project_name=evaluation.project_name,
        budget_unit=evaluation.budget_unit or unit, department=evaluation.department,
        implementing_unit=evaluation.implementing_unit, money=money, money_parts=parts,
        money_weight=evaluation.money.weight if scored else None, money_score=money_score,
        goals_expected=evaluation.goals.expected, goals_actual=evaluation.goals.actual, rows=rows,
        scored=scored, total_weight=total_weight, total_score=total, grade=grade, percent_decimals=places)
    return Evaluated(table, ctx.findings)


def _rows(evaluation: Evaluation, loc: tuple, ctx: _Context) -> list[Row]:
    rows: list[Row] = []
    for i, first in enumerate(evaluation.indicators):
        first_rows: list[Row] = []
        for j, group in enumerate(first.groups):
            group_rows = []
            for k, indicator in enumerate(group.indicators):
                ind_loc = (*loc, "indicators", i, "groups", j, "indicators", k)
                group_rows.append(_row(indicator, first.name, group.name, ind_loc, ctx))
            _mark_merge(group_rows, "level2")
            first_rows += group_rows
        _mark_merge(first_rows, "level1")
        rows += first_rows
    return rows


def _mark_merge(rows: list[Row], level: str) -> None:
    for index, row in enumerate(rows):
        setattr(row, f"{level}_merge", "restart" if index == 0 else "continue")
        setattr(row, f"{level}_span", len(rows) if index == 0 else 0)


def _row(ind: Indicator, level1: str, level2: str, loc: tuple, ctx: _Context) -> Row:
    actual_text, actual_value = _actual(ind, loc, ctx)
    row = Row(level1, level2, ind.name, ind.target, actual_text, ind.weight, None, ind.reason, None)
    if ctx.scored and ind.weight is None:
        ctx.error((*loc, "weight"), "评分表中每个指标都要填写分值")
    if ind.score is not None and ind.grade is None:
        ctx.error((*loc, "score"), "定量指标的得分由程序计算；如需人工评定，请同时填写定性评价（达成/部分达成/未达成）")
        return row
    condition = None
    if ind.grade is None and ind.kind != "定性":
        try:
            condition = parse_target(ind.target, strict=ind.kind == "定量")
        except TargetError as exc:
            ctx.error((*loc, "target"), f"指标值{exc}")
            return row
    elif ind.grade is not None and ind.kind == "定量":
        ctx.error((*loc, "grade"), "定量指标按实际完成值计算得分，不能填写定性评价；人工评定请把指标类型改为“定性”")
        return row
    if condition is not None:
        _score_quantitative(row, ind, condition, actual_value, loc, ctx)
    else:
        _score_qualitative(row, ind, loc, ctx)
    if row.met is False and not ind.reason.strip():
        ctx.warn("evaluation.no_reason", (*loc, "reason"),
                 f"指标“{ind.name}”未完全达到目标（指标值{ind.target}，实际{actual_text or '未填'}），"
                 "应填写偏差原因分析及改进措施", "偏差原因", "空")
    if ind.stated_score is not None and row.score is not None and not scoring.agrees(ind.stated_score, row.score):
        ctx.warn("evaluation.stated_score", (*loc, "stated_score"),
                 f"指标“{ind.name}”原文得分{_plain(ind.stated_score)}与计算值{_plain(row.score)}不一致",
                 _plain(row.score), _plain(ind.stated_score))
    return row


def _score_quantitative(row: Row, ind: Indicator, target: Condition, actual: Optional[Condition],
                        loc: tuple, ctx: _Context) -> None:
    if actual is None:
        if row.actual.strip():
            ctx.error((*loc, "actual"), f"指标值“{ind.target}”是数值条件，实际完成值应为数值（如96%、"
                      f"11074人），实际为“{row.actual}”；如属定性指标，请把指标类型填为“定性”并填写定性评价")
        elif ctx.scored and ind.source is None:
            ctx.error((*loc, "actual"), "缺少实际完成值（填写实际完成值，或填写取数来源）")
        elif ctx.scored:
            return  # the from: reference has already been reported
        else:
            ctx.warn("evaluation.no_actual", (*loc, "actual"), f"指标“{ind.name}”未填写实际完成值", "实际完成值", "空")
        return
    unit = target.unit or ind.unit
    if actual.unit and unit and actual.unit != unit:
        ctx.error((*loc, "actual"), f"实际完成值的单位“{actual.unit}”与指标值的单位“{unit}”不同")
        return
    met = scoring.is_met(target, actual)
    if met is None:
        ctx.error((*loc, "actual"), f"实际完成值“{row.actual}”是一个范围，无法判断是否达到“{ind.target}”，请填写具体数值")
        return
    row.met = met
    if ind.weight is not None and ctx.scored:
        row.score = scoring.round_score(ind.weight) if met else scoring.quantitative_score(
            target, actual.value, ind.weight)
        row.met = row.score == scoring.round_score(ind.weight)


def _score_qualitative(row: Row, ind: Indicator, loc: tuple, ctx: _Context) -> None:
    grade = ind.grade
    if grade is None and row.actual and row.actual == ind.target:
        grade = "达成"  # the actual restates the target word for word
    if grade is None:
        if ctx.scored:
            ctx.error((*loc, "grade"), f"定性指标“{ind.name}”须填写定性评价（达成/部分达成/未达成）"
                      "；实际完成值与指标值文字相同时视为达成")
        return
    if ind.weight is None or not ctx.scored:
        row.met = grade == "达成"
        return
    score = scoring.qualitative_score(grade, ind.weight, ind.score)
    if score is None:
        low, high = scoring.grade_band(grade, ind.weight)
        found = f"，实际为{_plain(ind.score)}" if ind.score is not None else ""
        ctx.error((*loc, "score"), f"评价等级为“{grade}”时得分应在{_plain(low)}至{_plain(high)}之间{found}")
        return
    row.score = score
    row.met = score == scoring.round_score(ind.weight)


def _actual(ind: Indicator, loc: tuple, ctx: _Context) -> tuple[str, Optional[Condition]]:
    """The displayed actual text and its numeric reading (None when not numeric)."""
    if ind.source is not None and ind.actual is None:
        value, unit = _resolve(ind.source, (*loc, "from"), ctx)
        if value is None:
            return "", None
        shown = dec(value, ctx.places) if unit == "%" else _plain(value)
        return f"{shown}{unit}", Condition(Bound(value, True), Bound(value, True), unit)
    if ind.source is not None and not ind.override_reason.strip():
        ctx.error((*loc, "override_reason"), "同时填写了实际完成值和取数来源：如要以填写的实际完成值为准，请写明改用实际完成值的原因")
    elif ind.source is not None:
        _resolve(ind.source, (*loc, "from"), ctx)  # an overridden reference must still be valid
    text = ind.actual or ""
    return text, parse_actual(text) if text else None


def _resolve(path: str, loc: tuple, ctx: _Context) -> tuple[Optional[Decimal], str]:
    """The figure a ``from:`` path names (see sireport.data.references); problems go to ``ctx``."""
    if ctx.figures is None:
        ctx.error(loc, "项目支出绩效自评表没有基金数据，不能使用 from 引用，请直接填写 actual")
        return None, ""
    try:
        value, unit = references.resolve(path, ctx.figures)
    except references.BadReference as exc:
        ctx.error(loc, str(exc))
        return None, ""
    if value is None and ctx.scored:
        ctx.error(loc, f"引用“{path}”的数值在数据中缺失，无法评分；请补充基金数据或直接填写 actual")
    return value, unit


def _money(evaluation: Evaluation, loc: tuple, ctx: _Context) -> tuple[MoneyLine, list[MoneyLine], Optional[Decimal]]:
    money = evaluation.money
    total = _money_line(money.total, (*loc, "money", "total"), ctx)
    parts = [_money_line(part, (*loc, "money", "parts", i), ctx) for i, part in enumerate(money.parts)]
    score = None
    if ctx.scored and money.weight is not None:
        if total.rate is None:
            ctx.error((*loc, "money", "total"), "预算执行率有分值，但缺少全年预算数或全年执行数")
        else:
            shown = ctx.places if evaluation.settings.round_rate_first else None
            score = scoring.execution_score(total.rate, money.weight, shown)
            if money.stated_score is not None and not scoring.agrees(money.stated_score, score):
                ctx.warn("evaluation.stated_score", (*loc, "money", "stated_score"),
                         f"预算执行率原文得分{_plain(money.stated_score)}与计算值{_plain(score)}不一致",
                         _plain(score), _plain(money.stated_score))
    return total, parts, score


def _money_line(row: MoneyRow, loc: tuple, ctx: _Context) -> MoneyLine:
    rate = scoring.execution_rate(row.executed, row.budget)
    if row.stated_rate is not None and rate is not None and not scoring.agrees(row.stated_rate, rate):
        ctx.warn("evaluation.stated_rate", (*loc, "stated_rate"),
                 f"{row.name}原文执行率{row.stated_rate}%与{_plain(row.executed)}/{_plain(row.budget)}"
                 f"计算的{dec(rate, ctx.places)}%不一致", f"{dec(rate, ctx.places)}%", f"{row.stated_rate}%")
    return MoneyLine(row.name, row.initial, row.budget, row.executed, rate)


def evaluate_report(loaded: Any, figures: Any) -> Optional[Evaluated]:
    """The 附表 of a fund report (``evaluation:``), or None when the data has none."""
    report = loaded.report
    if report.evaluation is None:
        return None
    settings = report.report
    evaluated = evaluate(report.evaluation, ("evaluation",), loaded.where, year=settings.year,
                         unit=settings.unit, percent_decimals=settings.percent_decimals, figures=figures)
    evaluated.table.title = evaluated.table.title or f"{settings.unit}{settings.year}年社会保险支出绩效自评表"
    return evaluated


def evaluate_project(loaded: Any) -> Evaluated:
    """A stand-alone 项目支出绩效自评表 (root key ``project:``)."""
    project = loaded.report.project
    evaluated = evaluate(project, ("project",), loaded.where, year=project.year)
    evaluated.table.title = evaluated.table.title or "项目支出绩效自评表"
    evaluated.table.kind = "project"
    return evaluated
