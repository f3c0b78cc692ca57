"""What every rule module shares: the :class:`~sireport.findings.Finding`, the rule codes with their default
severity, the :class:`Context` a rule reads and writes, and the tolerance arithmetic.

Tolerance is the displayed precision (尾差): a figure written as ``5454`` may be off by
half a unit, one written as ``13.24`` by half a hundredth. A difference inside the sum of
those halves is reported as an 提示 under the code ``rounding``, never as an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import product
from typing import Optional

from sireport.data.validate import LoadedReport
from sireport.figures import calc
from sireport.figures.compute import Figures, Line
from sireport.findings import LABELS, RANK, Finding  # noqa: F401 (shared with the 附表)

Num = Optional[Decimal]

# Every rule code and its default severity. docs/检查规则.md documents each one (tested);
# a bureau changes a severity under ``thresholds: severity:`` in its data file.
RULES: dict[str, str] = {
    "data.invalid": "error",
    "rounding": "info",
    "sum.missing": "error",
    "sum.items_over": "error",
    "sum.items_under": "warning",
    "sum.parts_over": "error",
    "sum.parts_under": "warning",
    "sum.part_over_whole": "warning",
    "sum.subtotal": "warning",
    "sum.treatment": "warning",
    "sum.balance_parts": "error",
    "sum.totals": "warning",
    "balance.current": "error",
    "balance.cumulative": "error",
    "stated.change": "error",
    "stated.growth": "error",
    "stated.execution": "error",
    "stated.inconsistent": "error",
    "stated.line": "error",
    "people.repeated": "error",
    "people.parts": "error",
    "people.per_capita": "warning",
    "magnitude.unit": "error",
    "magnitude.factor": "warning",
    "execution.impossible": "error",
    "execution.band": "warning",
    "growth.band": "warning",
    "negative.amount": "warning",
    "negative.people": "error",
    "months.band": "warning",
    "copies.block": "warning",
    "copies.title": "error",
    "targets.unmet": "warning",
    "template.missing": "warning",
    "units.sum": "error",
    "units.fund_missing": "warning",
    "units.year": "error",
    "rollup.partial": "info",
}


@dataclass
class Context:
    """One report under check: its data, its computed figures and the findings so far."""

    loaded: LoadedReport
    figures: Figures
    findings: list[Finding] = field(default_factory=list)
    infos: bool = True  # False: 提示 are not kept (a render shows errors and warnings only)
    _items: dict = field(default_factory=dict, repr=False)  # (id(fund), side) -> items (see items)
    _slips: bool = field(default=False, repr=False)  # a magnitude finding was kept (see add)

    # (read by every rule, many times per report: each worked out once per Context)
    @cached_property
    def report(self):
        return self.loaded.report

    @cached_property
    def thresholds(self):
        return self.loaded.report.thresholds

    @cached_property
    def scale(self) -> Decimal:
        """Divide a data-unit amount by this to get 万元 (the unit of the figures)."""
        return Decimal(1) if self.report.report.amount_unit == "万元" else calc.TEN_THOUSAND

    @cached_property
    def one_magnitude(self) -> tuple[Decimal, Decimal] | None:
        """Ratios strictly between these two are of one order of magnitude: no factor of
        ``magnitude_factors`` can be near them (the plausibility rule's quick test)."""
        near = min(self.thresholds.magnitude_factors, default=0) * (1 - self.thresholds.magnitude_tolerance)
        return (1 / near, near) if near > 1 else None

    def items(self, level, side: str | None = None) -> list[Line]:
        """A fund's items and, depth first, their parts: of one ``side`` (income, expense) or
        of both, income first; [] for 合计. Several rules walk them: listed once per fund."""
        key = (id(level), side)
        found = self._items.get(key)
        if found is None:
            if side is None:
                found = self.items(level, "income") + self.items(level, "expense")
            else:
                found = all_items(getattr(level, f"{side}_items", []))
            self._items[key] = found
        return found

    def wan(self, value: Num) -> Num:
        return None if value is None else value / self.scale

    def add(self, code: str, loc: tuple, message: str, expected: object = None, found: object = None) -> None:
        severity = self.thresholds.severity.get(code, RULES[code])
        if severity == "off" or severity == "info" and not self.infos and not code.startswith("magnitude."):
            return  # (a unit slip is kept at any level: the rules look for it again, plausibility._slip_known)
        where = self.loaded.where(loc)
        if code.startswith("magnitude."):
            if any(f.code == code and f.where == where for f in self.findings):
                return  # one slip seen from two sides (against the budget and against the sum) is one finding
            self._slips = True
        self.findings.append(Finding(code, severity, where, message, show(expected), show(found)))

    def compare(self, code: str, loc: tuple, what: str, expected: Num, found: Num,
                operands: Iterable[Num] = ()) -> None:
        """``found`` should equal ``expected``; inside the rounding slack it is a 尾差 (提示)."""
        if expected is None or found is None or expected == found:
            return
        if abs(found - expected) <= self.slack([found, *operands]):
            self.add("rounding", loc, f"{what}：相差{show(found - expected)}，在四舍五入尾差范围内",
                     expected, found)
        else:
            self.add(code, loc, f"{what}，相差{show(found - expected)}", expected, found)

    def slack(self, values: Iterable[Num]) -> Decimal:
        return sum((unit_of(v) for v in values if v is not None), Decimal(0)) * self.thresholds.rounding_slack


def unit_of(value: Decimal) -> Decimal:
    """One unit of the last written digit: 5454 → 1, 13.24 → 0.01."""
    if value.same_quantum(_ONE):  # (most figures are whole: their exponent is known without as_tuple)
        return _ONE
    exponent = value.as_tuple().exponent
    unit = _UNITS.get(exponent)
    if unit is None:
        unit = _UNITS[exponent] = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    return unit


_ONE = Decimal(1)
_UNITS: dict[int | str, Decimal] = {}  # exponent -> its unit (a report's figures have a few exponents)


def decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def show(value: object) -> str | None:
    """A value for the expected/found columns: Decimals as written, no exponent notation."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text and len(text.split(".")[1]) > 4:
            text = format(calc.round_half_up(value, 4), "f").rstrip("0").rstrip(".")
        return text
    return str(value)


def percent(value: Decimal, places: int) -> str:
    return f"{calc.round_half_up(value, places):.{places}f}%"


def ratio_range(fn: Callable[[Decimal, Decimal], Num], a: Decimal, slack_a: Decimal,
                b: Decimal, slack_b: Decimal) -> tuple[Decimal, Decimal] | None:
    """Lowest and highest ``fn(a, b)`` when each operand may be off by its slack."""
    values = [fn(x, y) for x, y in product((a - slack_a, a + slack_a), (b - slack_b, b + slack_b))]
    values = [v for v in values if v is not None]
    return (min(values), max(values)) if values else None


TOTALS_LEVEL = "合计"


def levels(ctx: Context) -> list[tuple[str, object]]:
    """Every level a line rule runs on, with its name for messages: each fund, then 合计
    (whose lines are entered or summed over the funds counted in the totals)."""
    return [(fund.title, fund) for fund in ctx.figures.funds] + [(TOTALS_LEVEL, ctx.figures.totals)]


def entered(ctx: Context, line: Line, column: str) -> bool:
    """Whether the data gives this figure itself (a 合计 line may be summed instead)."""
    if line.loc[:1] != ("totals",):
        return True
    amounts = getattr(ctx.report.totals, line.loc[1], None)
    return amounts is not None and getattr(amounts, column) is not None


def fund_label(ctx: Context, index: int) -> str:
    return ctx.figures.funds[index].title


def lines_of(fund, distinct: bool = False) -> list[tuple[Line, str]]:
    """The fund-level lines (not items) with their Chinese names; ``distinct`` drops a 小计
    that only repeats its total (no transfers), so that a finding is not reported twice."""
    lines = [(fund.income, "基金收入"), (fund.expense, "基金支出"), (fund.income_sub, "收入小计"),
             (fund.expense_sub, "支出小计"), (fund.treatment, "待遇支出")]
    if distinct:
        same = {id(sub) for sub, full in ((fund.income_sub, fund.income), (fund.expense_sub, fund.expense))
                if _columns(sub) == _columns(full)}
        lines = [(line, name) for line, name in lines if id(line) not in same]
    return lines


def _columns(line: Line) -> tuple:
    return line.actual, line.previous, line.budget


def all_items(lines: list[Line]) -> list[Line]:
    """Items and, depth first, their parts."""
    out: list[Line] = []
    for line in lines:
        out.append(line)
        out.extend(all_items(line.parts))
    return out


COLUMN_NAMES = {"actual": "本年数", "previous": "上年数", "budget": "预算数"}
