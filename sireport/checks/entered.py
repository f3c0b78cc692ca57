"""Totals that cannot be worked out: a fund's income or expense total is neither entered
nor the sum of its items, because an item lacks the figure (or there are no items).

Without this rule the report would print "—万元" where the total belongs. The finding
names the place to fill: the item's blank cell (or key), and the total's own place.
Only 本年数 is required: a 上年 or 预算 total that cannot be summed leaves its comparison
out (real reports list items without them), and a fund with no items and no total on
one side (a report of expense only) has nothing to lose.
"""

from __future__ import annotations

from sireport.figures.compute import FundFigures, Line

from .base import COLUMN_NAMES, Context

SIDES = (("income", "收入"), ("expense", "支出"))


def check(ctx: Context) -> None:
    for fund in ctx.figures.funds:
        if fund.income.actual is None and fund.expense.actual is None and not fund.income_items + fund.expense_items:
            ctx.add("sum.missing", fund.loc, f"{fund.title}没有填写任何收入、支出数字：请填写它的收入、支出项目"
                    "或合计，或不报告这项基金（从基金列表中删除）")
            continue
        for side, word in SIDES:
            total: Line = getattr(fund, side)
            items: list[Line] = getattr(fund, f"{side}_items")
            if total.actual is None and items:
                _missing(ctx, fund, word, total, items, "actual")


def _missing(ctx: Context, fund: FundFigures, word: str, total: Line, items: list[Line], column: str) -> None:
    what = f"{fund.title}基金{word}合计{COLUMN_NAMES[column]}"
    total_place = ctx.loaded.source.where((*total.loc, column))
    for item in (item for item in items if getattr(item, column) is None):
        ctx.add("sum.missing", (*item.loc, column),
                f"{what}无法得出：“{item.name}”的{COLUMN_NAMES[column]}未填写。请填写（没有发生的填0），"
                f"或删除该项目，或在“{total_place}”填写{word}合计{COLUMN_NAMES[column]}")
