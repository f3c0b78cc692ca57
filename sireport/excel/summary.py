"""The 汇总表 of a batch: every unit's key figures, one sheet per theme (docs/批量生成.md).

Sheets 收支, 执行率, 结余与可支付月数 hold one row per unit and fund (the unit's 各基金合计
first, then its funds in the standard order), 绩效目标 one row per target with an achieved
value, 单位清单 one row per unit (failed ones too). Each theme sheet ends with 合计 rows, one
per fund: amounts summed over the units (empty where a unit lacks the figure: a partial
sum would be a wrong figure), rates computed again from the summed amounts by the figures'
own arithmetic (:mod:`sireport.figures.calc`), never summed or averaged.

Amounts are 万元 (#,##0, or with the units' decimals), rates 0.00% (stored as fractions,
rounded half-up as the reports print them), months 0.00. A cell outside its band is filled
(red below, yellow above): the execution rate by ``Thresholds.execution_band`` and the
months payable by the fund's ``months_band``, the bands the checks judge by; a unit's row
by its own thresholds (judged in the worker), a 合计 row by the batch's. Units of a year
other than most units' have their 年度 filled, under a note row saying so.

The workers call :func:`key_figures` (a compact text per unit, kept until the end of the
run); the coordinating process writes the workbook from them, row by row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from sireport.data.funds import FUND_KINDS
from sireport.excel.listing import Listing, Styled, amount_format, percent_format
from sireport.figures import calc

if TYPE_CHECKING:  # the coordinating batch process imports the data model only at the end, for the 合计 rows
    from sireport.data.thresholds import Thresholds
    from sireport.figures.compute import Figures, FundFigures, Totals

TOTAL = "total"
GROUPS = ((TOTAL, "各基金合计"), *((kind.key, kind.name) for kind in FUND_KINDS))
NAMES = dict(GROUPS)
# one unit's figures per group, in this order (amounts in 万元; bands: codes of the thresholds)
AMOUNTS = ("income", "income_previous", "income_budget", "expense", "expense_previous", "expense_budget",
           "treatment", "treatment_budget", "current", "previous_cumulative", "cumulative",
           "months_balance", "months_expense")
BANDS = ("income_band", "expense_band", "treatment_band", "months_band")
MONTHS_WORDS = {"risk": "支付风险", "low": "偏低", "normal": "合理", "high": "偏多", "excess": "过多"}
FILL_OF_BAND = {"risk": "low", "low": "low", "high": "high", "excess": "high"}


# ---------------------------------------------------------------- in the worker

def key_figures(figures: Figures) -> str:
    """One unit's record for the 汇总表: a line of decimals, a line per group (tab-separated
    AMOUNTS then BANDS, '' if absent) and a line per performance target.

    Compact on purpose: a batch of thousands of units keeps every record until it writes the 汇总表.
    """
    totals = figures.totals
    lines = [f"P\t{totals.income.percent_places}\t{totals.income.amount_places}",
             _group(TOTAL, totals, figures.thresholds)]
    lines += [_group(fund.key, fund, figures.thresholds) for fund in figures.funds]
    lines += ["\t".join(("T", fund.key, *(_clean(text) for text in (o.name, o.target, o.achieved)), "1" if o.met else ""))
              for fund in figures.funds for o in fund.outcomes]
    return "\n".join(lines)


def _group(key: str, figures: FundFigures | Totals, thresholds: Thresholds) -> str:
    months = getattr(figures, "months", None)
    income, expense, treatment = figures.income_sub, figures.expense_sub, figures.treatment
    amounts = (income.actual, income.previous, income.budget, expense.actual, expense.previous, expense.budget,
               treatment.actual, treatment.budget, figures.current_balance,
               getattr(figures, "previous_cumulative", None), figures.cumulative_balance,
               months.balance if months else None, months.expense if months else None)
    places = income.percent_places
    bands = [_execution_band(line.execution, places, thresholds) for line in (income, expense, treatment)]
    bands.append(months.band if months else None)
    return "\t".join(("G", key, *("" if v is None else str(v) for v in (*amounts, *bands))))


def _execution_band(rate: Optional[Decimal], places: int, thresholds: Thresholds) -> Optional[str]:
    """low/high as the check ``execution.band`` judges a rate: as shown, by the unit's thresholds."""
    return None if rate is None else thresholds.execution_band(calc.round_half_up(rate, places))


def _clean(text: str) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------- in the coordinating process

@dataclass
class UnitFigures:
    """One unit's record read back: its decimals, its groups (key → figures) and its targets."""

    percent_places: int = 2
    amount_places: int = 0
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: list[tuple[str, str, str, str, bool]] = field(default_factory=list)  # fund key, name, target, achieved, met


def read_figures(record: str) -> UnitFigures:
    unit = UnitFigures()
    for line in record.split("\n"):
        kind, *values = line.split("\t")
        if kind == "P":
            unit.percent_places, unit.amount_places = int(values[0]), int(values[1])
        elif kind == "G":
            key, *rest = values
            figures: dict[str, Any] = {name: Decimal(v) if v else None for name, v in zip(AMOUNTS, rest)}
            figures.update({name: v or None for name, v in zip(BANDS, rest[len(AMOUNTS):])})
            unit.groups[key] = figures
        elif kind == "T":
            unit.targets.append((values[0], values[1], values[2], values[3], values[4] == "1"))
    return unit


def has_figures(record: str) -> bool:
    """Whether a unit's record (:func:`key_figures`) holds any amount other than 0 (text only:
    a batch asks it of every unit)."""
    return any(value.strip("0.-") for line in record.split("\n") if line.startswith("G\t")
               for value in line.split("\t")[2:2 + len(AMOUNTS)])


@dataclass
class Column:
    """One column of a theme sheet: its header, width, kind (amount/rate/months/text), the
    value of a group's figures and, optionally, the band that fills the cell."""

    header: str
    kind: str
    value: Callable[[dict], Any]
    band: Optional[Callable[[dict], Optional[str]]] = None
    width: int = 13


def _rounded(value: Optional[Decimal]) -> Optional[Decimal]:
    return None if value is None else calc.round_half_up(value, 2)


def _amount(name: str) -> Callable[[dict], Any]:
    return lambda g: g[name]


def _band(name: str) -> Callable[[dict], Optional[str]]:
    return lambda g: FILL_OF_BAND.get(g[name] or "")


THEMES: dict[str, list[Column]] = {
    "收支": [
        Column("收入小计本年（万元）", "amount", _amount("income")),
        Column("收入小计上年（万元）", "amount", _amount("income_previous")),
        Column("收入增减（万元）", "amount", lambda g: calc.change(g["income"], g["income_previous"])),
        Column("收入增幅", "rate", lambda g: calc.growth(g["income"], g["income_previous"])),
        Column("支出小计本年（万元）", "amount", _amount("expense")),
        Column("支出小计上年（万元）", "amount", _amount("expense_previous")),
        Column("支出增减（万元）", "amount", lambda g: calc.change(g["expense"], g["expense_previous"])),
        Column("支出增幅", "rate", lambda g: calc.growth(g["expense"], g["expense_previous"])),
        Column("当期结余（万元）", "amount", _amount("current")),
    ],
    "执行率": [
        Column("收入小计预算（万元）", "amount", _amount("income_budget")),
        Column("收入小计本年（万元）", "amount", _amount("income")),
        Column("收入执行率", "rate", lambda g: calc.execution(g["income"], g["income_budget"]), _band("income_band")),
        Column("支出小计预算（万元）", "amount", _amount("expense_budget")),
        Column("支出小计本年（万元）", "amount", _amount("expense")),
        Column("支出执行率", "rate", lambda g: calc.execution(g["expense"], g["expense_budget"]), _band("expense_band")),
        Column("待遇支出预算（万元）", "amount", _amount("treatment_budget")),
        Column("待遇支出本年（万元）", "amount", _amount("treatment")),
        Column("待遇支出执行率", "rate", lambda g: calc.execution(g["treatment"], g["treatment_budget"]),
               _band("treatment_band")),
    ],
    "结余与可支付月数": [
        Column("上年滚存结余（万元）", "amount", _amount("previous_cumulative")),
        Column("当期结余（万元）", "amount", _amount("current")),
        Column("滚存结余（万元）", "amount", _amount("cumulative")),
        Column("月均支出（万元）", "amount", lambda g: _rounded(calc.monthly(g["months_expense"]))),
        Column("可支付月数", "months", lambda g: calc.months_payable(g["months_balance"], g["months_expense"]),
               _band("months_band")),
        Column("判断", "text", lambda g: MONTHS_WORDS.get(g["months_band"] or ""), _band("months_band"), width=8),
    ],
}
HEAD = ["单位", "年度", "基金"]
HEAD_WIDTHS = [22, 7, 24]
TARGET_HEAD = ["单位", "年度", "基金", "目标", "指标值", "实际完成", "是否完成"]
UNIT_HEAD = ["单位", "年度", "状态", "警告数", "数据文件", "报告文件"]


def write_summary(results: list, path: Path, thresholds: Optional[Path] = None, *,
                  year: Optional[int] = None) -> Path:
    """Write the 汇总表 of a batch (:class:`sireport.run.jobs.UnitResult` each) to ``path``;
    ``thresholds``: the batch's thresholds file (its 合计 rows are judged by it); ``year``:
    the batch's year (:func:`main_year` of all its units; by default of the units rendered):
    the 合计 rows sum only its units."""
    book = Listing()
    rendered = _Rendered([unit for unit in results if unit.ok and unit.figures])
    shape = _Shape.of(rendered, year)
    judge = _batch_thresholds(thresholds)
    for key, group in _in_order(shape.totals):
        _judge(key, group, judge, shape.places)
    for title, columns in THEMES.items():
        _theme(book, title, columns, rendered, shape)
    _targets(book, rendered, shape)
    _units(book, results, shape)
    return book.save(path)


def main_year(years: Iterable[int | None]) -> int | None:
    """The batch's year, the one its 合计 rows sum: the year most units have (ties: the
    latest); None when no unit has one. A unit of another year is listed, marked, and warned
    about (sireport.run.cross_units)."""
    counts = Counter(year for year in years if year is not None)
    return max(counts, key=lambda year: (counts[year], year)) if counts else None


class _Rendered:
    """The units rendered, each with its record read back (again at every pass: thousands of
    records read at once would take tens of megabytes)."""

    def __init__(self, units: list) -> None:
        self.units = units

    def __iter__(self) -> Iterator[tuple[Any, UnitFigures]]:
        return ((unit, read_figures(unit.figures)) for unit in self.units)


@dataclass
class _Shape:
    """What every sheet shares: the number formats and the year most units have."""

    formats: dict[str, str]
    years: Counter
    places: int
    main_year: Optional[int]  # the batch's year (most units'; ties: the latest)
    groups: int  # rows of a theme sheet (a unit's groups, over all units)
    targets: int  # rows of the 绩效目标 sheet
    totals: dict[str, dict[str, Any]]  # the 合计 rows of every theme sheet: each fund's amounts summed

    @classmethod
    def of(cls, rendered: _Rendered, year: Optional[int]) -> _Shape:
        percent, amount, groups, targets, years = 0, 0, 0, 0, Counter()
        sums: dict[Optional[int], dict[str, dict[str, Any]]] = {}  # year -> the 合计 rows of its units
        for unit, figures in rendered:
            percent, amount = max(percent, figures.percent_places), max(amount, figures.amount_places)
            groups, targets = groups + len(figures.groups), targets + len(figures.targets)
            years[unit.year] += 1
            summed = sums.setdefault(unit.year, {})
            for key, group in figures.groups.items():
                _add(summed, key, group)
        percent = percent if years else 2
        year = year if year is not None else main_year(years.elements())
        return cls({"amount": amount_format(amount), "rate": percent_format(percent), "months": "0.00",
                    "text": "General"}, years, percent, year, groups, targets, sums.get(year, {}))

    def note(self) -> Optional[list[str]]:
        """The note row above the header when units of several years are listed."""
        if len(self.years) < 2:
            return None
        years = "、".join(f"{year}年" for year in sorted(self.years, key=str))
        return [f"注意：本表含 {years} 的单位，与本批多数单位（{self.main_year}年）年度不同的单位已在“年度”列标色；"
                f"合计行只含 {self.main_year} 年的单位。"]

    def summed(self, year: Optional[int]) -> bool:
        """Whether a unit of ``year`` is in the 合计 rows (those of the batch's year)."""
        return year == self.main_year

    def year_fill(self, year: Optional[int]) -> Optional[str]:
        return "year" if len(self.years) > 1 and year != self.main_year else None


def _theme(book: Listing, title: str, columns: list[Column], rendered: _Rendered, shape: _Shape) -> None:
    sheet = book.sheet(title, HEAD + [column.header for column in columns],
                       HEAD_WIDTHS + [column.width for column in columns], frozen_columns=3, rows=shape.groups,
                       above=shape.note())
    cells, bold = _Cells(book, columns, shape), _Cells(book, columns, shape, bold=True)
    for unit, figures in rendered:
        name, year = unit.unit or unit.source, book.cell(unit.year, fill=shape.year_fill(unit.year))
        for key, group in _in_order(figures.groups):
            sheet.append([name, year, NAMES[key], *cells.of(group)])
    for key, group in _in_order(shape.totals):
        sheet.append([book.cell("合计", bold=True), None, book.cell(NAMES[key], bold=True), *bold.of(group)])


def _in_order(groups: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    return ((key, groups[key]) for key, _ in GROUPS if key in groups)


class _Cells:
    """A theme sheet's columns as the cells of one row: each column's value as the reports
    print it (a rate rounded to the batch's places and stored as a fraction, months to two
    places), in its number format, filled by its band (:data:`FILL_OF_BAND`)."""

    def __init__(self, book: Listing, columns: list[Column], shape: _Shape, bold: bool = False) -> None:
        places = shape.places
        shown = {"rate": lambda value: calc.round_half_up(value, places) / calc.HUNDRED,
                 "months": lambda value: calc.round_half_up(value, 2)}
        self._columns = [(column.value, shown.get(column.kind), column.band, shape.formats[column.kind])
                         for column in columns]
        self._style, self._bold = book.style, bold

    def of(self, group: dict) -> list[Styled]:
        cells = []
        for value_of, shown, band, number_format in self._columns:
            value = value_of(group)
            if value is not None and shown is not None:
                value = shown(value)
            cells.append(Styled(value, self._style(number_format, band(group) if band else None, self._bold)))
        return cells


def _add(sums: dict[str, dict[str, Any]], key: str, group: dict) -> None:
    """Add one unit's group into the 合计 of its fund (a missing figure leaves the sum empty)."""
    total = sums.setdefault(key, dict.fromkeys(AMOUNTS, Decimal(0)))
    for name in AMOUNTS:
        total[name] = calc.total((total[name], group[name]))


def _judge(key: str, group: dict, thresholds: Thresholds, places: int) -> None:
    """The bands of a 合计 row, by the same rules the checks use (the batch's thresholds)."""
    for side in ("income", "expense", "treatment"):
        rate = calc.execution(group[side], group[f"{side}_budget"])
        group[f"{side}_band"] = _execution_band(rate, places, thresholds)
    from sireport.figures.compute import MONTHS_PLACES  # deferred: the data model, at the end of the run

    months = calc.months_payable(group["months_balance"], group["months_expense"])
    shown = None if months is None else calc.round_half_up(months, MONTHS_PLACES)  # judged as printed
    group["months_band"] = None if key == TOTAL else thresholds.months_band(key, NAMES[key]).judge(shown)


def _batch_thresholds(path: Optional[Path]) -> Thresholds:
    """The thresholds every unit of the batch starts from: the shipped ones, or the file's."""
    from sireport.data.thresholds import Thresholds  # deferred: the data model, at the end of the run

    if path is None:
        return Thresholds.model_validate({})
    from sireport.data.thresholds_file import load_thresholds  # deferred (as above), and only for a file

    return Thresholds.model_validate(load_thresholds(path))


def _targets(book: Listing, rendered: _Rendered, shape: _Shape) -> None:
    """绩效目标: each target with an achieved value, 未完成 filled; 合计: how many, how many missed."""
    count = 0
    sheet = book.sheet("绩效目标", TARGET_HEAD, [22, 7, 24, 22, 14, 14, 10], frozen_columns=3,
                       rows=shape.targets,
                       above=shape.note())
    missed = 0
    for unit, figures in rendered:
        for key, name, target, achieved, met in figures.targets:
            count += shape.summed(unit.year)
            missed += shape.summed(unit.year) and not met
            sheet.append([unit.unit or unit.source, book.cell(unit.year, fill=shape.year_fill(unit.year)),
                          NAMES[key], name, target, achieved,
                          book.cell("完成" if met else "未完成", fill=None if met else "low")])
    sheet.append([book.cell("合计", bold=True), None, None, book.cell(f"共 {count} 项", bold=True),
                  None, None, book.cell(f"未完成 {missed} 项", bold=True)])


def _units(book: Listing, results: Iterable, shape: _Shape) -> None:
    """单位清单: every unit of the batch, whether its report was written, and its warnings."""
    results = list(results)
    sheet = book.sheet("单位清单", UNIT_HEAD, [22, 7, 8, 8, 40, 60], frozen_columns=1, rows=len(results),
                       above=shape.note())
    for unit in results:
        sheet.append([unit.unit or unit.source, book.cell(unit.year, fill=shape.year_fill(unit.year)),
                      book.cell("已生成" if unit.ok else "未生成", fill=None if unit.ok else "low"),
                      unit.warning_count, unit.source, unit.output or ""])
