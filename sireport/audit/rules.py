"""The checks on a report's claims, each at the claim's printed precision.

A printed figure stands for an interval (3.02亿元: 3.015–3.025亿); a figure derived from
printed figures (a growth rate from an amount and its change) is an interval too, found
by evaluating the formula of :mod:`sireport.figures.calc` at the corners. A claim fails
only when its interval and the computed one do not meet, so rounding never raises an
alarm. Each rule returns :class:`Issue` objects; :mod:`sireport.audit.present` words them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Optional

from ..data.funds import FUND_KINDS
from ..figures import calc
from ..word.text import Block
from . import grammar as g
from .claims import Claim
from .tables import TableClaims

Range = tuple[Decimal, Decimal]
FUND_NAMES = {kind.key: kind.name for kind in FUND_KINDS}

# Rule codes and their severity (docs/审核.md documents each one; a test keeps them in step).
CODES: dict[str, str] = {
    "audit.change": "error",
    "audit.growth": "error",
    "audit.execution": "error",
    "audit.share": "error",
    "audit.balance": "error",
    "audit.months": "error",
    "audit.items": "error",
    "audit.total": "error",
    "audit.score": "error",
    "audit.mismatch": "error",
    "audit.unit": "error",
    "audit.unit_repeated": "error",
    "audit.per_capita": "error",
    "audit.copied": "warning",
    "audit.heading": "warning",
    "audit.data": "error",
}


@dataclass
class Issue:
    """One claim that does not hold: what it should be, and the other statement involved."""

    code: str
    claim: Claim
    message: str
    expected: Optional[str] = None
    other: Optional[Claim] = None


def span(fn: Callable[..., Optional[Decimal]], *ranges: Range) -> Optional[Range]:
    """Lowest and highest ``fn`` over the corners of the operand intervals (None if undefined)."""
    values = []
    for corner in product(*ranges):
        try:
            value = fn(*corner)
        except (ZeroDivisionError, InvalidOperation):
            return None
        if value is None:
            return None
        values.append(value)
    low, high = min(values), max(values)
    return low, high


def _crosses_zero(r: Range) -> bool:
    return r[0] <= 0 <= r[1]


def meets(claim_range: Range, computed: Range) -> bool:
    return claim_range[0] <= computed[1] and computed[0] <= claim_range[1]


def shown(claim: Claim, computed: Range) -> str:
    """The computed value as the claim would print it (midpoint, half-up, the claim's decimals)."""
    middle = (computed[0] + computed[1]) / 2 / claim.factor
    if claim.negated:
        middle = -middle  # printed as a word and a magnitude: 下降1.47%
    text = format(calc.round_half_up(middle, claim.places), "f")
    return text + (claim.unit if claim.printed.endswith(claim.unit) else "")


def _check(issues: list, code: str, claim: Claim, computed: Optional[Range], what: str,
           other: Optional[Claim] = None) -> None:
    if computed is not None and not meets(claim.bounds(), computed):
        issues.append(Issue(code, claim, what, shown(claim, computed), other))


# -- arithmetic inside a sentence or a table -----------------------------------------------

def growth_of(change: Decimal, actual: Decimal) -> Optional[Decimal]:
    return calc.growth(actual, actual - change)


def derived(claims: list[Claim]) -> list[Issue]:
    """Growth from the change beside it, execution from the budget beside it, a share of its total."""
    issues: list[Issue] = []
    by_sentence: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_sentence[(id(claim.block), claim.sentence)].append(claim)
    for group in by_sentence.values():
        for claim in group:
            head = claim.head
            if head is None:
                continue
            if claim.measure == "growth":
                change = next((c for c in group if c.measure == "change" and c.head is head), None)
                if change is not None and not _crosses_zero(_minus(head.bounds(), change.bounds())):
                    _check(issues, "audit.growth", claim, span(growth_of, change.bounds(), head.bounds()),
                           f"增幅与同句的增减额{change.printed}不符（增幅 = 增减额 ÷ 上年数）")
            elif claim.measure == "execution":
                budget = next((c for c in group if c.measure == "budget_of" and c.head is head), None)
                if budget is not None and not _crosses_zero(budget.bounds()):
                    _check(issues, "audit.execution", claim, span(calc.execution, head.bounds(), budget.bounds()),
                           f"执行率与同句的预算数{budget.printed}不符（执行率 = 本年数 ÷ 预算数）")
            elif claim.measure == "share" and head.parent is not None:
                whole = head.parent
                if not _crosses_zero(whole.bounds()):
                    _check(issues, "audit.share", claim,
                           span(lambda a, b: a / b * calc.HUNDRED, head.bounds(), whole.bounds()),
                           f"占比与{head.printed} ÷ {whole.printed}不符")
    return issues


def _minus(a: Range, b: Range) -> Range:
    return a[0] - b[1], a[1] - b[0]


def table_arithmetic(table: TableClaims) -> list[Issue]:
    """收支分析表: 增长 = 本年 − 上年, 增幅, 执行预算%, and 合计 = the sum of the fund columns."""
    issues: list[Issue] = []
    amounts = {(c.scope, c.line, c.period): c for c in table.claims if c.measure == "amount"}
    for claim in table.claims:
        head = claim.head
        if head is None or claim.scope.startswith("table"):
            continue  # the 绩效自评表's rows are checked by _evaluation
        previous = amounts.get((claim.scope, claim.line, "previous"))
        budget = amounts.get((claim.scope, claim.line, "budget"))
        if claim.measure == "change" and previous is not None:
            _check(issues, "audit.change", claim, _minus(head.bounds(), previous.bounds()),
                   f"增长额与本年数{head.printed}减上年数{previous.printed}不符")
        elif claim.measure == "growth" and previous is not None and not _crosses_zero(previous.bounds()):
            _check(issues, "audit.growth", claim, span(calc.growth, head.bounds(), previous.bounds()),
                   f"增幅与本年数{head.printed}、上年数{previous.printed}不符")
        elif claim.measure == "execution" and budget is not None and not _crosses_zero(budget.bounds()):
            _check(issues, "audit.execution", claim, span(calc.execution, head.bounds(), budget.bounds()),
                   f"执行预算%与本年数{head.printed}、预算数{budget.printed}不符")
    issues.extend(_column_totals(table))
    issues.extend(_evaluation(table))
    return issues


def _column_totals(table: TableClaims) -> list[Issue]:
    issues: list[Issue] = []
    rows: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in table.claims:
        if claim.measure in ("amount", "change") and claim.scope is not None and not claim.scope.startswith("table"):
            rows[(claim.line, claim.period, claim.measure)].append(claim)
    for row in rows.values():
        total = next((c for c in row if c.scope == "all"), None)
        parts = [c for c in row if c.scope != "all"]
        if total is None or len(parts) < 2:
            continue
        low = sum((c.bounds()[0] for c in parts), Decimal(0))
        high = sum((c.bounds()[1] for c in parts), Decimal(0))
        _check(issues, "audit.total", total, (low, high), "合计与各基金之和不符")
    return issues


def _evaluation(table: TableClaims) -> list[Issue]:
    """绩效自评表: 执行率 = 全年执行数 ÷ 全年预算数; 得分 = 执行率 × 分值 (at most 分值); 总分 = Σ 得分."""
    issues: list[Issue] = []
    money_scores = []
    for row in table.money_rows:
        actual, budget = row.get("全年执行数"), row.get("全年预算数")
        if actual is None or budget is None or _crosses_zero(budget.bounds()):
            continue
        rate = span(calc.execution, actual.bounds(), budget.bounds())
        if "执行率" in row:
            _check(issues, "audit.execution", row["执行率"], rate,
                   f"执行率与全年执行数{actual.printed} ÷ 全年预算数{budget.printed}不符")
        weight, score = row.get("分值"), row.get("得分")
        if score is not None:
            money_scores.append(score)
        if weight is not None and score is not None and rate is not None:
            capped = (min(rate[0], calc.HUNDRED), min(rate[1], calc.HUNDRED))
            exact = (weight.value, weight.value)  # a weight is a whole number of points, not a rounded figure
            _check(issues, "audit.score", score, span(lambda r, w: r * w / calc.HUNDRED, capped, exact),
                   f"得分与执行率 × 分值{weight.printed}不符（执行率按全年执行数 ÷ 全年预算数计算，超过100%按100%）")
    total = table.total_score
    parts = money_scores[:1] + table.scores
    if total is not None and table.scores:
        low = sum((c.bounds()[0] for c in parts), Decimal(0))
        high = sum((c.bounds()[1] for c in parts), Decimal(0))
        _check(issues, "audit.score", total, (low, high), "总分与各项得分之和不符")
    return issues


# -- relations between statements -----------------------------------------------------------

def balances(claims: list[Claim]) -> list[Issue]:
    """当期结余 = 基金收入 − 基金支出 of the same fund (stated in the same part of the report)."""
    issues: list[Issue] = []
    latest: dict[tuple, Claim] = {}
    for claim in claims:
        if claim.scope in (None, "all") or claim.period != "actual" or claim.block.in_table:
            continue
        if claim.measure == "amount" and claim.line in ("income", "expense"):
            latest[(claim.scope, claim.line)] = claim
        elif claim.measure == "balance":
            income, expense = latest.get((claim.scope, "income")), latest.get((claim.scope, "expense"))
            if income is not None and expense is not None:
                _check(issues, "audit.balance", claim, _minus(income.bounds(), expense.bounds()),
                       f"当期结余与基金收入{income.printed}减基金支出{expense.printed}不符", income)
    return issues


def months(claims: list[Claim]) -> list[Issue]:
    """可支付月数 = 滚存结余 ÷ 月均支出, 月均支出 = 基金支出 ÷ 12 (when the sentence gives no other basis)."""
    issues: list[Issue] = []
    expense: dict[str, Claim] = {}
    by_sentence: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.block.in_table:
            continue
        by_sentence[(id(claim.block), claim.sentence)].append(claim)
        if claim.measure == "amount" and claim.line == "expense" and claim.period == "actual" and claim.scope:
            expense[claim.scope] = claim
        if claim.measure == "monthly" and not claim.basis and claim.scope in expense:
            spent = expense[claim.scope]
            _check(issues, "audit.months", claim, span(calc.monthly, spent.bounds()),
                   f"月均支出与基金支出{spent.printed} ÷ 12 不符")
    for group in by_sentence.values():
        monthly = next((c for c in group if c.measure == "monthly" and not c.basis), None)
        cumulative = next((c for c in group if c.measure == "cumulative"), None)
        for claim in group:
            stated = claim.measure == "months" and claim.line == "months"
            if stated and monthly and cumulative and not _crosses_zero(monthly.bounds()):
                _check(issues, "audit.months", claim,
                       span(lambda b, m: b / m, cumulative.bounds(), monthly.bounds()),
                       f"可支付月数与滚存结余{cumulative.printed} ÷ 月均支出{monthly.printed}不符")
    return issues


def items(claims: list[Claim]) -> list[Issue]:
    """Items listed under a total (其中：…, （含…）) do not add up to more than the total."""
    issues: list[Issue] = []
    for claim in claims:
        if not claim.items or claim.sub:
            continue
        low = sum((c.bounds()[0] for c in claim.items), Decimal(0))
        if low > claim.bounds()[1]:
            names = "、".join(c.printed for c in claim.items)
            least = shown(claim, (low, sum((c.bounds()[1] for c in claim.items), Decimal(0))))
            issues.append(Issue("audit.items", claim, f"所列各项（{names}）之和大于总数", f"不小于 {least}"))
    return issues


def per_capita(claims: list[Claim]) -> list[Issue]:
    """人均月X元 = X (万元) × 10000 ÷ 人数 ÷ 12, when the sentence names X and the people."""
    issues: list[Issue] = []
    amounts = {(c.scope, c.line): c for c in claims if c.measure == "amount" and c.period == "actual"}
    for index, claim in enumerate(claims):
        if claim.measure != "per_capita" or not claim.line:
            continue
        amount = amounts.get((claim.scope, claim.line))
        people = next((c for c in reversed(claims[:index]) if c.block is claim.block and c.kind == "people"
                       and c.sentence == claim.sentence and c.measure == "people"), None)
        if amount is None or people is None or _crosses_zero(people.bounds()):
            continue
        yuan = span(lambda a, n: calc.per_capita_monthly(a, 1) / n if n else None, amount.bounds(), people.bounds())
        if yuan is not None:
            half = claim.ulp / 2
            if not meets((claim.value - half, claim.value + half), yuan):
                middle = calc.round_half_up((yuan[0] + yuan[1]) / 2, claim.places)
                issues.append(Issue("audit.per_capita", claim,
                                    f"人均数与{amount.printed} ÷ {people.printed} ÷ 12 不符", f"{middle}元", amount))
    return issues


def consistency(claims: list[Claim]) -> list[Issue]:
    """The same quantity stated twice must agree; a factor of 10⁴ or 10⁸ is a unit slip."""
    issues: list[Issue] = []
    first: dict[tuple, Claim] = {}
    differing: set[int] = set()
    for claim in claims:
        key = claim.key
        if key is None or claim.scope.startswith("group:") or claim.scope.startswith("table"):
            continue
        seen = first.setdefault(key, claim)
        if seen is claim or meets(claim.bounds(), seen.bounds()):
            continue
        differing.add(id(claim))
        if claim.head is not None and id(claim.head) in differing:
            continue  # follows from its head, already reported
        slip = _slip(claim, seen)
        if slip:
            issues.append(Issue("audit.unit", claim, f"与{seen.block.place}的{seen.printed}相差{slip}倍，疑为单位写错",
                                seen.printed, seen))
        else:
            issues.append(Issue("audit.mismatch", claim, f"同一数字在{seen.block.place}写作{seen.printed}",
                                seen.printed, seen))
    issues.extend(_groups(claims, first))
    return issues


def _slip(a: Claim, b: Claim) -> str:
    if a.kind not in ("money", "people") or b.base == 0 or a.base == 0:
        return ""
    for power, name in ((4, "一万"), (8, "一亿"), (-4, "一万"), (-8, "一亿")):
        scaled = (b.bounds()[0] * Decimal(10) ** power, b.bounds()[1] * Decimal(10) ** power)
        if meets(a.bounds(), (min(scaled), max(scaled))):
            return name
    return ""


def _groups(claims: list[Claim], first: dict[tuple, Claim]) -> list[Issue]:
    """A 绩效自评表 rate for a group of funds (养老保险) against the funds' own amounts and rates."""
    issues: list[Issue] = []
    for claim in claims:
        if claim.scope is None or not claim.scope.startswith("group:"):
            continue
        members = g.FUND_GROUPS.get(claim.scope[6:], ())
        pairs = []
        for fund in members:
            rate = first.get((fund, "expense", "execution", "actual", "money"))
            amount = first.get((fund, "expense", "amount", "actual", "money"))
            if rate is not None and amount is not None:
                pairs.append((amount.bounds(), rate.bounds()))
            elif any(c.scope == fund for c in claims):
                pairs = []
                break
        if len(pairs) < 2:
            continue
        combined = span(_combined_rate, *[r for pair in pairs for r in pair])
        funds = "、".join(FUND_NAMES.get(name, name) for name in members)
        _check(issues, "audit.mismatch", claim, combined,
               f"与正文各基金（{funds}）的支出和预算完成率合并计算的结果不符")
    return issues


def _combined_rate(*values: Decimal) -> Decimal:
    amounts, rates = values[0::2], values[1::2]
    budgets = sum(a / r for a, r in zip(amounts, rates))
    return sum(amounts) / budgets


SLIP_NAMES = {Decimal(10000): "一万", Decimal(10) ** 8: "一亿"}


def unit_slips(claims: list[Claim]) -> list[Issue]:
    """The same digits in the same fund with units 10⁴ apart ("687万名" beside "687名")."""
    issues: list[Issue] = []
    seen: dict[tuple, Claim] = {}
    for claim in claims:
        if claim.measure not in ("amount", "people") or claim.scope is None or abs(claim.value) < 100:
            continue
        key = (claim.scope, claim.kind, str(claim.value))  # the digits as printed: 17.00亿元 is not 17万元
        other = seen.setdefault(key, claim)
        if other is not claim and other.factor != claim.factor and claim.key != other.key:
            wrong = claim if claim.factor > other.factor else other
            right = other if wrong is claim else claim
            times = SLIP_NAMES.get(wrong.factor / right.factor)
            if times:
                issues.append(Issue("audit.unit", wrong, f"与{right.block.place}的{right.printed}数字相同而单位相差"
                                    f"{times}倍，疑为单位写错", right.printed, right))
    return issues


def copied_blocks(claims: list[Claim]) -> list[Issue]:
    """Two funds' sections opening with the same figures: a block copied and not updated."""
    issues: list[Issue] = []
    opening: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        section = opening[claim.section]
        if (claim.scope and claim.scope != "all" and not claim.block.in_table and claim.measure == "amount"
                and claim.kind == "money" and _precise(claim) and claim.period == "actual"
                and len(section) < 2 and all(c.scope == claim.scope for c in section)):
            section.append(claim)
    firsts: dict[tuple, list[Claim]] = {}
    for _section, found in sorted(opening.items()):
        if len(found) < 2:
            continue
        signature = tuple((c.value, c.unit) for c in found)
        earlier = firsts.get(signature)
        if earlier is not None and earlier[0].scope != found[0].scope:
            issues.append(Issue("audit.copied", found[0], f"本节开头的数字（{found[0].printed}、{found[1].printed}）与"
                                f"{earlier[0].block.place}另一基金的完全相同，疑为复制后未修改", None, earlier[0]))
        firsts.setdefault(signature, found)
    return issues


def headings(claims: list[Claim], named: dict[int, Claim]) -> list[Issue]:
    """A fund's heading over a section whose figures are all about another fund (a heading copied)."""
    issues: list[Issue] = []
    scopes: dict[int, set[str]] = defaultdict(set)
    for claim in claims:
        if claim.scope and claim.scope != "all" and not claim.block.in_table:
            scopes[claim.section].add(claim.scope)
    for section, heading in named.items():
        found = scopes.get(section, set())
        if len(found) == 1 and heading.scope not in found:
            other = FUND_NAMES.get(next(iter(found)), "")
            issues.append(Issue("audit.heading", heading, f"小标题写的是{FUND_NAMES.get(heading.scope, '')}，"
                                f"本节的数字却都是{other}的，疑为标题复制后未修改"))
    return issues


def _precise(claim: Claim) -> bool:
    """Four significant digits or more: two funds sharing such figures by chance is unlikely."""
    return len(claim.value.normalize().as_tuple().digits) >= 4 or abs(claim.value) >= 1000


def repeated_units(blocks: Iterable[Block]) -> list[tuple[Block, re.Match]]:
    """Units written twice ("亿元元")."""
    return [(block, match) for block in blocks for match in g.REPEATED_UNIT.finditer(block.text.translate(g.NORMALISE))]
