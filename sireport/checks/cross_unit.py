"""Across units: a prefecture (parent) file that claims to be the sum of its counties.

Every fund line of the parent (收入、支出、小计、待遇支出 for this year, last year and the
budget, and both balances) must equal the sum over the children that have the fund; a
difference within the children's 尾差 is an 提示. Findings point into the parent file,
except a fund only children have, which points into the first child that has it.
"""

from __future__ import annotations

from sireport.data.load import LoadedReport
from sireport.figures import calc
from sireport.figures.compute import COLUMNS, compute

from .base import COLUMN_NAMES, Context, Finding, lines_of


def check(children: list[LoadedReport], parent: LoadedReport) -> list[Finding]:
    ctx = Context(parent, compute(parent.report))
    kids = [Context(child, compute(child.report)) for child in children]
    year = parent.report.report.year
    for kid in kids:
        if kid.report.report.year != year:
            ctx.add("units.year", ("report", "year"),
                    f"下级单位“{kid.report.report.unit}”（{kid.loaded.source.name}）的年度与汇总文件不同",
                    year, kid.report.report.year)
    by_key = {fund.key: fund for fund in ctx.figures.funds}
    for fund in ctx.figures.funds:
        parts = [f for kid in kids for f in kid.figures.funds if f.key == fund.key]
        if not parts:
            ctx.add("units.fund_missing", fund.loc, f"汇总文件有{fund.title}，但所有下级单位都没有这项基金",
                    "下级单位中有此基金", "无")
            continue
        _fund(ctx, fund, parts)
    for kid in kids:
        for fund in kid.figures.funds:
            if fund.key not in by_key:
                kid.add("units.fund_missing", fund.loc,
                        f"下级单位有{fund.title}，但汇总文件（{parent.source.name}）没有这项基金", "汇总文件中有此基金", "无")
    return ctx.findings + [finding for kid in kids for finding in kid.findings]


def _fund(ctx: Context, fund, parts: list) -> None:
    for (line, name), *child_lines in zip(lines_of(fund), *(lines_of(part) for part in parts)):
        for column in COLUMNS:
            values = [getattr(child, column) for child, _ in child_lines]
            ctx.compare("units.sum", (*line.loc, column),
                        f"汇总文件{fund.title}{name}{COLUMN_NAMES[column]}与各下级单位之和不符",
                        calc.total(values), getattr(line, column), values)
    for key, name in (("current_balance", "当期结余"), ("cumulative_balance", "滚存结余")):
        values = [getattr(part, key) for part in parts]
        ctx.compare("units.sum", (*fund.loc, "balance", key.split("_")[0]),
                    f"汇总文件{fund.title}{name}与各下级单位之和不符",
                    calc.total(values), getattr(fund, key), values)
