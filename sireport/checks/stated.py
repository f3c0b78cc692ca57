"""Stated values: a change, growth rate or execution rate written in the original report
(``stated:`` on a line) must be what its own figures give, to the decimals it is written with.

A rate that only a 尾差 of its figures can explain is an 提示; anything else is an error
(哈密's 收支分析表: 合计 执行预算 99.17% where 237563 / 239010 gives 99.39%).
"""

from __future__ import annotations

from decimal import Decimal

from sireport.data.figure import AMOUNT_UNITS, Figure
from sireport.figures import calc
from sireport.figures.compute import Line

from .base import Context, all_items, levels, lines_of, ratio_range, unit_of


def check(ctx: Context) -> None:
    for title, level in levels(ctx):  # entered 合计 figures win there, each keeps its ``stated``
        for line, name in lines_of(level):
            _line(ctx, line, f"{title}{name}")
    for fund in ctx.figures.funds:
        for item in all_items(fund.income_items + fund.expense_items):
            _line(ctx, item, f"{fund.title}“{item.name}”")


def _line(ctx: Context, line: Line, label: str) -> None:
    stated = line.stated
    if stated is None:
        return
    loc = (*line.loc, "stated")
    actual, previous, budget = line.actual, line.previous, line.budget
    slack = ctx.thresholds.rounding_slack
    if stated.change is not None and actual is not None and previous is not None:
        spread = (unit_of(actual) + unit_of(previous)) * slack
        point = actual - previous
        base = AMOUNT_UNITS[stated.change.unit] if stated.change.unit else AMOUNT_UNITS[ctx.report.report.amount_unit]
        judge(ctx, "stated.change", (*loc, "change"), f"{label}写明的增减额与“本年数−上年数”不符", stated.change,
              point, (point - spread, point + spread), base)
    for code, key, fn, other, what in (("stated.growth", "growth", calc.growth, previous, "增幅"),
                                       ("stated.execution", "execution", calc.execution, budget, "预算执行率")):
        figure = getattr(stated, key)
        point = fn(actual, other)
        if figure is None or point is None:
            continue
        bounds = ratio_range(fn, actual, unit_of(actual) * slack, other, unit_of(other) * slack)
        judge(ctx, code, (*loc, key), f"{label}写明的{what}与按本行数字计算的结果不符", figure, point, bounds,
              unit="%")


def judge(ctx: Context, code: str, loc: tuple, what: str, figure: Figure, point: Decimal,
          bounds: tuple[Decimal, Decimal] | None, base: Decimal = Decimal(1), unit: str = "") -> None:
    """A stated figure holds when ``point`` (in base units) rounds half-up to it at its printed
    precision and unit; one that only the 尾差 ``bounds`` of the figures reach is an 提示."""
    if figure.holds(point, base):
        return
    expected = f"{format(figure.shown(point, base), 'f')}{figure.unit or unit}"
    found = f"{figure}{'' if figure.unit else unit}"
    if bounds and figure.shown(bounds[0], base) <= figure.value <= figure.shown(bounds[1], base):
        ctx.add("rounding", loc, f"{what.removesuffix('不符')}相差在尾差范围内", expected, found)
    else:
        ctx.add(code, loc, what, expected, found)
