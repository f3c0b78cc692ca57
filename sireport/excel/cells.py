"""Read the cells of an .xlsx into plain tables, and turn cell values into data values.

Formulas are read through the values Excel cached when it last saved the file; a
formula with no cached value (a file written by a program and never opened in Excel)
is reported, not read as blank. Numbers become ``Decimal`` through the float's repr
(``0.1`` stays ``0.1``, never ``0.1000000000000000055…``); integers stay integers.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Optional

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from sireport.errors import DataError
from sireport.files import zip_too_big

YES_WORDS = {"是", "true", "yes", "y", "1", "√"}
NO_WORDS = {"否", "false", "no", "n", "0", "×"}


@dataclass
class Cell:
    value: Any
    coord: str  # "C5"
    percent: bool = False  # the cell is formatted as a percentage (0.95 shown as 95%)


@dataclass
class Table:
    """One worksheet: header texts by column and the non-empty rows below them."""

    name: str
    headers: dict[int, str]  # column index (1-based) -> header text
    rows: list[dict[int, Cell]] = field(default_factory=list)
    header_coords: dict[str, str] = field(default_factory=dict)

    def where(self, coord: str) -> str:
        return f"{self.name}!{coord}"


@dataclass
class Book:
    tables: dict[str, Table]
    formula_problems: dict[str, str]  # "Sheet!C5" -> message


def read_book(path: Path) -> Book:
    """Read every sheet of the workbook at ``path``; raise DataError if it cannot be opened."""
    formulas: dict[tuple[str, str], str] = {}
    tables = _read(path, data_only=False, formulas=formulas)
    problems: dict[str, str] = {}
    if formulas:
        cached = _read(path, data_only=True, formulas=None)
        targets = {name: _by_coord(table) for name, table in tables.items()}
        values = {name: _by_coord(table) for name, table in cached.items()}
        for (sheet, coord), formula in formulas.items():
            target = targets[sheet].get(coord)
            value = values[sheet].get(coord)
            if target is None:
                continue
            if value is None or value.value is None:
                problems[f"{sheet}!{coord}"] = (
                    f"单元格是公式“{formula}”，但文件中没有它的计算结果（文件不是由 Excel 保存的）。"
                    "请在 Excel 中打开并保存后再试，或直接填写数值")
                target.value = None
            else:
                target.value, target.percent = value.value, value.percent
    return Book(tables, problems)


def _by_coord(table: Table) -> dict[str, Cell]:
    return {cell.coord: cell for row in table.rows for cell in row.values()}


def _read(path: Path, data_only: bool, formulas: Optional[dict]) -> dict[str, Table]:
    try:
        too_big = zip_too_big(path)
        if too_big:
            raise DataError(f"{path}：{too_big}，未读取")
        book = load_workbook(path, read_only=True, data_only=data_only)
    except FileNotFoundError:
        raise DataError(f"{path}：找不到 Excel 工作簿") from None
    except PermissionError:
        raise DataError(f"{path}：无法读取 Excel 工作簿，文件可能正在 Excel 中打开，请关闭后重试") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, AttributeError, IndexError) as exc:
        raise DataError(f"{path}：无法读取 Excel 工作簿，文件已损坏或不是 .xlsx 格式"
                        f"（请在 Excel 中打开后另存为“Excel 工作簿 (*.xlsx)”）。详情：{type(exc).__name__}") from None
    for sheet in book.worksheets:  # the used range from the cells, not the dimension the file claims
        sheet.reset_dimensions()  # (a formatted blank cell at A1048576 would cost minutes)
    try:
        return {ws.title: _table(ws, formulas) for ws in book.worksheets}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise DataError(f"{path}：Excel 工作簿内容已损坏，无法读取（{type(exc).__name__}）") from None
    finally:
        book.close()


def _table(ws: Any, formulas: Optional[dict]) -> Table:
    table = Table(ws.title, {})
    for row_number, row in enumerate(ws.iter_rows(min_row=1, min_col=1), 1):
        cells: dict[int, Cell] = {}
        filled = False
        for col_number, raw in enumerate(row, 1):
            value = getattr(raw, "value", None)
            coord = f"{get_column_letter(col_number)}{row_number}"
            if is_blank(value):  # kept, so that a missing value can be pointed at
                cells[col_number] = Cell(None, coord)
                continue
            filled = True
            if formulas is not None and getattr(raw, "data_type", None) == "f":
                formulas[(ws.title, coord)] = str(value)
            fmt = getattr(raw, "number_format", "") or ""
            cells[col_number] = Cell(value, coord, percent=fmt.endswith("%"))
        if row_number == 1:
            table.headers = {c: str(cell.value).strip() for c, cell in cells.items() if cell.value is not None}
            table.header_coords = {str(cell.value).strip(): cell.coord for cell in cells.values()
                                   if cell.value is not None}
        elif filled:
            table.rows.append(cells)
    return table


# ---------------------------------------------------------------------------- values

def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(cell: Cell, kind: str) -> Any:
    """The data value of a cell for a column of ``kind``; unreadable values pass through
    unchanged so that validation reports them with the cell's location."""
    value = cell.value
    if kind in ("decimal", "count"):
        number = _decimal(value)
        if number is not None and cell.percent and not isinstance(value, str):
            number *= 100
        return value if number is None else number
    if kind == "figure":  # a stated figure: the text as printed ("103.20", "1.19亿元")
        number = _decimal(value) if not isinstance(value, str) else None
        if number is not None and cell.percent:
            return f"{format((number * 100).normalize(), 'f')}%"
        return value if number is None else number
    if kind == "int":
        number = _decimal(value)
        if number is not None and number == number.to_integral_value():
            return int(number)
        return value if number is None else number
    if kind == "bool":
        return _flag(value)
    if kind == "date":
        return _date(value)
    if kind == "mapping":  # "键=值；键=值" (e.g. thresholds.severity)
        pairs = [part.split("=", 1) for part in re.split(r"[;；\n]+", str(value)) if "=" in part]
        return {key.strip(): item.strip() for key, item in pairs} if pairs else value
    if kind == "list":
        items = re.split(r"[、,，;；\s]+", str(value).strip()) if isinstance(value, str) else [value]
        return [_int_or_text(item) for item in items if not is_blank(item)]
    return _text(value)


EARLIEST_YEAR = 1950  # no report or fill-in date is older
_GROUPED = re.compile(r"[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")  # commas only between groups of thousands


def _decimal(value: Any) -> Optional[Decimal]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace("，", ",")
        if "," in text and not _GROUPED.fullmatch(text):
            return None  # "117.275,50" or "1,5": a decimal comma or a typo, not a number to guess
        text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return value


def _date(value: Any) -> Any:
    """A date cell: a date as Excel stores one (with a date format), or text like 2020-09-10.
    A plain number (2020) is left as it is, for validation to refuse: as an Excel serial
    number it would become 1905-07-12 (so would a number typed into a date-formatted cell:
    a date before :data:`EARLIEST_YEAR` is taken back to its number)."""
    if isinstance(value, dt.datetime):
        if value.year < EARLIEST_YEAR:  # a number typed into a date-formatted cell: 2020 shows as 1905-07-12
            serial = Decimal(str(to_excel(value)))
            return int(serial) if serial == serial.to_integral_value() else serial
        return value.date()
    return value


def _int_or_text(item: Any) -> Any:
    number = _decimal(item)
    return int(number) if number is not None and number == number.to_integral_value() else item


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (int, dt.date)):
        return str(value)
    return value
