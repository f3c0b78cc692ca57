"""Plausibility: figures that are possible arithmetic but unlikely facts (docs/检查规则.md).

A figure off from last year or the budget by a factor near 10, 100 or 10000 (万/亿/元
slips; 名 vs 万名), execution or growth outside the configured band, negative amounts or
people, months payable outside the fund's band. Every bound is in :mod:`sireport.data.thresholds`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from sireport.data.figure import persons_per
from sireport.figures import calc, printed
from sireport.figures.compute import COLUMNS, MONTHS_PLACES, FundFigures, Line

from .base import COLUMN_NAMES, Context, entered, levels, lines_of, percent, show

PEOPLE_COLUMNS = {"actual": "本年人数", "previous": "上年人数", "target": "目标人数"}


def check(ctx: Context) -> None:
    for title, level in levels(ctx):
        lines = lines_of(level, distinct=True)
        # (a label is worked out only for a finding: most lines have none)
        for line, name in lines + [(item, None) for item in ctx.items(level)]:
            _amounts(ctx, line, title, name)
        for line, name in lines:
            _rates(ctx, line, title, name)
    for fund in ctx.figures.funds:
        _months(ctx, fund)
        _people(ctx, fund)
        _per_capita(ctx, fund)


def _label(title: str, line: Line, name: str | None) -> str:
    """A line as a message names it: 合计基金收入, 失业保险“稳岗补贴” (an item: ``name`` None)."""
    return f"{title}{name}" if name is not None else f"{title}“{line.name}”"


def _amounts(ctx: Context, line: Line, title: str, name: str | None) -> None:
    actual, previous, budget = line.actual, line.previous, line.budget
    for column, other in (("previous", previous), ("budget", budget)):
        if other is None:
            continue  # (nothing to compare with: no slip)
        slip = _slip(ctx, actual, other)
        if slip is None or _slip_known(ctx, line, column):
            continue  # a 合计 figure already found off from the sum of the funds: that one is the slip
        # a 合计 may be summed: the slip is in whichever of the two figures the data gives
        place = "actual" if entered(ctx, line, "actual") or not entered(ctx, line, column) else column
        _report_slip(ctx, (*line.loc, place), _label(title, line, name), "万元", slip, actual, other,
                     COLUMN_NAMES[column])
    for column, value in zip(COLUMNS, (actual, previous, budget)):
        if value is not None and value < 0:
            ctx.add("negative.amount", (*line.loc, column),
                    f"{_label(title, line, name)}{COLUMN_NAMES[column]}为负数，请核实", "不小于0", value)


def _slip_known(ctx: Context, line, column: str) -> bool:
    if not ctx._slips or line.loc[:1] != ("totals",):
        return False
    places = {ctx.loaded.where((*line.loc, name)) for name in ("actual", column)}
    return any(f.code.startswith("magnitude.") and f.where in places for f in ctx.findings)


def magnitude(ctx: Context, loc: tuple, label: str, unit: str, value: Optional[Decimal],
              other: Optional[Decimal], other_name: str, as_written: str | None = None) -> bool:
    """Warn (or err, for factors like 10000) when value / other is near a configured factor;
    whether it did."""
    slip = _slip(ctx, value, other)
    if slip is not None:
        _report_slip(ctx, loc, label, unit, slip, value, other, other_name, as_written)
    return slip is not None


def _slip(ctx: Context, value: Optional[Decimal], other: Optional[Decimal]) -> tuple[int, str] | None:
    """The configured factor that value / other is near, and whether value is the larger (大)
    or the smaller (小); None when there is none."""
    t = ctx.thresholds
    if value is None or other is None or value <= 0 or other <= 0 or max(value, other) < t.magnitude_min:
        return None
    ratio = value / other
    window = ctx.one_magnitude
    if window is not None and window[0] < ratio < window[1]:
        return None  # the same order of magnitude: no factor can match (most figures)
    for factor in t.magnitude_factors:
        for shown, direction in ((ratio, "大"), (1 / ratio, "小")):
            if abs(shown / factor - 1) <= t.magnitude_tolerance:
                return factor, direction
    return None


def _report_slip(ctx: Context, loc: tuple, label: str, unit: str, slip: tuple[int, str], value: Decimal,
                 other: Decimal, other_name: str, as_written: str | None = None) -> None:
    factor, direction = slip
    code = "magnitude.unit" if factor >= ctx.thresholds.magnitude_error_from else "magnitude.factor"
    words = "疑为“名”与“万名”混淆" if unit == "人" else "疑为万元、亿元、元混淆或多输少输了位数"
    ctx.add(code, loc, f"{label}比{other_name}{direction}约{factor}倍，{words}",
            f"与{other_name}{show(other)}同一数量级", as_written or value)


def _rates(ctx: Context, line: Line, title: str, name: str) -> None:
    label = f"{title}{name}"
    t = ctx.thresholds
    places = ctx.report.report.percent_decimals
    rate = line.execution
    if rate is not None and rate > t.execution_impossible:
        ctx.add("execution.impossible", (*line.loc, "budget"),
                f"{label}预算执行率超过{t.execution_impossible}%，数字或预算数可能有误",
                f"不超过{t.execution_impossible}%", percent(rate, places))
    elif rate is not None and (band := t.execution_band(calc.round_half_up(rate, places))):
        # judged on the rate as shown, so that the message never says "outside 90%～110%: 90.00%"
        low = band == "low"
        ctx.add("execution.band", (*line.loc, "budget"),
                f"{label}预算执行率{'低于' if low else '高于'}{t.execution_low if low else t.execution_high}%"
                f"（合理区间{t.execution_low}%～{t.execution_high}%），请核实并说明原因",
                f"{t.execution_low}%～{t.execution_high}%", percent(rate, places))
    growth = line.growth
    if growth is not None and abs(calc.round_half_up(growth, places)) > t.growth_band:
        ctx.add("growth.band", (*line.loc, "previous"),
                f"{label}增幅绝对值超过{t.growth_band}%，请核实并说明原因", f"±{t.growth_band}%以内",
                percent(growth, places))


MONTHS_WORDS = {"risk": "低于支付风险线", "excess": "高于结余过多线"}


def _months(ctx: Context, fund: FundFigures) -> None:
    months = fund.months
    if months is None or months.band not in MONTHS_WORDS:
        return
    band = ctx.thresholds.months_band(fund.key, fund.source.name)
    bound = band.risk_below if months.band == "risk" else band.excess_above
    shown = f"{printed.fixed(months.value, MONTHS_PLACES)}个月"  # as the report prints it (never -0.00)
    if bound is None or bound <= 0:  # no risk line (or one at 0): at risk because nothing is left to pay with
        ctx.add("months.band", (*fund.loc, "balance", "cumulative"),
                f"{fund.title}结余不足以支付待遇，存在支付风险", "多于0个月", shown)
        return
    ctx.add("months.band", (*fund.loc, "balance", "cumulative"),
            f"{fund.title}可支付月数{MONTHS_WORDS[months.band]}（{bound}个月）",
            f"{'不少于' if months.band == 'risk' else '不超过'}{bound}个月", shown)


def _people(ctx: Context, fund: FundFigures) -> None:
    for people, data in zip(fund.people, fund.source.people):
        stated = data.stated
        persons, units = {}, {}
        for column, name in PEOPLE_COLUMNS.items():
            count = getattr(people, column)
            if count is None:
                continue
            if count < 0:
                ctx.add("negative.people", (*people.loc, column), f"{fund.title}“{people.name}”{name}为负数",
                        "不小于0", count)
            unit = units[column] = (getattr(stated, f"{column}_unit", None) if stated else None) or people.unit
            persons[column] = Decimal(count) * persons_per(unit)
        for column in ("previous", "target"):
            if column in persons and "actual" in persons:
                magnitude(ctx, (*people.loc, column), f"{fund.title}“{people.name}”{PEOPLE_COLUMNS[column]}", "人",
                          persons[column], persons["actual"], "本年人数", f"{getattr(people, column)}{units[column]}")


PER_CAPITA_FACTOR = Decimal(3)  # a stated per-capita amount off by this factor or more: a slipped digit or unit


def _per_capita(ctx: Context, fund: FundFigures) -> None:
    """A stated per-capita amount against its budget and against amount ÷ people ÷ months."""
    for people in fund.people:
        stated = people.per_capita_actual
        if stated is None or stated <= 0:
            continue
        label = f"{fund.title}“{people.name}”人均{people.per_capita_period}{people.per_capita_label}"
        loc = (*people.loc, "per_capita_actual")
        if people.per_capita_budget is not None and people.per_capita_budget > 0:
            _off_by_factor(ctx, loc, label, stated, people.per_capita_budget, "预算人均数")
        if people.per_capita is not None and people.per_capita > 0:
            computed = people.per_capita * (12 if people.per_capita_period == "年" else 1)
            _off_by_factor(ctx, loc, label, stated, computed,
                           f"“{people.per_capita_item}”÷人数{'÷月数' if people.per_capita_period == '月' else ''}")


def _off_by_factor(ctx: Context, loc: tuple, label: str, stated: Decimal, other: Decimal, other_name: str) -> None:
    ratio = stated / other
    if ratio >= PER_CAPITA_FACTOR or ratio <= 1 / PER_CAPITA_FACTOR:
        ctx.add("people.per_capita", loc, f"{label}与{other_name}相差{PER_CAPITA_FACTOR}倍以上，疑为输错位数或单位",
                f"与{show(calc.round_half_up(other, 2))}元相近", stated)
