"""The self-evaluation table(s) as an Excel workbook (``render --xlsx``), with openpyxl.

Same layout as the Word table: header rows, 项目资金, 年度总体目标, then the indicators
with the 一级/二级 cells merged over their rows and the 总分 row. Thin borders, number
formats (amounts and scores 0.00, rates as percentages with the table's decimals),
column widths, wrapped text, A4 landscape fitted to the page width, and the indicator
header repeated on every printed page. Returns stamped bytes; the caller writes them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Optional

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sireport.excel import package
from sireport.figures.calc import round_half_up
from sireport.figures.evaluation import Table
from sireport.files import stamp

HUNDRED = Decimal(100)
AMOUNT_FORMAT = "0.00"
SCORE_FORMAT = "General"  # 20, 9.6, 98.29: as the Word table shows them
LINE_HEIGHT = 14.25  # points per line of 10.5 pt text
WIDTHS = (14, 16, 30, 18, 18, 9, 11, 28)  # characters, columns A–H
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FONT = Font(name="宋体", size=10.5)
BOLD = Font(name="宋体", size=10.5, bold=True)
TITLE_FONT = Font(name="黑体", size=16)
MONEY_HEAD = ("项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
SCORED_HEAD = ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
PLAIN_HEAD = ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "偏差原因分析及改进措施")


def workbook_bytes(tables: list[Table]) -> bytes:
    """An .xlsx with one sheet per table."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        name = (table.project_name or "绩效自评表")[:28].replace("/", "_")
        _sheet(book.create_sheet(name if len(tables) > 1 else "绩效自评表"), table)
    book.properties.creator = "sireport"
    return stamp(package.workbook_bytes(book))


class _Writer:
    def __init__(self, sheet: Worksheet):
        self.sheet = sheet
        self.row = 0
        self.merges: list[tuple[int, int, int, int]] = []  # applied last: rows below must exist first

    def line(self, values: list[Any], formats: Optional[dict[int, str]] = None, bold: bool = False,
             left: tuple[int, ...] = (), fit: bool = True) -> int:
        """Write one bordered row (``values`` from column A); return its row number.

        ``fit``: size the row for its wrapped text (rows with merged cells size themselves).
        """
        self.row += 1
        for column, value in enumerate(values, 1):
            cell = self.sheet.cell(self.row, column, value)
            cell.border = BORDER
            cell.font = BOLD if bold else FONT
            cell.alignment = LEFT if column in left else CENTER
            if formats and column in formats and isinstance(value, Decimal):
                cell.number_format = formats[column]
        if fit:
            self.fit_height(self.row, [(v, WIDTHS[i]) for i, v in enumerate(values) if isinstance(v, str)])
        return self.row

    def fit_height(self, row: int, texts: list[tuple[str, float]]) -> None:
        """Row height for wrapped text: Chinese characters take two width units each."""
        lines = max([1, *(math.ceil(len(text) * 2 / max(width - 1, 1)) for text, width in texts)])
        if lines > 1:
            self.sheet.row_dimensions[row].height = LINE_HEIGHT * lines

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if (first_row, first_col) != (last_row, last_col):
            self.merges.append((first_row, first_col, last_row, last_col))

    def finish(self) -> None:
        for first_row, first_col, last_row, last_col in self.merges:
            self.sheet.merge_cells(start_row=first_row, start_column=first_col, end_row=last_row,
                                   end_column=last_col)


def _sheet(sheet: Worksheet, table: Table) -> None:
    out = _Writer(sheet)
    _titles(out, table)
    _header(out, table)
    _money(out, table)
    _goals(out, table)
    out.row += 1
    _indicators(out, table)
    out.finish()
    for column, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True


def _titles(out: _Writer, table: Table) -> None:
    for text, font, align in ((table.title, TITLE_FONT, CENTER), (f"（{table.year}年度）", FONT, CENTER),
                              ("单位：万元", FONT, Alignment(horizontal="right"))):
        out.row += 1
        cell = out.sheet.cell(out.row, 1, text)
        cell.font, cell.alignment = font, align
        out.merge(out.row, 1, out.row, 8)


def _header(out: _Writer, table: Table) -> None:
    if table.kind == "project":
        row = out.line(["项目名称", table.project_name, *[""] * 6], left=(2,), fit=False)
        out.merge(row, 2, row, 8)
        out.fit_height(row, [(table.project_name, sum(WIDTHS[1:]))])
        pair = (table.department, table.implementing_unit)
        row = out.line(["主管部门", pair[0], "", "", "实施单位", pair[1], "", ""], left=(2, 6), fit=False)
    else:
        pair = (table.budget_unit, table.project_name)
        row = out.line(["预算单位", pair[0], "", "", "项目名称", pair[1], "", ""], left=(2, 6), fit=False)
    out.merge(row, 2, row, 4)
    out.merge(row, 6, row, 8)
    out.fit_height(row, [(pair[0], sum(WIDTHS[1:4])), (pair[1], sum(WIDTHS[5:]))])


def _money(out: _Writer, table: Table) -> None:
    rate_format = "0" + ("." + "0" * table.percent_decimals if table.percent_decimals else "") + "%"
    formats = {3: AMOUNT_FORMAT, 4: AMOUNT_FORMAT, 5: AMOUNT_FORMAT, 7: rate_format, 8: SCORE_FORMAT}
    first = out.line(list(MONEY_HEAD), bold=True)
    money = table.money
    out.line(["", money.name, money.initial, money.budget, money.executed, table.money_weight,
              _share(money.rate, table.percent_decimals), table.money_score], formats)
    for part in table.money_parts:
        out.line(["", part.name, part.initial, part.budget, part.executed, "—",
                  _share(part.rate, table.percent_decimals), "—"], formats)
    out.merge(first, 1, out.row, 1)


def _goals(out: _Writer, table: Table) -> None:
    first = out.line(["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", ""], bold=True)
    out.merge(first, 2, first, 4)
    out.merge(first, 5, first, 8)
    row = out.line(["", table.goals_expected, "", "", table.goals_actual, "", "", ""], left=(2, 5), fit=False)
    out.merge(row, 2, row, 4)
    out.merge(row, 5, row, 8)
    out.merge(first, 1, row, 1)
    out.fit_height(row, [(table.goals_expected, sum(WIDTHS[1:4])), (table.goals_actual, sum(WIDTHS[4:8]))])


def _indicators(out: _Writer, table: Table) -> None:
    head = SCORED_HEAD if table.scored else PLAIN_HEAD
    header = out.line(list(head), bold=True)
    out.sheet.print_title_rows = f"{header}:{header}"
    formats = {6: "General", 7: SCORE_FORMAT}
    for row in table.rows:
        values = [row.level1, row.level2, row.name, row.target, row.actual]
        values += [row.weight, row.score, row.reason] if table.scored else [row.reason]
        number = out.line(values, formats, left=(3, len(values)))
        if row.level1_span:
            out.merge(number, 1, number + row.level1_span - 1, 1)
        if row.level2_span:
            out.merge(number, 2, number + row.level2_span - 1, 2)
    if table.scored:
        row = out.line(["总分", "", "", "", "", table.total_weight, table.total_score, f"评价等级：{table.grade}"],
                       formats, bold=True)
        out.merge(row, 1, row, 5)


def _share(rate: Optional[Decimal], places: int) -> Optional[Decimal]:
    """A percentage, rounded as the table shows it, as the fraction Excel's % format expects."""
    return None if rate is None else round_half_up(rate, places) / HUNDRED
