"""The 汇总表: every unit's key figures side by side in one Excel workbook.

One row per unit; for 合计 and then each fund (in the standard fund order) the columns
收入小计, 收入增幅%, 收入执行预算%, 支出小计, 支出增幅%, 支出执行预算%, 当期结余 and 滚存结余,
under a first header row naming the fund. Amounts are 万元 as computed (displayed with
two decimals), rates are percentages rounded half-up to two decimals. A second sheet
lists every failure and warning of the run.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from . import calc
from .figures import Figures, Line
from .funds import FUND_KINDS
from .output import write_atomic

TOTAL = "total"
COLUMNS = (  # (header, key)
    ("收入小计（万元）", "income"), ("收入增幅%", "income_growth"), ("收入执行预算%", "income_execution"),
    ("支出小计（万元）", "expense"), ("支出增幅%", "expense_growth"), ("支出执行预算%", "expense_execution"),
    ("当期结余（万元）", "current"), ("滚存结余（万元）", "cumulative"),
)


def key_figures(figures: Figures) -> dict[str, Any]:
    """The figures of one unit the 汇总表 shows: {fund key or 'total': {column key: value}}."""
    out = {TOTAL: _block(figures.totals.income_sub, figures.totals.expense_sub,
                         figures.totals.current_balance, figures.totals.cumulative_balance)}
    for fund in figures.funds:
        out[fund.key] = _block(fund.income_sub, fund.expense_sub, fund.current_balance, fund.cumulative_balance)
    return out


def _block(income: Line, expense: Line, current: Optional[Decimal], cumulative: Optional[Decimal]) -> dict:
    return {"income": income.actual, "income_growth": income.growth, "income_execution": income.execution,
            "expense": expense.actual, "expense_growth": expense.growth,
            "expense_execution": expense.execution, "current": current, "cumulative": cumulative}


def write_summary(results: list, path: Path) -> Path:
    """Write the 汇总表 of a batch (a list of :class:`sireport.batch.UnitResult`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    present = {key for unit in results if unit.figures for key in unit.figures}
    groups = [(TOTAL, "合计")] + [(kind.key, kind.name) for kind in FUND_KINDS if kind.key in present]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("汇总表")
    sheet.freeze_panes = "D3"
    bold = Font(bold=True)
    first, second = ["单位", "年度", "状态"], ["", "", ""]
    for _, title in groups:
        first += [title] + [""] * (len(COLUMNS) - 1)
        second += [header for header, _ in COLUMNS]
    sheet.append([_bold(sheet, text, bold) for text in first])
    sheet.append([_bold(sheet, text, bold) for text in second])
    for unit in sorted(results, key=lambda u: (u.unit or "", u.source)):
        row: list[Any] = [unit.unit or unit.source, unit.year, "已生成" if unit.ok else "失败"]
        for key, _ in groups:
            block = (unit.figures or {}).get(key, {})
            row += [_value(block.get(column)) for _, column in COLUMNS]
        sheet.append(row)
    problems = book.create_sheet("问题")
    problems.append([_bold(problems, text, bold) for text in ("文件", "类别", "说明")])
    for unit in sorted(results, key=lambda u: u.source):
        if unit.error:
            problems.append([unit.source, "失败", unit.error])
        for warning in unit.warnings:
            problems.append([unit.source, "警告", warning])
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(path, buffer.getvalue(), force=True)  # regenerated on every run


def _bold(sheet: Any, text: str, font: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _value(value: Optional[Decimal]) -> Optional[Decimal]:
    return None if value is None else calc.round_half_up(value, 2)
