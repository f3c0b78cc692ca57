"""Write the Excel entry workbook (the layout of :mod:`sireport.excel.layout`).

``workbook_bytes(units)`` turns one or more units' data (plain dicts shaped like
``Report.model_dump()``) into an .xlsx: a 说明 sheet, then one sheet per part with
Chinese headers, frozen header rows, filters, number formats, column widths, 是/否
lists, fund name lists and ≥0 checks on amounts. Numbers are written as numbers
(exactly: a Decimal that a float cannot hold goes in as text, which the reader accepts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Union

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sireport.data.funds import valid_fund_names
from sireport.data.model import Report
from sireport.errors import DataError
from sireport.excel import package
from sireport.excel.layout import FUND_HEADER, HELP_HEADER, PARENT_HEADER, UNIT_HEADER, Column, Sheet, layout
from sireport.files import refuse_existing, write_atomic

YES, NO = "是", "否"
ENTRY_ROWS = 300  # blank rows below the data that still get formats and checks
FORMATS = {"decimal": "#,##0.00", "int": "0", "date": "yyyy-mm-dd", "text": "@", "choice": "@", "list": "@",
           "mapping": "@", "figure": "@", "count": "General"}
WIDTHS = {"decimal": 13, "int": 11, "bool": 11, "date": 12, "choice": 11, "list": 18, "text": 20}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
KEY_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

Data = Union[Report, dict]


def workbook_bytes(units: Iterable[Data]) -> bytes:
    """The entry workbook for ``units`` (one unit, or several with a 单位 column)."""
    datas = [unit.model_dump() if isinstance(unit, Report) else unit for unit in units]
    multi = len(datas) > 1
    if multi:
        names = [str(_dig(d, ("report", "unit")) or "") for d in datas]
        duplicates = sorted({n for n in names if names.count(n) > 1 or not n})
        if duplicates:
            raise DataError(f"多单位工作簿中每个单位的名称必须不同且不为空：{'、'.join(duplicates) or '（空）'}")
    book = Workbook()
    _instructions(book.active, multi)
    fund_range = ""
    for sheet in layout():
        rows = []
        for data in datas:
            prefix = [data["report"]["unit"]] if multi else []
            rows += [(prefix + cells, columns) for cells, columns in _rows(sheet, data)]
        ws = book.create_sheet(sheet.name)
        fund_range = _fill(ws, sheet, rows, multi, fund_range)
    return package.workbook_bytes(book)


def write_workbook(path: str | Path, units: Iterable[Data], force: bool = False) -> Path:
    """Write the entry workbook to ``path`` atomically (refusing to replace a file unless ``force``)."""
    path = Path(path)
    refuse_existing(path, force)
    return write_atomic(path, workbook_bytes(units), force=True)


# ---------------------------------------------------------------------------- rows

def _dig(obj: Any, path: Iterable[str]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _values(obj: Any, columns: Iterable[Column]) -> list[Any]:
    return [_cell_value(_dig(obj, c.path), c) for c in columns]


def _is_quiet_default(value: Any, column: Optional[Column]) -> bool:
    """A "no" flag that is also the default stays blank, so rows stay readable."""
    return value is False and column is not None and column.default is False


def _rows(sheet: Sheet, data: dict) -> list[tuple[list, Optional[list]]]:
    """(cells, per-cell columns or None) for every row of ``sheet``; None = the sheet's columns."""
    funds = data.get("funds") or []
    rest = sheet.path[2:]
    out: list[tuple[list, Optional[list]]] = []
    if sheet.mode == "fields":
        owners = [([f["name"]], _dig(f, rest)) for f in funds] if sheet.per_fund else [([], _dig(data, sheet.path))]
        for key, obj in owners:
            for column in sheet.columns:
                out.append(([*key, column.label, _cell_value(_dig(obj, column.path), None), column.help],
                            [None] * (len(key) + 1) + [column, None]))
    elif sheet.mode == "list" and sheet.defines_funds:
        out = [(_values(f, sheet.columns), None) for f in funds]
    elif sheet.mode == "list":
        owners = [([f["name"]], _dig(f, rest)) for f in funds] if sheet.per_fund else [([], _dig(data, sheet.path))]
        for key, entries in owners:
            for cells in _list_rows(sheet, entries or [], sheet.levels):
                out.append(([*key, *cells], None))
    elif sheet.mode == "record":
        out = [([f["name"], *_values(_dig(f, rest), sheet.columns)], None) for f in funds]
    elif sheet.mode == "named":
        for fund in funds:
            for field, label, _ in sheet.named:
                out.append(([fund["name"], label, *_values(_dig(fund, (*rest, field)), sheet.columns)], None))
    elif sheet.mode == "keyed":
        mapping = _dig(data, sheet.path) or {}
        out = [([sheet.shown_key(key), *_values(value, sheet.columns)], None) for key, value in mapping.items()]
    return out


def _list_rows(sheet: Sheet, entries: list, levels: tuple) -> Iterable[list]:
    """Cells of the rows of a list: nested lists give one row per innermost entry, the outer
    entries' cells repeated on each; tree entries follow their parent with its name in 所属项目."""
    if levels:
        field, columns = levels[0]
        for entry in entries:
            head = _values(entry, columns)
            inner = list(_list_rows(sheet, entry.get(field) or [], levels[1:]))
            width = sum(len(level[1]) for level in levels[1:]) + len(sheet.columns)
            for tail in inner or [[None] * width]:
                yield head + tail
        return
    for entry, parent in _entries(entries, sheet.tree, None):
        cells = _values(entry, sheet.columns)
        if sheet.tree:
            cells.insert(sheet.value_headers().index(PARENT_HEADER), parent)
        yield cells


def _entries(entries: list, tree: Optional[str], parent: Optional[str]):
    for entry in entries:
        yield entry, parent
        if tree:
            yield from _entries(entry.get(tree) or [], tree, entry.get("name"))


def _cell_value(value: Any, column: Optional[Column]) -> Any:
    """A model value as it goes into a cell (numbers as numbers, flags as 是/否)."""
    if value is None or _is_quiet_default(value, column):
        return None
    if column is not None and column.kind == "figure":
        return str(value)  # a text cell keeps the printed decimals and unit (103.20, 1.19亿元)
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else format(value, "f")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{key}={item}" for key, item in value.items()) or None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# ---------------------------------------------------------------------------- cells

def _fill(ws: Worksheet, sheet: Sheet, rows: list, multi: bool, fund_range: str) -> str:
    headers = ([UNIT_HEADER] if multi else []) + sheet.headers()
    for index, header in enumerate(headers, 1):
        cell = ws.cell(1, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        column = sheet.column(header) if sheet.mode != "fields" else None
        if column is not None and column.help:
            cell.comment = Comment(_help(column), "填报说明", width=260, height=120)
    ws.row_dimensions[1].height = 32
    shift = 1 if multi else 0
    table_columns = _table_columns(sheet, shift)
    for row_index, (cells, per_cell) in enumerate(rows, 2):
        for col_index, value in enumerate(cells, 1):
            column = per_cell[col_index - 1 - shift] if per_cell and col_index > shift else table_columns.get(col_index)
            cell = ws.cell(row_index, col_index)
            _put(cell, value)
            cell.border = BORDER
            if column is not None:
                cell.number_format = FORMATS.get(column.kind, "General")
                cell.alignment = Alignment(vertical="top", wrap_text=column.long_text or column.kind == "text")
            elif col_index <= shift + len(sheet.key_headers()) or headers[col_index - 1] == HELP_HEADER:
                cell.fill = KEY_FILL if headers[col_index - 1] != HELP_HEADER else PatternFill()
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    _widths(ws, sheet, headers, table_columns, shift)
    _validations(ws, sheet, rows, table_columns, shift, fund_range)
    key_count = shift + len(sheet.key_headers()) + (1 if sheet.mode == "list" else 0)
    ws.freeze_panes = ws.cell(2, key_count + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 2)}"
    if sheet.defines_funds:
        letter = get_column_letter(shift + 1)
        return f"'{sheet.name}'!${letter}$2:${letter}${len(rows) + ENTRY_ROWS}"
    return fund_range


def _put(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula


def _help(column: Column) -> str:
    extra = {"bool": "填“是”或“否”。", "decimal": "填数字。", "figure": "照原文填写，保留原文的小数位数和单位，如 1.19亿元、99.10。", "int": "填整数。", "date": "填日期，如 2020-09-10。",
             "choice": "从下拉列表中选择。", "list": "多个值用顿号分隔。",
             "mapping": "写成“键=值”，多项用分号隔开。"}.get(column.kind, "")
    if column.kind == "date" and "2020-09-10" in column.help:
        extra = ""
    return f"{column.help}。{extra}".replace("。。", "。")


def _table_columns(sheet: Sheet, shift: int) -> dict[int, Column]:
    if sheet.mode == "fields":
        return {}
    start = shift + len(sheet.key_headers()) + 1
    return {start + i: sheet.column(label) for i, label in enumerate(sheet.value_headers())
            if sheet.column(label) is not None}


def _widths(ws: Worksheet, sheet: Sheet, headers: list, columns: dict[int, Column], shift: int) -> None:
    for index, header in enumerate(headers, 1):
        column = columns.get(index)
        if sheet.mode == "fields":
            width = {FUND_HEADER: 22, HELP_HEADER: 48, "值": 70 if any(c.long_text for c in sheet.columns) else 24}
            width = width.get(header, 40)
        elif column is not None:
            width = 24 if column.path == ("name",) else WIDTHS.get(column.kind, 14)
            width = max(width, min(len(header) * 2 + 2, 26))
        else:
            width = 24 if header in (FUND_HEADER, PARENT_HEADER) else 12
        ws.column_dimensions[get_column_letter(index)].width = width


def _validations(ws: Worksheet, sheet: Sheet, rows: list, columns: dict[int, Column], shift: int,
                 fund_range: str) -> None:
    last = len(rows) + ENTRY_ROWS
    groups: dict[tuple, list[str]] = {}
    if sheet.mode == "fields":
        value_col = get_column_letter(shift + len(sheet.key_headers()) + 1)
        for row_index, (_, per_cell) in enumerate(rows, 2):
            column = per_cell[len(sheet.key_headers())]
            groups.setdefault(_rule(column), []).append(f"{value_col}{row_index}")
    else:
        for index, column in columns.items():
            letter = get_column_letter(index)
            groups.setdefault(_rule(column), []).append(f"{letter}2:{letter}{last}")
            ws.column_dimensions[letter].number_format = FORMATS.get(column.kind, "General")
    fund_col = shift + 1 if (sheet.per_fund or sheet.defines_funds) else None
    if fund_col:
        letter = get_column_letter(fund_col)
        rule = ("funds",) if sheet.defines_funds else ("fundref", fund_range)
        groups.setdefault(rule, []).append(f"{letter}2:{letter}{last}")
    for rule, ranges in groups.items():
        validation = _validation(rule)
        if validation is not None:
            for target in ranges:
                validation.add(target)
            ws.add_data_validation(validation)


def _rule(column: Column) -> tuple:
    if column.kind == "bool":
        return ("list", f'"{YES},{NO}"')
    if column.kind == "choice":
        return ("list", '"' + ",".join(column.choices) + '"')
    if column.kind in ("decimal", "int", "count"):
        return ("decimal" if column.kind == "count" else column.kind, column.nonnegative)
    return ("none",)


def _validation(rule: tuple) -> Optional[DataValidation]:
    kind = rule[0]
    if kind == "list":
        return DataValidation(type="list", formula1=rule[1], allow_blank=True, showErrorMessage=True,
                              errorTitle="取值无效", error="请从下拉列表中选择")
    if kind == "funds":
        return DataValidation(type="list", formula1='"' + ",".join(valid_fund_names()) + '"', allow_blank=True,
                              showErrorMessage=True, errorStyle="warning", errorTitle="基金名称",
                              error="不是标准的基金名称；常见简称也可以使用，请确认")
    if kind == "fundref":
        return DataValidation(type="list", formula1=rule[1], allow_blank=True, showErrorMessage=True,
                              errorStyle="warning", errorTitle="基金名称", error="请选择“基金”表中列出的基金")
    if kind in ("decimal", "int"):
        nonnegative = rule[1]
        kind_name = "数字" if kind == "decimal" else "整数"
        return DataValidation(type="decimal" if kind == "decimal" else "whole", operator="greaterThanOrEqual"
                              if nonnegative else "between", formula1="0" if nonnegative else "-1E+15",
                              formula2=None if nonnegative else "1E+15", allow_blank=True, showErrorMessage=True,
                              errorTitle="应为" + kind_name,
                              error=f"此处应填{'不小于 0 的' if nonnegative else ''}{kind_name}")
    return None


# ---------------------------------------------------------------------------- 说明

INSTRUCTIONS = """社会保险基金支出绩效自评报告 —— 数据填报工作簿

填写方法
1. 在“设置”表填写单位名称和报告年度；在“基金”表列出本报告包含的基金（每行一项，行的顺序就是报告中的顺序）。
2. 在“收入”“支出”表按基金逐项填写本年、上年、预算数（金额单位：万元，除非“设置”中另有规定）。不知道的数留空，报告中相关的比较会自动省略。
3. 预列的项目没有数时整行留空即可，视为未填写（不是 0），不计入合计。合计、小计、结余可以不填，由各项目相加得出，
   这时每个列出的项目都要有本年数（没有发生的填 0），否则程序会指出要填的单元格；填写了合计时以填写的数为准，并与各项目之和核对。
4. “上下级往来”“待遇支出”填“是”或“否”；留空时按项目名称自动判断。
5. 文字部分（“基金文字”“文字”表）可以写多段，单元格内换行（Alt+Enter）即分段。
6. 请直接填写数值，不要使用公式；如使用公式，须在 Excel 中保存后再交给程序（程序读取公式的计算结果）。
7. 表头和工作表名称不要修改；不需要的行可以删除；名称以“备注”开头的工作表不会被读取。
8. 填好后运行：sireport render 本工作簿.xlsx  —— 出错时程序会指出“工作表!单元格”和问题。
{multi}
各工作表
"""
MULTI_NOTE = "9. 本工作簿包含多个单位：每张表第一列“单位”填写单位名称（与“设置”表中的单位名称一致）。\n"


def _instructions(ws: Worksheet, multi: bool) -> None:
    ws.title = "说明"
    lines = INSTRUCTIONS.format(multi=MULTI_NOTE if multi else "").splitlines()
    for index, line in enumerate(lines, 1):
        ws.cell(index, 1, line)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    row = len(lines) + 1
    for sheet in layout():
        ws.cell(row, 1, f"{sheet.name}：{sheet.help}").font = Font(bold=True)
        row += 1
        for column in sheet.columns:
            text = _help(column)
            ws.cell(row, 1, f"    {text}" if text.startswith(column.label) else f"    {column.label}：{text}")
            row += 1
    ws.column_dimensions["A"].width = 120
