"""Write-only workbooks of listings (the 汇总表 and the 问题清单 of a batch).

A :class:`Listing` is one openpyxl write-only workbook (rows go to disk as they are
appended, so thousands of units cost no more memory than ten). Each sheet has a bold
header row, the columns' widths, a frozen header and a filter over the rows it lists;
cells are styled from a small cache (a style is built once and shared by every cell
that has it: building one per cell would cost more than writing the rows). Saved the
way Excel writes workbooks (:mod:`sireport.excel.package`), atomically.

openpyxl is imported here only: the workers of a batch never import this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sireport.excel import package
from sireport.files import write_atomic

FILLS = {  # what a filled cell says: below its band, above it, another year than most units
    "low": "FFC7CE", "high": "FFEB9C", "year": "DDEBF7", "note": "FFF2CC",
}
AMOUNT = "#,##0"  # 万元 with the reports' default 0 decimals (docs/数据格式.md: amount_decimals)


def amount_format(places: int) -> str:
    """#,##0 or #,##0.00 …: 万元 amounts with ``places`` decimals."""
    return AMOUNT + ("." + "0" * places if places else "")


def percent_format(places: int) -> str:
    """0% or 0.00% …: rates (stored as fractions) with ``places`` decimals."""
    return "0" + ("." + "0" * places if places else "") + "%"


class Listing:
    """A write-only workbook being written, one sheet after another."""

    def __init__(self) -> None:
        self.book = Workbook(write_only=True)
        self._styles: dict[tuple, Any] = {}

    def sheet(self, title: str, headers: list[str], widths: list[int], *, frozen_columns: int = 0,
              rows: int, above: Optional[list[Any]] = None) -> Any:
        """A new sheet with ``headers`` (bold, frozen) and a filter over the ``rows`` that follow
        them; ``above``: a note row before the header. Append the rows to the sheet returned."""
        sheet = self.book.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header_row = 2 if above else 1
        sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_row + 1}"
        last = get_column_letter(len(headers))
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(rows, 1)}"
        if above:
            sheet.append(above)
        sheet.append([self.cell(sheet, text, bold=True, wrap=True) for text in headers])
        return sheet

    def cell(self, sheet: Any, value: Any, number_format: str = "General", fill: Optional[str] = None,
             bold: bool = False, wrap: bool = False) -> Any:
        """A cell with its value and style (a style made once, then shared)."""
        cell = WriteOnlyCell(sheet, value=value)
        key = (number_format, fill, bold, wrap)
        style = self._styles.get(key)
        if style is None:
            cell.number_format = number_format
            if fill:
                cell.fill = PatternFill("solid", fgColor=FILLS[fill])
            if bold:
                cell.font = Font(bold=True)
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            self._styles[key] = cell._style
        else:
            cell._style = style  # shared: nothing changes a style once it is made
        return cell

    def save(self, path: Path) -> Path:
        return write_atomic(path, package.workbook_bytes(self.book), force=True)  # regenerated on every run
