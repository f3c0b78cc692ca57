"""Copies: one fund's figures or heading pasted under another fund (docs/检查规则.md).

和静's 生育保险 block repeats 失业保险's 2255 / 1379; 哈密's second "职工医疗保险（含生育）"
heading stands over the 城乡居民医保 figures.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sireport.data.funds import resolve_fund
from sireport.figures.compute import FundFigures

from .base import Context, show


def check(ctx: Context) -> None:
    funds = ctx.figures.funds
    for later_index, later in enumerate(funds):
        for earlier in funds[:later_index]:
            _block(ctx, earlier, later)
    _titles(ctx, funds)


def _figures(ctx: Context, fund: FundFigures) -> Counter:
    lines = [fund.income, fund.expense, *ctx.items(fund)]
    return Counter(line.actual for line in lines if line.actual)


def _block(ctx: Context, earlier: FundFigures, later: FundFigures) -> None:
    same_total = any(a.actual and a.actual == b.actual
                     for a, b in ((earlier.income, later.income), (earlier.expense, later.expense)))
    if not same_total:
        return
    shared = sorted((_figures(ctx, earlier) & _figures(ctx, later)).elements())
    if len(shared) >= ctx.thresholds.copy_min_figures:
        ctx.add("copies.block", later.loc,
                f"{later.title}与{earlier.title}有{len(shared)}个相同的本年数（{'、'.join(_shown(shared))}），"
                f"疑为复制了另一项基金的数字", f"与{earlier.title}不同的数字", "、".join(_shown(shared)))


def _shown(values: list[Decimal]) -> list[str]:
    return [show(value) or "" for value in values]


def _titles(ctx: Context, funds: list[FundFigures]) -> None:
    seen: dict[str, FundFigures] = {}
    for fund in funds:
        meant = resolve_fund(fund.title)
        if meant is not None and meant.key != fund.key:
            ctx.add("copies.title", (*fund.loc, "title"),
                    f"标题“{fund.title}”指的是{meant.name}，但本基金是{fund.name}", fund.name, fund.title)
        elif fund.title in seen:
            ctx.add("copies.title", (*fund.loc, "title"), f"标题“{fund.title}”与另一项基金的标题重复",
                    f"与“{seen[fund.title].name}”不同的标题", fund.title)
        seen.setdefault(fund.title, fund)
