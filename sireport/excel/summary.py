"""The 汇总表: every unit's key figures side by side in one Excel workbook.

One row per unit (in input order); for 合计 and then each fund present in the batch (in
the standard fund order) the columns 收入小计, 收入增幅%, 收入执行预算%, 支出小计, 支出增幅%,
支出执行预算%, 当期结余 and 滚存结余, under a first header row naming the fund. Amounts are
万元 (shown #,##0) and rates percentages (shown 0.00%), both rounded half-up to two decimals;
the header is frozen, every column has a filter, and a last 合计 row sums the amounts of
the units rendered (when units of different years are mixed, only those of the batch's year,
which its 年度 cell names). The 问题清单, a workbook
of its own, lists every failure and warning of the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from sireport.data.funds import FUND_KINDS
from sireport.excel import package
from sireport.figures import calc
from sireport.files import write_atomic

if TYPE_CHECKING:  # the coordinating batch process does not import the data model
    from sireport.figures.compute import Figures, Line

GROUPS = (("total", "合计"), *((kind.key, kind.name) for kind in FUND_KINDS))
COLUMNS = ("收入小计（万元）", "收入增幅%", "收入执行预算%", "支出小计（万元）", "支出增幅%", "支出执行预算%",
           "当期结余（万元）", "滚存结余（万元）")


def key_figures(figures: Figures) -> str:
    """One unit's row: for each of GROUPS, the COLUMNS rounded, tab-separated ('' if absent).

    Compact on purpose: a batch of thousands of units keeps every row until it writes the 汇总表.
    """
    totals = figures.totals
    blocks = {"total": _block(totals.income_sub, totals.expense_sub, totals.current_balance,
                              totals.cumulative_balance)}
    for fund in figures.funds:
        blocks[fund.key] = _block(fund.income_sub, fund.expense_sub, fund.current_balance, fund.cumulative_balance)
    empty = ("",) * len(COLUMNS)
    return "\t".join(value for key, _ in GROUPS for value in blocks.get(key, empty))


def _block(income: Line, expense: Line, current: Optional[Decimal], cumulative: Optional[Decimal]) -> tuple:
    values = (income.actual, income.growth, income.execution, expense.actual, expense.growth, expense.execution,
              current, cumulative)
    return tuple("" if v is None else str(calc.round_half_up(v, 2)) for v in values)


def write_summary(results: list, path: Path, *, year: Optional[int] = None) -> Path:
    """Write the 汇总表 of a batch: one row per unit (:class:`sireport.run.batch.UnitResult`).
    ``year``: the batch's year when units of other years are mixed in (sireport.run.cross_units):
    the 合计 row sums only its units."""
    from openpyxl.cell import WriteOnlyCell  # deferred: workers import key_figures, not openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    width = len(COLUMNS)
    present = [False] * len(GROUPS)
    for unit in results:
        if unit.figures:
            row = unit.figures.split("\t")
            for index in range(len(GROUPS)):
                present[index] = present[index] or any(row[index * width:(index + 1) * width])
    shown = [index for index in range(len(GROUPS)) if index == 0 or present[index]]
    book, sheet = _book("汇总表", [22, 6, 8] + [12] * (width * len(shown)))
    sheet.freeze_panes = "D3"
    bold = Font(bold=True)

    def header(texts: list[str]) -> list:
        cells = []
        for text in texts:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            cells.append(cell)
        return cells

    first, second = ["单位", "年度", "状态"], ["", "", ""]
    for index in shown:
        first += [GROUPS[index][1]] + [""] * (width - 1)
        second += list(COLUMNS)
    sheet.append(header(first))
    sheet.append(header(second))
    rows = []
    for unit in results:
        figures = unit.figures.split("\t") if unit.figures else None
        values: list[Optional[Decimal]] = []
        for index in shown:
            block = figures[index * width:(index + 1) * width] if figures else ("",) * width
            values += [Decimal(value) if value else None for value in block]
        rows.append(([unit.unit or unit.source, unit.year, "已生成" if unit.ok else "失败"], values))
    for head, values in rows:
        sheet.append(head + [_cell(sheet, value, index % width) for index, value in enumerate(values)])
    summed = [(head, values) for head, values in rows if head[2] == "已生成" and year in (None, head[1])]
    sheet.append(header(["合计", "" if year is None else f"仅{year}年", ""])
                 + [_cell(sheet, _column_sum(summed, index) if index % width not in RATES else None, index % width)
                    for index in range(width * len(shown))])
    sheet.auto_filter.ref = f"A2:{get_column_letter(3 + width * len(shown))}{len(rows) + 2}"
    return _save(book, path)


RATES = {1, 2, 4, 5}  # positions of the percentage columns within a block of COLUMNS


def _cell(sheet: Any, value: Optional[Decimal], position: int) -> Any:
    """A value cell: amounts as #,##0, rates (written as 5.29 for 5.29%) as 0.00%."""
    from openpyxl.cell import WriteOnlyCell  # deferred: workers import key_figures, not openpyxl

    if position in RATES:
        cell = WriteOnlyCell(sheet, value=None if value is None else value / 100)
        cell.number_format = "0.00%"
    else:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0"
    return cell


def _column_sum(rows: list, index: int) -> Optional[Decimal]:
    """The 合计 row's amount: the sum over the rows given (rates are not summed)."""
    values = [values[index] for head, values in rows]
    return calc.total(values) if values else None


def write_problems(failed: list, warnings: Iterable[tuple[str, str]], path: Path) -> Path:
    """Write the 问题清单 of a batch: the failed units with their reason (units sharing one,
    in one row: :func:`sireport.run.jobs.failures`), then every warning as given in (file,
    warning) pairs."""
    book, sheet = _book("问题", [40, 6, 120])
    sheet.append(["文件", "类别", "说明"])
    for units, error in failed:
        sheet.append(["、".join(unit.source for unit in units), "失败", error])
    for source, warning in warnings:
        sheet.append([source, "警告", warning])
    return _save(book, path)


def _book(title: str, widths: list[int]) -> tuple[Any, Any]:
    """A write-only workbook with one sheet whose columns have the given widths (characters)."""
    from openpyxl import Workbook  # deferred: workers import key_figures, not openpyxl
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return book, sheet


def _save(book: Any, path: Path) -> Path:
    return write_atomic(path, package.workbook_bytes(book), force=True)  # regenerated on every run
