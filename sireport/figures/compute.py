"""From a validated :class:`Report` to the figures a report shows (docs/模板指南.md §6).

This module decides *which* number each line has (entered totals win, items fill the
gaps) and derives changes, rates, balances, months payable and the 合计 column.
It neither formats nor words anything: the template does that with the filters of
:mod:`sireport.word.filters`. Every object keeps the key path (``loc``) of its data so that
``check`` can say where a figure came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

from sireport.data.figure import persons_per
from sireport.data.funds import default_transfer, default_treatment, resolve_fund
from sireport.data.model import Achieved, Amounts, Fund, FundText, Item, PensionAdjustment, Report, Stated, Targets
from sireport.data.thresholds import Thresholds
from sireport.figures import calc, verdicts
from sireport.figures.verdicts import Outcome

Num = Optional[Decimal]
COLUMNS = ("actual", "previous", "budget")


DERIVED = ("change", "growth", "execution", "trend")


class _Derived:
    """A derived figure of a :class:`Line` (one of DERIVED). The first read of any works out
    all four and keeps them as the line's own attributes: templates read them ~250 times a
    report, and every read after the first is a plain attribute read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, line: Line | None, owner: type | None = None) -> Any:
        if line is None:
            return self
        line.__dict__.update(zip(DERIVED, line._derive()))
        return line.__dict__[self.name]


@dataclass
class Line:
    """One line of figures (a total, a subtotal or an item) with its derived values.

    A line's figures are set when it is built (compute builds each line with its final
    figures): its change, growth, execution and trend are worked out once, on first read.
    """

    name: str
    actual: Num = None
    previous: Num = None
    budget: Num = None
    loc: tuple = ()
    transfer: bool = False
    treatment: bool = False
    keep_zero: bool = False
    stated: Optional[Stated] = None
    parts: list[Line] = field(default_factory=list)
    percent_places: int = 2
    amount_places: int = 0

    # derived (not fields): trend is 'up', 'down' or 'flat' (flat when the displayed rate or change rounds to 0)
    change = _Derived()
    growth = _Derived()
    execution = _Derived()
    trend = _Derived()

    def _derive(self) -> tuple:
        """(change, growth, execution, trend) of the line's figures."""
        difference = calc.change(self.actual, self.previous)
        rate = calc.growth(self.actual, self.previous)
        if rate is not None:
            shown = calc.round_half_up(rate, self.percent_places)
        elif difference is not None:
            shown = calc.round_half_up(difference, self.amount_places)
        else:
            shown = None
        trend = None if shown is None else "flat" if shown == 0 else ("up" if shown > 0 else "down")
        return difference, rate, calc.execution(self.actual, self.budget), trend

    @property
    def has_previous(self) -> bool:
        return self.previous is not None and self.actual is not None

    @property
    def has_budget(self) -> bool:
        return self.execution is not None

    @property
    def shown(self) -> bool:
        """Whether the item appears in a "其中：" list (zero items drop out unless kept)."""
        return self.actual is not None and (self.actual != 0 or self.keep_zero)


@dataclass
class PeopleFigures:
    name: str
    actual: Num  # as written, in ``unit`` (2.40 when the unit is 万人)
    previous: Num
    target: Num
    unit: str
    per_capita: Num  # 元 per person per month, computed from per_capita_item
    per_capita_item: Optional[str]
    loc: tuple
    per_capita_label: str = ""  # the stated per-capita amounts (元): "人均月{label}{actual}元"
    per_capita_actual: Num = None
    per_capita_budget: Num = None
    per_capita_period: str = "月"

    @property
    def change(self) -> Num:
        return None if self.actual is None or self.previous is None else self.actual - self.previous

    @property
    def growth(self) -> Num:
        if self.actual is None or self.previous is None:
            return None
        return calc.growth(Decimal(self.actual), Decimal(self.previous))


# Months payable are printed with two decimals (the ``dec`` filter) and judged as printed, so a
# band's word never sits beside a figure that reads as the bound (“可支付6.00个月，支撑能力偏弱”).
MONTHS_PLACES = 2


@dataclass
class Months:
    value: Num
    monthly_expense: Num
    basis: str
    band: Optional[str]
    balance: Num = None  # the balance and the year's expense the months are computed from
    expense: Num = None


@dataclass
class FundFigures:
    """Everything the template shows about one fund."""

    key: str
    name: str  # standard full name
    title: str  # name used in the report
    short: str  # column title in the 收支分析表
    in_totals: bool
    income: Line
    expense: Line
    income_items: list[Line]
    expense_items: list[Line]
    income_sub: Line
    expense_sub: Line
    treatment: Line
    current_balance: Num
    cumulative_balance: Num
    previous_cumulative: Num
    balance_parts: list[tuple[str, Num]]
    months: Optional[Months]
    people: list[PeopleFigures]
    targets: Targets
    achieved: Achieved
    pension_adjustment: Optional[PensionAdjustment]
    text: FundText
    loc: tuple
    source: Fund
    pooled: str = ""  # the level that holds the balance (统筹), when not this unit
    outcomes: list[Outcome] = field(default_factory=list)  # every target with an achieved value
    needs_reason: bool = False  # a target is missed and no 未完成原因 is given (check: targets.unmet)

    @property
    def unmet(self) -> list[Outcome]:
        """The targets missed (三（三）lists them; check reports them when no reason is given)."""
        return [outcome for outcome in self.outcomes if not outcome.met]

    @property
    def execution_outcome(self) -> Optional[Outcome]:
        """The expense execution rate against its target (None when either is missing)."""
        return next((outcome for outcome in self.outcomes if outcome.key == "execution"), None)

    @property
    def execution_repeated(self) -> bool:
        """Whether the judged execution rate is one the fund's expense sentence already prints:
        the expense's, or the 待遇支出's after 其中 (机关事业养老 of region-2018: without
        transfers the expense is its 待遇支出, 97.1% both)."""
        line = verdicts.execution_line(self)
        return any(line is printed or (line.actual, line.budget) == (printed.actual, printed.budget)
                   for printed in (self.expense, self.treatment) if printed.actual is not None)

    @property
    def transfer_items(self) -> list[Line]:
        return [item for item in self.income_items + self.expense_items if item.transfer]

    @property
    def compared_items(self) -> list[Line]:
        """Items with a previous or budget figure: each gets its own comparison sentence."""
        return [item for item in self.income_items + self.expense_items
                if item.shown and (item.has_previous or item.has_budget)]


@dataclass
class Totals:
    """The 合计 over the funds counted in the totals."""

    income: Line
    expense: Line
    income_sub: Line
    expense_sub: Line
    treatment: Line
    current_balance: Num
    cumulative_balance: Num
    short: str = "合计"
    title: str = "合计"


@dataclass
class Figures:
    funds: list[FundFigures]
    totals: Totals
    thresholds: Thresholds

    @property
    def counted(self) -> list[FundFigures]:
        return [fund for fund in self.funds if fund.in_totals]

    @property
    def unmet(self) -> list[FundFigures]:
        """The funds with a missed target."""
        return [fund for fund in self.funds if fund.unmet]


# an entered 合计 line -> the fund line it sums
TOTAL_OF = {"income_total": "income", "expense_total": "expense", "income_subtotal": "income_sub",
            "expense_subtotal": "expense_sub", "treatment_total": "treatment"}


def compute(report: Report) -> Figures:
    """Compute every figure of a report. Pure: the report is not changed."""
    scale = Decimal(1) if report.report.amount_unit == "万元" else calc.TEN_THOUSAND
    places = (report.report.percent_decimals, report.report.amount_decimals)
    funds = [_fund(fund, index, scale, places, report.thresholds) for index, fund in enumerate(report.funds)]
    for fund in funds:
        fund.outcomes = verdicts.fund_outcomes(fund, report.report)
        fund.needs_reason = bool(fund.unmet) and verdicts.reason_missing(fund.text.unmet, report.text.unmet)
    counted = [fund for fund in funds if fund.in_totals]
    entered = report.totals

    def summed(name: str, attr: str) -> Line:
        parts = [getattr(fund, TOTAL_OF[attr]) for fund in counted]
        return _line(name, getattr(entered, attr), ("totals", attr), scale, places,
                     (lambda column: calc.total(getattr(part, column) for part in parts)) if parts else None)

    def balance(attr: str) -> Num:
        value = _amount(getattr(entered, attr), scale)
        return value if value is not None else calc.total(getattr(fund, attr) for fund in counted)

    totals = Totals(
        income=summed("基金收入合计", "income_total"),
        expense=summed("基金支出合计", "expense_total"),
        income_sub=summed("基金收入小计", "income_subtotal"),
        expense_sub=summed("基金支出小计", "expense_subtotal"),
        treatment=summed("待遇支出", "treatment_total"),
        current_balance=balance("current_balance"),
        cumulative_balance=balance("cumulative_balance"),
    )
    return Figures(funds, totals, report.thresholds)


def _amount(value: Num, scale: Decimal) -> Num:
    return None if value is None else value / scale


def _in_wan(amounts: Amounts, scale: Decimal) -> tuple[Num, Num, Num]:
    """An entry's three figures in 万元."""
    actual, previous, budget = amounts.actual, amounts.previous, amounts.budget
    return (None if actual is None else actual / scale, None if previous is None else previous / scale,
            None if budget is None else budget / scale)


def _line(name: str, amounts: Optional[Amounts], loc: tuple, scale: Decimal, places: tuple,
          missing: Optional[Callable[[str], Num]] = None) -> Line:
    """A line of the entered ``amounts``; ``missing``: the figure of a column they leave out."""
    figures = (None, None, None) if amounts is None else _in_wan(amounts, scale)
    if missing is not None:
        figures = tuple(missing(column) if value is None else value for column, value in zip(COLUMNS, figures))
    return Line(name, *figures, loc, stated=None if amounts is None else amounts.stated, percent_places=places[0],
                amount_places=places[1])


def _item(item: Item, side: str, loc: tuple, scale: Decimal, places: tuple) -> Line:
    transfer = default_transfer(item.name) if item.transfer is None else item.transfer
    treatment = default_treatment(item.name, side) if item.treatment is None else item.treatment
    parts = [_item(part, side, (*loc, "parts", i), scale, places) for i, part in enumerate(item.parts)]
    return Line(item.name, *_in_wan(item, scale), loc, transfer, treatment, item.keep_zero, item.stated, parts,
                *places)


def _resolved(name: str, entered: Optional[Amounts], items: list[Line], loc: tuple,
              scale: Decimal, places: tuple) -> Line:
    """Entered figures win; each missing column is the sum of the items (if all have it)."""
    return _line(name, entered, loc, scale, places,
                 (lambda column: calc.total(getattr(item, column) for item in items)) if items else None)


def _subtotal(name: str, entered: Optional[Amounts], full: Line, items: list[Line], loc: tuple,
              scale: Decimal, places: tuple) -> Line:
    transfers = [item for item in items if item.transfer]
    return _line(name, entered, loc, scale, places,
                 lambda column: calc.subtotal(getattr(full, column), (getattr(t, column) for t in transfers)))


def _fund(fund: Fund, index: int, scale: Decimal, places: tuple, thresholds: Thresholds) -> FundFigures:
    kind = resolve_fund(fund.name)
    assert kind is not None  # guaranteed by the model's validator
    loc = ("funds", index)
    income_items = [_item(it, "income", (*loc, "income", i), scale, places) for i, it in enumerate(fund.income)]
    expense_items = [_item(it, "expense", (*loc, "expense", i), scale, places) for i, it in enumerate(fund.expense)]
    income = _resolved("基金收入", fund.income_total, income_items, (*loc, "income_total"), scale, places)
    expense = _resolved("基金支出", fund.expense_total, expense_items, (*loc, "expense_total"), scale, places)
    income_sub = _subtotal("基金收入小计", fund.income_subtotal, income, income_items,
                           (*loc, "income_subtotal"), scale, places)
    expense_sub = _subtotal("基金支出小计", fund.expense_subtotal, expense, expense_items,
                            (*loc, "expense_subtotal"), scale, places)
    treatment_items = [item for item in expense_items if item.treatment]
    treatment = _resolved("待遇支出", fund.treatment_total, treatment_items,
                          (*loc, "treatment_total"), scale, places)
    balance = fund.balance
    current = _amount(balance.current, scale)
    if current is None:
        current = calc.current_balance(income.actual, expense.actual)
    previous_cumulative = _amount(balance.previous_cumulative, scale)
    cumulative = _amount(balance.cumulative, scale)
    if cumulative is None:
        cumulative = calc.cumulative_balance(previous_cumulative, current)
    months = _months(fund, kind.key, cumulative, expense.actual, scale, thresholds)
    people = [_people(p, expense_items, (*loc, "people", i)) for i, p in enumerate(fund.people)]
    return FundFigures(
        key=kind.key, name=kind.name, title=fund.title or kind.name, short=fund.short_title or kind.short,
        in_totals=fund.in_totals, income=income, expense=expense, income_items=income_items,
        expense_items=expense_items, income_sub=income_sub, expense_sub=expense_sub, treatment=treatment,
        current_balance=current, cumulative_balance=cumulative, previous_cumulative=previous_cumulative,
        balance_parts=[(part.name, _amount(part.amount, scale)) for part in balance.parts],
        months=months, people=people, targets=fund.targets, achieved=fund.achieved,
        pension_adjustment=fund.pension_adjustment, text=fund.text, loc=loc, source=fund,
        pooled=fund.balance.pooled,
    )


def _months(fund: Fund, key: str, cumulative: Num, expense: Num, scale: Decimal,
            thresholds: Thresholds) -> Optional[Months]:
    if fund.months_basis is not None:
        balance, spent, basis = (_amount(fund.months_basis.balance, scale),
                                 _amount(fund.months_basis.expense, scale), fund.months_basis.name)
    else:
        balance, spent, basis = cumulative, expense, ""
    if fund.balance.pooled or balance is None:
        return None  # a balance held at a higher level, or none known: nothing to judge (0 is a balance)
    value = calc.months_payable(balance, spent)
    if value is None:
        return None
    band = thresholds.months_band(key, fund.name).judge(calc.round_half_up(value, MONTHS_PLACES))
    return Months(value=value, monthly_expense=calc.monthly(spent), basis=basis, band=band, balance=balance,
                  expense=spent)


def _people(people, expense_items: list[Line], loc: tuple) -> PeopleFigures:
    per_capita = None
    if people.per_capita_item:
        item = next((it for it in expense_items if it.name == people.per_capita_item), None)
        persons = None if people.actual is None else people.actual * persons_per(people.unit)
        per_capita = calc.per_capita_monthly(item.actual if item else None, persons)
    return PeopleFigures(people.name, people.actual, people.previous, people.target, people.unit,
                         per_capita, people.per_capita_item, loc, people.per_capita_label or people.per_capita_item or "待遇",
                         people.per_capita_actual, people.per_capita_budget, people.per_capita_period)
