"""Read the Excel entry workbook into the same data as a YAML file, with sheet!cell places.

``load_workbook_report(path)`` reads a one-unit workbook (the layout of
:mod:`sireport.excel.layout`, as written by ``sireport init --xlsx``) and validates it with
the same schema as the YAML loader; every message names ``工作表!单元格`` and the key
path. ``iter_workbook_units(path)`` reads a workbook holding several units: every
sheet then has a 单位 column first, and each unit is validated on its own, so one
unit's mistakes never stop the others (one ``LoadedReport`` or ``DataError`` per unit,
in the order of the 设置 sheet).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional, Union

from sireport.data.funds import resolve_fund
from sireport.data.limits import shown
from sireport.data.locate import Source
from sireport.data.validate import LoadedReport, validate
from sireport.errors import DataError, Problem
from sireport.excel.cells import Book, Cell, Table, convert, is_blank, read_book
from sireport.excel.layout import (
    FUND_HEADER,
    IGNORED_SHEET_PREFIXES,
    ITEM_HEADER,
    PARENT_HEADER,
    ROW_HEADER,
    UNIT_HEADER,
    VALUE_HEADER,
    Column,
    Sheet,
    layout,
)

Row = dict[str, Cell]  # header -> cell


def load_workbook_report(path: str | Path) -> LoadedReport:
    """Load and validate a one-unit entry workbook; raise DataError listing every problem."""
    units = list(iter_workbook_units(path))
    if len(units) > 1:
        names = "、".join(u.report.report.unit if isinstance(u, LoadedReport) else "?" for u in units)
        raise DataError(f"{path}：工作簿包含 {len(units)} 个单位（{names}），请用 sireport batch 逐个生成")
    if isinstance(units[0], DataError):
        raise units[0]
    return units[0]


def iter_workbook_units(path: str | Path) -> Iterator[Union[LoadedReport, DataError]]:
    """Each unit of the workbook, validated: a LoadedReport, or the DataError of that unit.
    A workbook that cannot be read at all, or whose sheets or columns are wrong, yields one
    DataError and nothing else; rows naming no known unit yield a DataError at the end."""
    path = Path(path)
    try:
        book = read_book(path)
    except DataError as exc:
        yield exc
        return
    _current_headers(book)
    problems = _sheet_problems(book)
    settings = book.tables.get("设置")
    multi = settings is not None and UNIT_HEADER in settings.headers.values()
    if problems:
        yield DataError(f"{path}：工作簿结构有 {len(problems)} 处问题，未读取", problems)
        return
    known = {sheet.name for sheet in layout()}
    rows = {name: [_by_header(table, r) for r in table.rows] for name, table in book.tables.items() if name in known}
    if not multi:
        yield _unit(str(path), book, rows)
        return
    units: list[str] = []
    for row in rows["设置"]:
        unit = _text(row.get(UNIT_HEADER))
        if unit and unit not in units:
            units.append(unit)
    if not units:
        yield DataError(f"{path}：多单位工作簿的“设置”表中没有填写任何单位（第一列“{UNIT_HEADER}”）")
        return
    orphans = [Problem(f"{path}!{name}!{row[UNIT_HEADER].coord if UNIT_HEADER in row else 'A1'}",
                       f"单位“{shown(str(_text(row.get(UNIT_HEADER)) or '（空）'))}”不在“设置”表中")
               for name, table_rows in rows.items() for row in table_rows
               if _text(row.get(UNIT_HEADER)) not in units]
    twice = _named_twice(str(path), rows["设置"])
    for unit in units:
        if unit in twice:
            yield twice[unit]
            continue
        own = {name: [r for r in table_rows if _text(r.get(UNIT_HEADER)) == unit] for name, table_rows in rows.items()}
        try:
            yield _unit(f"{path}[{unit}]", book, own)
        except DataError as exc:
            yield exc
    if orphans:
        yield DataError(f"{path}：有 {len(orphans)} 行数据不属于任何单位", orphans)


def _current_headers(book: Book) -> None:
    """Read an earlier workbook's headers (“取数来源（from）”, 键) as today's labels."""
    sheets = {sheet.name: sheet for sheet in layout()}
    for name, table in book.tables.items():
        sheet = sheets.get(name)
        if sheet is not None:
            table.headers = {column: sheet.current(header) for column, header in table.headers.items()}
            table.header_coords = {sheet.current(header): coord for header, coord in table.header_coords.items()}


def _text(cell: Optional[Cell]) -> str:
    return "" if cell is None or is_blank(cell.value) else str(cell.value).strip()


def _by_header(table: Table, cells: dict[int, Cell]) -> Row:
    return {table.headers[c]: cell for c, cell in cells.items() if c in table.headers}


# ---------------------------------------------------------------------------- structure

REQUIRED_SHEETS = ("设置", "基金", "收入", "支出")


def _unheaded_columns(table: Table) -> list[Problem]:
    """Columns holding data under an empty header cell (a merged header such as C1:E1 keeps
    its text in C1 only): their values would be dropped without a word."""
    problems = []
    for column in sorted({c for row in table.rows for c, cell in row.items() if cell.value is not None}
                         - set(table.headers)):
        first = next(row[column] for row in table.rows if column in row and row[column].value is not None)
        header = re.sub(r"\d+", "1", first.coord)
        problems.append(Problem(table.where(header), f"该列有数据（如 {first.coord}）但没有表头，数据未被读取；"
                                "表头单元格可能被合并了，请取消合并并在每列填写表头"))
    return problems


def _sheet_problems(book: Book) -> list[Problem]:
    """Unknown or missing sheets and columns: reported before any value is read."""
    problems: list[Problem] = []
    known = {sheet.name: sheet for sheet in layout()}
    for name in REQUIRED_SHEETS:
        if name not in book.tables:
            problems.append(Problem("", f"缺少工作表“{name}”（删除了它，其中的数据就全部缺失）"))
    multi = "设置" in book.tables and UNIT_HEADER in book.tables["设置"].headers.values()
    for name, table in book.tables.items():
        if name.startswith(IGNORED_SHEET_PREFIXES):
            continue
        sheet = known.get(name)
        if sheet is None:
            problems.append(Problem(f"{name}!A1", f"未知的工作表“{shown(name)}”。可用的工作表：{'、'.join(known)}"
                                    "（自己加的工作表请以“备注”开头命名，程序不读取）"))
            continue
        expected = ([UNIT_HEADER] if multi else []) + sheet.headers()
        for header in table.headers.values():
            if header not in expected:
                problems.append(Problem(table.where(table.header_coords[header]),
                                        f"未知的列“{shown(header)}”。此表可用的列：{'、'.join(expected)}"))
        problems += _unheaded_columns(table)
        for header in ([UNIT_HEADER] if multi else []) + sheet.key_headers():
            if header not in table.headers.values() and table.rows:
                problems.append(Problem(f"{name}!A1", f"缺少列“{shown(header)}”"))
    return problems


# ---------------------------------------------------------------------------- one unit

class _Unit:
    """Builds one unit's plain data and the sheet!cell of every key path."""

    def __init__(self, name: str):
        self.name = name
        self.raw: dict[str, Any] = {}
        self.positions: dict[tuple, str] = {}
        self.problems: list[Problem] = []
        self.fund_index: dict[str, int] = {}

    def where(self, sheet: str, cell: Optional[Cell]) -> str:
        return f"{self.name}!{sheet}!{cell.coord}" if cell else f"{self.name}!{sheet}"

    def at(self, loc: tuple, sheet: str, cell: Optional[Cell]) -> None:
        if cell is not None:
            self.positions.setdefault(loc, f"{sheet}!{cell.coord}")

    # -- values ------------------------------------------------------------------------
    def build(self, columns: list[tuple[Column, Optional[Cell]]], loc: tuple, sheet: str) -> dict:
        """A (nested) dict from the cells of ``columns``; optional sub-objects left blank are omitted."""
        obj: dict[str, Any] = {}
        filled_groups = {c.group for c, cell in columns if c.group and cell is not None and not is_blank(cell.value)}
        for column, cell in columns:
            path = (*loc, *column.path)
            for depth in range(len(loc) + 1, len(path) + 1):
                self.at(path[:depth], sheet, cell)
            if column.group and column.group not in filled_groups:
                continue
            if cell is None or is_blank(cell.value):
                if column.blank_is_none:
                    _put(obj, column.path, None)
                continue
            _put(obj, column.path, convert(cell, column.kind))
        return obj

    # -- funds -------------------------------------------------------------------------
    def fund(self, sheet: str, row: Row) -> Optional[int]:
        cell = row.get(FUND_HEADER)
        name = _text(cell)
        if not name:
            self.problems.append(Problem(self.where(sheet, next(iter(row.values()))), "缺少基金名称（“基金”列）"))
            return None
        index = self.fund_index.get(name)
        if index is None:
            kind = resolve_fund(name)
            index = next((i for n, i in self.fund_index.items() if kind and resolve_fund(n) == kind), None)
        if index is None:
            self.problems.append(Problem(self.where(sheet, cell), f"基金“{shown(name)}”不在“基金”表中（请先在“基金”表中列出）"))
        return index


def _named_twice(path: str, settings: list[Row]) -> dict[str, DataError]:
    """Units of a multi-unit workbook whose name (the 设置 sheet's 单位名称 row) is entered twice:
    two units given one 单位 key, whose rows no one can tell apart. Each such name is refused
    once, saying where (a batch's other duplicates: sireport.run.cross_units)."""
    sheet = next(s for s in layout() if s.path == ("report",))
    label = next(c.label for c in sheet.columns if c.path == ("unit",))
    places: dict[str, list[str]] = {}
    for row in settings:
        if _text(row.get(ITEM_HEADER)) == label and UNIT_HEADER in row:
            places.setdefault(_text(row[UNIT_HEADER]), []).append(f"{path}!{sheet.name}!{row[UNIT_HEADER].coord}")
    return {unit: DataError(f"{'、'.join(where)}：{len(where)}个单位的“{UNIT_HEADER}”都写作“{shown(unit)}”，"
                            f"各表中的行无法区分属于哪一个单位，均未生成报告；请把其中一个单位的“{UNIT_HEADER}”列"
                            "（各表都要改）和单位名称改为它自己的名称")
            for unit, where in places.items() if len(where) > 1}


def _unit(name: str, book: Book, rows: dict[str, list[Row]]) -> LoadedReport:
    unit = _Unit(name)
    funds_sheet = next(s for s in layout() if s.defines_funds)
    unit.raw["report"] = {}
    _read_funds(unit, funds_sheet, rows.get(funds_sheet.name, []))
    for sheet in layout():
        if sheet.name not in rows or sheet is funds_sheet:
            continue
        READERS[sheet.mode](unit, sheet, rows[sheet.name])
    unit.positions.setdefault(("report",), "设置!A1")
    for coord, message in book.formula_problems.items():
        unit.problems.append(Problem(f"{name}!{coord}", message))
    return _validated(unit)


def _validated(unit: _Unit) -> LoadedReport:
    source = Source(unit.name, unit.positions, separator="!")
    try:
        loaded = validate(unit.raw, source)
    except DataError as exc:
        formula_places = {p.where for p in unit.problems}
        later = [p for p in exc.problems if not any(p.where.startswith(w + "（") for w in formula_places)]
        problems = unit.problems + later
        raise DataError(f"{unit.name}：数据有 {len(problems)} 处问题，未生成报告", problems) from None
    if unit.problems:
        raise DataError(f"{unit.name}：数据有 {len(unit.problems)} 处问题，未生成报告", unit.problems)
    return loaded


def _columns(sheet: Sheet, row: Row) -> list[tuple[Column, Optional[Cell]]]:
    """The innermost columns of ``sheet`` with the row's cells."""
    return [(column, row.get(column.label)) for column in sheet.columns]


def _read_funds(unit: _Unit, sheet: Sheet, rows: list[Row]) -> None:
    funds: list[dict] = []
    unit.raw["funds"] = funds
    for row in rows:
        if not any(not is_blank(c.value) for h, c in row.items() if h != UNIT_HEADER):
            continue
        loc = ("funds", len(funds))
        unit.at(("funds",), sheet.name, row.get(FUND_HEADER))
        unit.at(loc, sheet.name, row.get(FUND_HEADER))
        fund = unit.build(_columns(sheet, row), loc, sheet.name)
        name = str(fund.get("name", "")).strip()
        if name in unit.fund_index:
            unit.problems.append(Problem(unit.where(sheet.name, row.get(FUND_HEADER)), f"基金“{shown(name)}”重复列出"))
            continue
        if name:
            unit.fund_index[name] = len(funds)
        funds.append(fund)
    if not funds:
        unit.positions.setdefault(("funds",), f"{sheet.name}!A2")


def _owner(unit: _Unit, sheet: Sheet, row: Row) -> Optional[tuple[dict, tuple]]:
    """The object a row belongs to (a fund or the report) and its location."""
    if not sheet.per_fund:
        return unit.raw, ()
    index = unit.fund(sheet.name, row)
    if index is None:
        return None
    return unit.raw["funds"][index], ("funds", index)


def _owned(unit: _Unit, sheet: Sheet, rows: list[Row]) -> Iterator[tuple[Row, dict, tuple]]:
    """Each row with the object it belongs to; rows naming an unknown fund are reported and skipped."""
    for row in rows:
        if sheet.per_fund and not _listed(unit, row) and not _holds_value(sheet, row):
            continue  # a blank row of a fund the 基金 sheet does not list: nothing to lose
        owner = _owner(unit, sheet, row)
        if owner is not None:
            yield row, owner[0], owner[1]


def _listed(unit: _Unit, row: Row) -> bool:
    name = _text(row.get(FUND_HEADER))
    kind = resolve_fund(name)
    return name in unit.fund_index or any(kind and resolve_fund(n) == kind for n in unit.fund_index)


def _holds_value(sheet: Sheet, row: Row) -> bool:
    """Whether a row holds anything beyond its keys and the columns' defaults."""
    if sheet.mode == "fields":
        column = sheet.column(_text(row.get(ITEM_HEADER)))
        cells = [(column, row.get(VALUE_HEADER))]
    else:
        cells = [(column, row.get(column.label)) for column in sheet.all_columns]
    return any(cell is not None and not is_blank(cell.value)
               and (column is None or convert(cell, column.kind) != column.default)
               for column, cell in cells)


def _read_fields(unit: _Unit, sheet: Sheet, rows: list[Row]) -> None:
    by_owner: dict[tuple, dict[str, Row]] = {}
    owners: dict[tuple, dict] = {}
    for row, target, key in _owned(unit, sheet, rows):
        label = _text(row.get(ITEM_HEADER))
        column = sheet.column(label)
        if column is None:
            if label or not is_blank(getattr(row.get(VALUE_HEADER), "value", None)):
                unit.problems.append(Problem(unit.where(sheet.name, row.get(ITEM_HEADER) or row.get(VALUE_HEADER)),
                                             f"未知的项目“{shown(str(label))}”。此表可用的项目：{'、'.join(c.label for c in sheet.columns)}"))
            continue
        label = column.label  # an earlier workbook's label read as today's
        seen = by_owner.setdefault(key, {})
        owners[key] = target
        if label in seen:
            unit.problems.append(Problem(unit.where(sheet.name, row.get(ITEM_HEADER)),
                                         f"项目“{shown(str(label))}”重复（另见 {sheet.name}!{seen[label][ITEM_HEADER].coord}）"))
            continue
        seen[label] = row
    rest = sheet.path[2:] if sheet.per_fund else sheet.path
    for key, labelled in by_owner.items():
        columns = [(c, labelled[c.label].get(VALUE_HEADER) if c.label in labelled else None) for c in sheet.columns]
        loc = (*key, *rest)
        obj = unit.build(columns, loc, sheet.name)
        first = next(iter(labelled.values()))
        unit.at(loc, sheet.name, first.get(VALUE_HEADER) or first.get(ITEM_HEADER))
        if _has_value(obj) or sheet.path == ("report",):
            _merge(owners[key], rest, obj)


def _read_list(unit: _Unit, sheet: Sheet, rows: list[Row]) -> None:
    rest = sheet.path[2:] if sheet.per_fund else sheet.path
    seen: dict[tuple, list[tuple[str, dict, tuple]]] = {}
    chains: dict[tuple, list[tuple[tuple, dict, tuple]]] = {}
    names: dict[tuple, Cell] = {}  # (owner, parent, name) -> its first cell
    for row, target, key in _owned(unit, sheet, _entered_rows(sheet, rows)):
        if not sheet.levels and not _unique(unit, sheet, row, (key, _text(row.get(PARENT_HEADER))), names):
            continue
        entries, loc = _container(target, rest, list), (*key, *rest)
        if sheet.levels:
            entries, loc = _outer_entries(unit, sheet, row, entries, loc, chains.setdefault(key, []))
            if all(is_blank(getattr(row.get(c.label), "value", None)) for c in sheet.columns):
                continue  # an outer entry without inner rows
        parent_name = _text(row.get(PARENT_HEADER)) if sheet.tree else ""
        if parent_name:
            parent = next((p for p in reversed(seen.get(key, [])) if p[0] == parent_name), None)
            if parent is None:
                unit.problems.append(Problem(unit.where(sheet.name, row.get(PARENT_HEADER)),
                                             f"所属项目“{shown(str(parent_name))}”在本行之上找不到（须先列出上级项目）"))
                continue
            entries = parent[1].setdefault(sheet.tree, [])
            loc = (*parent[2], sheet.tree)
        loc = (*loc, len(entries))
        first = next((c for h, c in row.items() if h not in (UNIT_HEADER, FUND_HEADER)), None)
        unit.at(loc, sheet.name, first)
        entry = unit.build(_columns(sheet, row), loc, sheet.name)
        entries.append(entry)
        seen.setdefault(key, []).append((str(entry.get("name", "")).strip(), entry, loc))


def _entered_rows(sheet: Sheet, rows: list[Row]) -> list[Row]:
    """The rows of a list sheet that hold a figure. A pre-listed row (项目名称 only, every
    amount blank) is "not entered" and dropped, unless another row names it as 所属项目."""
    numbers = [c.label for c in sheet.columns if c.kind in ("decimal", "count", "int")]
    if not numbers or sheet.levels or sheet.defines_funds:
        return rows
    label = sheet.columns[0].label
    parents = {(_text(r.get(FUND_HEADER)), _text(r.get(PARENT_HEADER))) for r in rows}
    return [row for row in rows
            if any(not is_blank(getattr(row.get(n), "value", None)) for n in numbers)
            or (_text(row.get(FUND_HEADER)), _text(row.get(label))) in parents]


def _unique(unit: _Unit, sheet: Sheet, row: Row, owner: tuple, names: dict[tuple, Cell]) -> bool:
    """False (and an error at the cell) for the second row of the same name under the same owner."""
    cell = row.get(sheet.columns[0].label)
    name = _text(cell)
    if not name or cell is None:
        return True
    first = names.setdefault((owner, name), cell)
    if first is not cell:
        unit.problems.append(Problem(unit.where(sheet.name, cell),
                                     f"“{name}”重复填写（另见 {sheet.name}!{first.coord}），请删除其中一行或合并数字"))
        return False
    return True


def _outer_entries(unit: _Unit, sheet: Sheet, row: Row, entries: list, loc: tuple,
                   chain: list[tuple[tuple, dict, tuple]]) -> tuple[list, tuple]:
    """For nested lists (一级 > 二级 > 三级指标): find or start the outer entries of ``row``.
    A row whose outer cells repeat the row above (or are blank) continues the same entries."""
    fresh = False
    for depth, (field, columns) in enumerate(sheet.levels):
        cells = [(column, row.get(column.label)) for column in columns]
        values = tuple(_text(cell) for _, cell in cells)
        previous = chain[depth] if depth < len(chain) else None
        if not fresh and previous is not None and (values == previous[0] or not any(values)):
            _, entry, entry_loc = previous
        else:
            fresh = True
            entry_loc = (*loc, len(entries))
            unit.at(entry_loc, sheet.name, cells[0][1] if cells else None)
            entry = unit.build(cells, entry_loc, sheet.name)
            entries.append(entry)
            del chain[depth:]
            chain.append((values, entry, entry_loc))
        entries, loc = entry.setdefault(field, []), (*entry_loc, field)
    return entries, loc


def _read_record(unit: _Unit, sheet: Sheet, rows: list[Row]) -> None:
    done: dict[int, Cell] = {}
    for row, target, key in _owned(unit, sheet, rows):
        if key in done:
            unit.problems.append(Problem(unit.where(sheet.name, row.get(FUND_HEADER)),
                                         f"该基金已在 {sheet.name}!{done[key].coord} 填写过"))
            continue
        done[key] = row[FUND_HEADER]
        _merge(target, (), unit.build(_columns(sheet, row), key, sheet.name))


def _read_named(unit: _Unit, sheet: Sheet, rows: list[Row]) -> None:
    fields = {label: field for field, label, _ in sheet.named}
    done: dict[tuple, Cell] = {}
    for row, target, key in _owned(unit, sheet, rows):
        label = _text(row.get(ROW_HEADER))
        field = fields.get(label)
        if field is None:
            unit.problems.append(Problem(unit.where(sheet.name, row.get(ROW_HEADER) or row.get(FUND_HEADER)),
                                         f"未知的行“{label}”。可用的行：{'、'.join(fields)}"))
            continue
        if (key, field) in done:
            unit.problems.append(Problem(unit.where(sheet.name, row.get(ROW_HEADER)),
                                         f"“{label}”重复（另见 {sheet.name}!{done[(key, field)].coord}）"))
            continue
        done[(key, field)] = row[ROW_HEADER]
        loc = (*key, *sheet.path[2:], field)
        unit.at(loc, sheet.name, row.get(ROW_HEADER))
        obj = unit.build(_columns(sheet, row), loc, sheet.name)
        if obj:
            _merge(target, (*sheet.path[2:], field), obj)


def _read_keyed(unit: _Unit, sheet: Sheet, rows: list[Row]) -> None:
    mapping = _container(unit.raw, sheet.path, dict)
    header = sheet.key_headers()[0]
    for row in rows:
        key = _text(row.get(header))
        if not key:
            unit.problems.append(Problem(unit.where(sheet.name, next(iter(row.values()))), f"缺少“{header}”"))
            continue
        loc = (*sheet.path, key)
        unit.at(loc, sheet.name, row.get(header))
        mapping[key] = unit.build(_columns(sheet, row), loc, sheet.name)


READERS = {"fields": _read_fields, "list": _read_list, "record": _read_record, "named": _read_named,
           "keyed": _read_keyed}


# ---------------------------------------------------------------------------- dict helpers

def _has_value(obj: Any) -> bool:
    """Whether anything was filled in (a section of blank cells is left out entirely)."""
    if isinstance(obj, dict):
        return any(_has_value(v) for v in obj.values())
    return obj is not None


def _put(obj: dict, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    obj[path[-1]] = value


def _merge(target: dict, path: tuple, obj: dict) -> None:
    for key in path:
        target = target.setdefault(key, {})
    for key, value in obj.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], (), value)
        else:
            target[key] = value


def _container(target: dict, path: tuple, kind: type) -> Any:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    return target.setdefault(path[-1], kind())
