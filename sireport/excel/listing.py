"""Listings: the 汇总表 and the 问题清单 of a batch, streamed into an .xlsx.

A batch of thousands of units lists hundreds of thousands of cells; openpyxl spends a
few microseconds on each, and its package rewritten to shared strings
(:mod:`sireport.excel.package`) would hold whole worksheets in memory. A :class:`Listing`
writes the SpreadsheetML itself instead, as Excel writes it (shared strings, styles by
index): each row goes straight into the zip as it is appended, each new text into a
temporary shared-string file, so memory holds only the short texts seen (to share them)
and the styles used, however many rows there are.

Each sheet has a bold header row, column widths, a frozen header (and first columns),
and a filter over the rows it lists; a cell's number format, fill and boldness come from
:meth:`Listing.cell`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple, Optional

from sireport.files import write_atomic

FILLS = {  # what a filled cell says: below its band, above it, another year than most units
    "low": "FFC7CE", "high": "FFEB9C", "year": "DDEBF7",
}
AMOUNT = "#,##0"  # 万元 with the reports' default 0 decimals (docs/数据格式.md: amount_decimals)
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
SHARED_UP_TO = 40  # characters: shorter texts (names, levels, places) are shared, longer ones written once each

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# The smallest theme Excel accepts (a workbook must have one): the Office colours and fonts.
_COLOURS = (("dk2", "1F497D"), ("lt2", "EEECE1"), ("accent1", "4F81BD"), ("accent2", "C0504D"), ("accent3", "9BBB59"),
            ("accent4", "8064A2"), ("accent5", "4BACC6"), ("accent6", "F79646"), ("hlink", "0000FF"),
            ("folHlink", "800080"))
_PLAIN = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_LINE = '<a:ln w="9525">' + _PLAIN + "</a:ln>"
THEME = DECLARATION + (
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>'
    '<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>'
    '<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>'
    + "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in _COLOURS)
    + '</a:clrScheme><a:fontScheme name="Office">'
    + "".join(f'<a:{kind}><a:latin typeface="{face}"/><a:ea typeface=""/><a:cs typeface=""/></a:{kind}>'
              for kind, face in (("majorFont", "Cambria"), ("minorFont", "Calibri")))
    + '</a:fontScheme><a:fmtScheme name="Office">'
    f'<a:fillStyleLst>{_PLAIN * 3}</a:fillStyleLst>'
    f"<a:lnStyleLst>{_LINE * 3}</a:lnStyleLst>"
    f'<a:effectStyleLst>{"<a:effectStyle><a:effectLst/></a:effectStyle>" * 3}</a:effectStyleLst>'
    f'<a:bgFillStyleLst>{_PLAIN * 3}</a:bgFillStyleLst>'
    '</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>')
_INVALID_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot hold (dropped)


def amount_format(places: int) -> str:
    """#,##0 or #,##0.00 …: 万元 amounts with ``places`` decimals."""
    return AMOUNT + ("." + "0" * places if places else "")


def percent_format(places: int) -> str:
    """0% or 0.00% …: rates (stored as fractions) with ``places`` decimals."""
    return "0" + ("." + "0" * places if places else "") + "%"


def column_letter(index: int) -> str:
    """A, B, …, Z, AA, … for 1, 2, …"""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Styled(NamedTuple):
    """A value with the index of its cell style (a tuple: a 汇总表 makes hundreds of thousands)."""

    value: Any
    style: int


class Sheet:
    """One worksheet being written: append rows of values (plain or :class:`Styled`)."""

    FLUSH_AT = 256  # rows written into the package at once (compressing row by row costs ~15% of a 汇总表)

    def __init__(self, listing: Listing, stream: IO[bytes]) -> None:
        self._listing, self._stream, self.rows = listing, stream, 0
        self._rows: list[str] = []

    def append(self, values: list[Any]) -> None:
        self.rows += 1
        row = str(self.rows)
        cell = self._listing.cell_xml
        cells = [cell(letter + row, value.value, value.style) if isinstance(value, Styled) else
                 cell(letter + row, value, 0) for letter, value in zip(_LETTERS, values)]
        self._rows.append(f'<row r="{row}">{"".join(cells)}</row>')
        if len(self._rows) >= self.FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        """Write the rows appended so far into the package."""
        self._stream.write("".join(self._rows).encode())
        self._rows.clear()


_LETTERS = [column_letter(index) for index in range(1, 257)]


class Listing:
    """A workbook of listings being written, one sheet after another; :meth:`save` at the end."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (the package until it is saved)
        self._zip = zipfile.ZipFile(self._file, "w", zipfile.ZIP_DEFLATED)
        self._strings = tempfile.TemporaryFile()  # noqa: SIM115 (the shared strings until saved)
        self._shared: dict[str, int] = {}
        self._unique = self._references = 0
        self._styles: dict[tuple, int] = {("General", None, False, False): 0}
        self._sheets: list[tuple[str, str]] = []  # (title, filter range)
        self._open: Optional[tuple[Sheet, IO[bytes], str]] = None

    # ------------------------------------------------------------ sheets and cells

    def sheet(self, title: str, headers: list[str], widths: list[int], *, frozen_columns: int = 0,
              rows: int, above: Optional[list[Any]] = None) -> Sheet:
        """A new sheet with ``headers`` (bold, frozen) and a filter over the ``rows`` that follow
        them; ``above``: a note row before the header. Append the rows to the sheet returned."""
        self._close_sheet()
        header_row = 2 if above else 1
        last = column_letter(len(headers))
        filtered = f"A{header_row}:{last}{header_row + max(rows, 1)}"
        self._sheets.append((title, filtered))
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w")
        stream.write((DECLARATION + f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews>'
                      f'<sheetView workbookViewId="0">{_pane(frozen_columns, header_row)}</sheetView></sheetViews>'
                      '<sheetFormatPr defaultRowHeight="15"/><cols>'
                      + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                for i, w in enumerate(widths, start=1))
                      + "</cols><sheetData>").encode())
        sheet = Sheet(self, stream)
        self._open = (sheet, stream, filtered)
        if above:
            sheet.append(above)
        sheet.append([self.cell(text, bold=True, wrap=True) for text in headers])
        return sheet

    def cell(self, value: Any, number_format: str = "General", fill: Optional[str] = None,
             bold: bool = False, wrap: bool = False) -> Styled:
        """``value`` with a cell style: a number format, a fill (:data:`FILLS`), bold, wrapped."""
        return Styled(value, self.style(number_format, fill, bold, wrap))

    def style(self, number_format: str = "General", fill: Optional[str] = None, bold: bool = False,
              wrap: bool = False) -> int:
        """The index of a cell style (numbered in the order first asked for)."""
        key = (number_format, fill, bold, wrap)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = len(self._styles)
        return style

    def cell_xml(self, ref: str, value: Any, style: int) -> str:
        styled = f' s="{style}"' if style else ""
        if isinstance(value, str) and value:
            return f'<c r="{ref}"{styled} t="s"><v>{self._string(value)}</v></c>'
        if value is None or value == "":
            return f'<c r="{ref}"{styled}/>' if style else ""
        if isinstance(value, Decimal):
            return f'<c r="{ref}"{styled}><v>{value:f}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
        return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'

    def _string(self, text: str) -> int:
        """The shared-string number of ``text`` (a short text seen before keeps its number)."""
        self._references += 1
        short = len(text) <= SHARED_UP_TO
        if short and text in self._shared:
            return self._shared[text]
        number = self._unique
        self._unique += 1
        if short:
            self._shared[text] = number
        clean = _escape(_INVALID_XML.sub("", text))
        self._strings.write(f'<si><t xml:space="preserve">{clean}</t></si>'.encode())
        return number

    def _close_sheet(self) -> None:
        if self._open is not None:
            sheet, stream, filtered = self._open
            sheet.flush()
            stream.write(f'</sheetData><autoFilter ref="{filtered}"/><pageMargins left="0.75" right="0.75" '
                         'top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'.encode())
            stream.close()
            self._open = None

    # ------------------------------------------------------------ the package

    def save(self, path: Path) -> Path:
        """Finish the package and write it to ``path`` (atomically; regenerated on every run)."""
        self._close_sheet()
        self._zip.writestr("xl/styles.xml", self._styles_xml())
        with self._zip.open("xl/sharedStrings.xml", "w") as stream:
            stream.write((DECLARATION + f'<sst xmlns="{MAIN}" count="{self._references}" '
                          f'uniqueCount="{self._unique}">').encode())
            self._strings.seek(0)
            shutil.copyfileobj(self._strings, stream)
            stream.write(b"</sst>")
        self._strings.close()
        self._zip.writestr("xl/theme/theme1.xml", THEME)
        for name, xml in self._package_parts().items():
            self._zip.writestr(name, xml)
        self._zip.close()
        try:
            return write_atomic(path, self._file, force=True)
        finally:
            self._file.close()

    def _package_parts(self) -> dict[str, str]:
        count = len(self._sheets)
        sheets = "".join(f'<sheet name={_attribute(title)} sheetId="{i}" r:id="rId{i}"/>'
                         for i, (title, _) in enumerate(self._sheets, start=1))
        names = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                        f"{_escape(_quoted(title))}!{_absolute(filtered)}</definedName>"
                        for i, (title, filtered) in enumerate(self._sheets))
        relations = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                            for i in range(1, count + 1))
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{TYPE}.worksheet+xml"/>'
                            for i in range(1, count + 1))
        return {
            "xl/workbook.xml": DECLARATION + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><bookViews><workbookView/>'
                               f"</bookViews><sheets>{sheets}</sheets><definedNames>{names}</definedNames></workbook>",
            "xl/_rels/workbook.xml.rels": DECLARATION + f'<Relationships xmlns="{PACKAGE_REL}">{relations}'
                                          f'<Relationship Id="rId{count + 1}" Type="{REL}/styles" Target="styles.xml"/>'
                                          f'<Relationship Id="rId{count + 2}" Type="{REL}/sharedStrings" '
                                          'Target="sharedStrings.xml"/>'
                                          f'<Relationship Id="rId{count + 3}" Type="{REL}/theme" '
                                          'Target="theme/theme1.xml"/></Relationships>',
            "_rels/.rels": DECLARATION + f'<Relationships xmlns="{PACKAGE_REL}"><Relationship Id="rId1" '
                           f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "[Content_Types].xml": DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                   'content-types"><Default Extension="rels" ContentType="application/'
                                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                                   'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                                   f'ContentType="{TYPE}.sheet.main+xml"/>{overrides}<Override '
                                   f'PartName="/xl/styles.xml" ContentType="{TYPE}.styles+xml"/><Override '
                                   f'PartName="/xl/sharedStrings.xml" ContentType="{TYPE}.sharedStrings+xml"/><Override '
                                   'PartName="/xl/theme/theme1.xml" ContentType="application/'
                                   'vnd.openxmlformats-officedocument.theme+xml"/></Types>',
        }

    def _styles_xml(self) -> str:
        """Number formats, the two fonts (plain, bold), the fills and one cell format per style used."""
        custom = sorted({key[0] for key in self._styles} - set(BUILTIN_FORMATS))
        format_ids = {**BUILTIN_FORMATS, **{code: 164 + i for i, code in enumerate(custom)}}
        fill_ids = {None: 0, **{name: 2 + i for i, name in enumerate(FILLS)}}
        formats = "".join(f'<numFmt numFmtId="{format_ids[code]}" formatCode={_attribute(code)}/>' for code in custom)
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        fills = "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="00{color}"/><bgColor indexed="64"/>'
                        "</patternFill></fill>" for color in FILLS.values())
        xfs = "".join(_xf(format_ids[code], int(bold), fill_ids[fill], wrap)
                      for (code, fill, bold, wrap), _ in sorted(self._styles.items(), key=lambda item: item[1]))
        return (DECLARATION + f'<styleSheet xmlns="{MAIN}">'
                + (f'<numFmts count="{len(custom)}">{formats}</numFmts>' if custom else "")
                + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
                f'<fills count="{2 + len(FILLS)}"><fill><patternFill patternType="none"/></fill>'
                f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(self._styles)}">{xfs}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")


def _xf(number_format: int, font: int, fill: int, wrap: bool) -> str:
    applied = (' applyNumberFormat="1"' if number_format else "") + (' applyFont="1"' if font else "") \
        + (' applyFill="1"' if fill else "") + (' applyAlignment="1"' if wrap else "")
    attributes = f'numFmtId="{number_format}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"{applied}'
    if wrap:
        return f'<xf {attributes}><alignment vertical="top" wrapText="1"/></xf>'
    return f"<xf {attributes}/>"


def _pane(columns: int, header_row: int) -> str:
    """The frozen pane: the first ``columns`` columns and the rows down to ``header_row``."""
    corner = f"{column_letter(columns + 1)}{header_row + 1}"
    split = f'xSplit="{columns}" ' if columns else ""
    active = "bottomRight" if columns else "bottomLeft"
    return (f'<pane {split}ySplit="{header_row}" topLeftCell="{corner}" activePane="{active}" state="frozen"/>'
            f'<selection pane="{active}" activeCell="{corner}" sqref="{corner}"/>')


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(cells: str) -> str:
    """A1:G8 → $A$1:$G$8"""
    return ":".join("$" + "".join(c for c in ref if c.isalpha()) + "$" + "".join(c for c in ref if c.isdigit())
                    for ref in cells.split(":"))


def _escape(text: str) -> str:
    """``text`` as XML character data, as xml.sax.saxutils.escape writes it (that module imports
    urllib.request, http.client and ssl: ~6 MB more in each process of a batch, which forks
    its workers from the process that writes the listings)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _attribute(text: str) -> str:
    """``text`` as a quoted XML attribute value, as xml.sax.saxutils.quoteattr writes it."""
    text = _escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace('"', "&quot;") + '"'
