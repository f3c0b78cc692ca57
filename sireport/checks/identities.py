"""Identities: wherever the data holds a figure twice, the two must agree (docs/检查规则.md).

Items vs entered totals, parts vs their item, 小计 vs total − transfers, 待遇支出 vs the
items marked as treatment, balances vs income − expense and last year's cumulative,
the stated 合计 vs the sum of the funds, people counts given twice.
"""

from __future__ import annotations

from sireport.figures import calc
from sireport.figures.compute import COLUMNS, TOTAL_OF, FundFigures, Line

from .base import COLUMN_NAMES, TOTALS_LEVEL, Context
from .plausibility import magnitude

SIDES = (("income", "收入"), ("expense", "支出"))
# each side's names: the fund's total, items and subtotal lines, the data's entered total and subtotal
SIDE_NAMES = tuple((side, word, f"{side}_items", f"{side}_sub", f"{side}_total", f"{side}_subtotal")
                   for side, word in SIDES)


def check(ctx: Context) -> None:
    for index, fund in enumerate(ctx.figures.funds):
        data = ctx.report.funds[index]
        for side, word, items_name, sub_name, total_name, subtotal_name in SIDE_NAMES:
            items = getattr(fund, items_name)
            _items_vs_total(ctx, f"{fund.title}基金{word}合计", getattr(fund, side),
                            getattr(data, total_name), items, f"{word}项目", "items")
            _subtotal(ctx, fund.title, getattr(fund, side), getattr(data, subtotal_name),
                      getattr(fund, sub_name), items, word)
        for item in ctx.items(fund):
            if item.parts:  # (the label of an item without parts is not worked out)
                _items_vs_total(ctx, f"{fund.title}“{item.name}”", item, item, item.parts, "明细", "parts")
        for side, word in SIDES:
            _part_over_whole(ctx, fund, side, word)
        treated = [item for item in fund.expense_items if item.treatment]
        if data.treatment_total is not None and treated:
            _sum_columns(ctx, "sum.treatment", fund.treatment, data.treatment_total, treated,
                         f"{fund.title}待遇支出与标记为待遇支出的项目之和不符"
                         "（项目不属于待遇支出时，请把该项目的“待遇支出”标记为“否”）")
        _balances(ctx, fund, data.balance)
        _people(ctx, fund)
    _stated_totals(ctx)
    _totals_identities(ctx)


def _items_vs_total(ctx: Context, label: str, line: Line, entered, items: list[Line], word: str,
                    code: str) -> None:
    """A total against its items (or an item against its parts): more is an error, less a warning
    (a list may name only the main items: 其中/含)."""
    if entered is None or not items:
        return
    for column in COLUMNS:
        found = getattr(entered, column) if entered is line else ctx.wan(getattr(entered, column))
        if found is None:
            continue
        values = [getattr(item, column) for item in items]
        expected = calc.total(values)
        if found is None or expected is None or found == expected:
            continue
        if expected > found:
            what = f"各{word}之和大于{label}{COLUMN_NAMES[column]}"
            ctx.compare(f"sum.{code}_over", (*line.loc, column), what, expected, found, values)
        else:
            what = f"各{word}之和小于{label}{COLUMN_NAMES[column]}（可能漏填了{word}）"
            ctx.compare(f"sum.{code}_under", (*line.loc, column), what, expected, found, values)


def _part_over_whole(ctx: Context, fund: FundFigures, side: str, word: str) -> None:
    """One item (or one part of an item) larger than the whole it belongs to: printed as
    "预算支出63142万元，其中：待遇支出63918万元" it contradicts itself, whatever the other items."""
    whole = getattr(fund, side)
    sub = getattr(fund, f"{side}_sub")
    items = getattr(fund, f"{side}_items")
    wholes = [(item, whole) for item in items]
    wholes += [(item, sub) for item in items if not item.transfer and sub is not whole]
    wholes += [(part, item) for item in ctx.items(fund, side) for part in item.parts]
    reported = set()
    for part, total in wholes:
        for column, small, big in zip(COLUMNS, (part.actual, part.previous, part.budget),
                                      (total.actual, total.previous, total.budget)):
            if small is None or big is None or small <= big or big < 0 or (id(part), column) in reported:
                continue
            reported.add((id(part), column))
            name = f"基金{word}合计" if total is whole else f"{word}小计" if total is sub else f"“{total.name}”"
            ctx.add("sum.part_over_whole", (*part.loc, column),
                    f"{fund.title}“{part.name}”{COLUMN_NAMES[column]}大于{name}{COLUMN_NAMES[column]}（部分大于整体）",
                    f"不大于{big}", small)


def _subtotal(ctx: Context, title: str, full: Line, entered, line: Line, items: list[Line],
              word: str) -> None:
    if entered is None:
        return
    transfers = [item for item in items if item.transfer]
    for column in COLUMNS:
        found = ctx.wan(getattr(entered, column))
        if found is None:
            continue
        moved = [getattr(item, column) for item in transfers]
        expected = calc.subtotal(getattr(full, column), moved)
        if expected is None or expected == found:
            continue  # (nothing for compare to say: its message is not worked out)
        ctx.compare("sum.subtotal", (*line.loc, column),
                    f"{title}{word}小计{COLUMN_NAMES[column]}与“{word}合计−上下级往来”不符",
                    expected, found, [getattr(full, column), *moved])


def _sum_columns(ctx: Context, code: str, line: Line, entered, parts: list[Line], what: str) -> None:
    for column in COLUMNS:
        found = ctx.wan(getattr(entered, column))
        if found is None:
            continue
        values = [getattr(part, column) for part in parts]
        expected = calc.total(values)
        if expected is not None and expected != found:
            ctx.compare(code, (*line.loc, column), f"{what}（{COLUMN_NAMES[column]}）", expected, found, values)


def _balances(ctx: Context, fund: FundFigures, balance) -> None:
    loc = (*fund.loc, "balance")
    income, expense = fund.income.actual, fund.expense.actual
    ctx.compare("balance.current", (*loc, "current"), f"{fund.title}当期结余与“收入合计−支出合计”不符",
                calc.current_balance(income, expense), ctx.wan(balance.current), [income, expense])
    ctx.compare("balance.cumulative", (*loc, "cumulative"),
                f"{fund.title}滚存结余与“上年滚存结余+当期结余”不符",
                calc.cumulative_balance(fund.previous_cumulative, fund.current_balance),
                ctx.wan(balance.cumulative), [fund.previous_cumulative, fund.current_balance])
    if fund.balance_parts:
        amounts = [amount for _, amount in fund.balance_parts]
        ctx.compare("sum.balance_parts", (*loc, "cumulative"), f"{fund.title}滚存结余与其组成部分之和不符",
                    calc.total(amounts), ctx.wan(balance.cumulative), amounts)


def _people(ctx: Context, fund: FundFigures) -> None:
    first: dict[str, object] = {}
    for people in fund.people:
        earlier = first.setdefault(people.name, people)
        if earlier is people:
            continue  # (the first line of this name: nothing to compare)
        for column in ("actual", "previous", "target"):
            a, b = getattr(earlier, column), getattr(people, column)
            if a is not None and b is not None and a != b:
                ctx.add("people.repeated", (*people.loc, column),
                        f"{fund.title}“{people.name}”在人数中出现两次，数字不一致", a, b)
    for parent, parts in _with_parts(fund.people):
        counts = [part.actual for part in parts if part.actual is not None]
        if parent.actual is not None and sum(counts) > parent.actual:
            ctx.add("people.parts", (*parent.loc, "actual"),
                    f"{fund.title}“{parent.name}”少于其下“其中”各项之和", f"不少于{sum(counts)}", parent.actual)


def _with_parts(people: list) -> list[tuple[object, list]]:
    """Each people line with the “其中：……” lines that follow it."""
    groups: list[tuple[object, list]] = []
    for line in people:
        if line.name.startswith("其中") and groups:
            groups[-1][1].append(line)
        else:
            groups.append((line, []))
    return groups


# what a finding calls each entered 合计 line (the fund line it sums: figures.compute.TOTAL_OF)
TOTAL_NAMES = {"income_total": "基金收入", "expense_total": "基金支出", "income_subtotal": "收入小计",
               "expense_subtotal": "支出小计", "treatment_total": "待遇支出"}


def _stated_totals(ctx: Context) -> None:
    stated = ctx.report.totals
    counted = ctx.figures.counted
    for key, name in TOTAL_NAMES.items():
        entered = getattr(stated, key)
        if entered is None:
            continue
        lines = [getattr(fund, TOTAL_OF[key]) for fund in counted]
        for column in COLUMNS:
            found = ctx.wan(getattr(entered, column))
            if found is not None:
                _against_sum(ctx, ("totals", key, column), f"{name}{COLUMN_NAMES[column]}",
                             [getattr(line, column) for line in lines], found)
    for key, name in (("current_balance", "当期结余"), ("cumulative_balance", "滚存结余")):
        _against_sum(ctx, ("totals", key), name, [getattr(fund, key) for fund in counted], ctx.wan(getattr(stated, key)))


def _against_sum(ctx: Context, loc: tuple, name: str, values: list, found) -> None:
    """An entered 合计 figure against the sum of the funds: a unit slip (万元 for 亿元) is a
    magnitude finding, any other difference ``sum.totals``."""
    if found is None:
        return  # (nothing entered: neither a slip nor a difference)
    expected = calc.total(values) if values else None
    if magnitude(ctx, loc, f"{TOTALS_LEVEL}{name}", "万元", found, expected, "各基金之和"):
        return
    ctx.compare("sum.totals", loc, f"{TOTALS_LEVEL}{name}与各基金之和不符", expected, found, values)


def _totals_identities(ctx: Context) -> None:
    """What holds for a fund holds for 合计: 当期结余 = 收入 − 支出, 滚存结余 = 上年滚存 + 当期结余,
    小计 = 合计 − 上下级往来 (over the funds counted in the totals)."""
    totals, stated, counted = ctx.figures.totals, ctx.report.totals, ctx.figures.counted
    income, expense = totals.income.actual, totals.expense.actual
    ctx.compare("balance.current", ("totals", "current_balance"),
                f"{TOTALS_LEVEL}当期结余与“{TOTALS_LEVEL}收入−{TOTALS_LEVEL}支出”不符",
                calc.current_balance(income, expense), ctx.wan(stated.current_balance), [income, expense])
    previous = calc.total(fund.previous_cumulative for fund in counted) if counted else None
    ctx.compare("balance.cumulative", ("totals", "cumulative_balance"),
                f"{TOTALS_LEVEL}滚存结余与“上年滚存结余+当期结余”不符",
                calc.cumulative_balance(previous, totals.current_balance), ctx.wan(stated.cumulative_balance),
                [previous, totals.current_balance])
    for side, word in SIDES:
        items = [item for fund in counted for item in getattr(fund, f"{side}_items")]
        _subtotal(ctx, TOTALS_LEVEL, getattr(totals, side), getattr(stated, f"{side}_subtotal"),
                  getattr(totals, f"{side}_sub"), items, word)
