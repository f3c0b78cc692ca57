"""Stated values: a change, growth rate or execution rate written in the original report
(``stated:`` on a line) must be what its own figures give, to the decimals it is written with.

A rate that only a 尾差 of its figures can explain is an 提示; anything else is an error
(哈密's 收支分析表: 合计 执行预算 99.17% where 237563 / 239010 gives 99.39%).
"""

from __future__ import annotations

from decimal import Decimal

from sireport.figures import calc
from sireport.figures.compute import Line

from .base import Context, all_items, decimals, levels, lines_of, percent, ratio_range, unit_of


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
    if stated.change is not None and actual is not None and previous is not None:
        ctx.compare("stated.change", (*loc, "change"), f"{label}写明的增减额与“本年数−上年数”不符",
                    actual - previous, ctx.wan(stated.change), [actual, previous])
    if stated.growth is not None:
        _rate(ctx, "stated.growth", (*loc, "growth"), f"{label}写明的增幅", stated.growth,
              calc.growth, actual, previous)
    if stated.execution is not None:
        _rate(ctx, "stated.execution", (*loc, "execution"), f"{label}写明的预算执行率", stated.execution,
              calc.execution, actual, budget)


def _rate(ctx: Context, code: str, loc: tuple, what: str, stated: Decimal, fn, a, b) -> None:
    point = fn(a, b)
    if point is None:
        return
    places = decimals(stated)
    if calc.round_half_up(point, places) == stated:
        return
    slack = ctx.thresholds.rounding_slack
    bounds = ratio_range(fn, a, unit_of(a) * slack, b, unit_of(b) * slack)
    expected, found = percent(point, places), f"{stated}%"
    if bounds and calc.round_half_up(bounds[0], places) <= stated <= calc.round_half_up(bounds[1], places):
        ctx.add("rounding", loc, f"{what}与按数字计算的结果相差在尾差范围内", expected, found)
    else:
        ctx.add(code, loc, f"{what}与按本行数字计算的结果不符", expected, found)
