"""The .xlsx bytes of an openpyxl workbook, written the way Excel itself writes them.

openpyxl (3.1) writes every text cell as an inline string and a font's children in an
order of its own (name, …, color, sz). Excel keeps text in the shared-string table (it
rewrites inline strings when it saves), and the schema it checks orders a font's children
b, i, …, sz, color, name, family, charset, scheme. :func:`workbook_bytes` saves a workbook
and rewrites those two things, so every workbook sireport writes (附表, 汇总表, 问题清单,
the entry workbook) opens in Excel as it is. Nothing else in the package changes.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from lxml import etree

from sireport import ooxml

X = ooxml.X
STYLES = "xl/styles.xml"
SHARED = "xl/sharedStrings.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
_C, _IS, _V, _FONT = (f"{{{X}}}{name}" for name in ("c", "is", "v", "font"))


def workbook_bytes(book: Any) -> bytes:
    """Save the openpyxl ``book`` and return the .xlsx bytes (shared strings, fonts in order)."""
    buffer = io.BytesIO()
    book.save(buffer)
    return as_excel_writes(buffer.getvalue())


def as_excel_writes(data: bytes) -> bytes:
    """The .xlsx ``data`` with its inline strings shared and its fonts' children in schema order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    table = _SharedStrings()
    content = {}
    for info, payload in members:
        if _SHEET.fullmatch(info.filename):
            payload = table.share(payload)
        elif info.filename == STYLES:
            payload = _fonts_in_order(payload)
        content[info.filename] = payload
    if table.count and SHARED not in content:
        content[SHARED] = table.xml()
        content[WORKBOOK_RELS] = _with_relationship(content[WORKBOOK_RELS])
        content[CONTENT_TYPES] = content[CONTENT_TYPES].replace(
            b"</Types>", f'<Override PartName="/{SHARED}" ContentType="{SHARED_TYPE}"/></Types>'.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, payload in content.items():
            target.writestr(name, payload)
    return out.getvalue()


class _SharedStrings:
    """The shared-string table being built: each distinct text once, in order of first use."""

    def __init__(self) -> None:
        self.index: dict[bytes, int] = {}
        self.items: list[etree._Element] = []
        self.count = 0  # references, as Excel's count attribute

    def share(self, sheet: bytes) -> bytes:
        """The worksheet XML with each inline-string cell turned into a shared-string reference."""
        if b'"inlineStr"' not in sheet:
            return sheet
        root = etree.fromstring(sheet)
        for cell in root.iter(_C):
            inline = cell.find(_IS)
            if cell.get("t") != "inlineStr" or inline is None:
                continue
            key = b"".join(etree.tostring(part) for part in inline)
            number = self.index.get(key)
            if number is None:
                number = self.index[key] = len(self.items)
                self.items.append(inline)
            self.count += 1
            cell.remove(inline)
            cell.set("t", "s")
            etree.SubElement(cell, _V).text = str(number)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def xml(self) -> bytes:
        root = etree.Element(f"{{{X}}}sst", nsmap={None: X}, count=str(self.count),
                             uniqueCount=str(len(self.items)))
        for inline in self.items:
            item = etree.SubElement(root, f"{{{X}}}si")
            item.extend(inline)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fonts_in_order(styles: bytes) -> bytes:
    root = etree.fromstring(styles)
    for font in root.iter(_FONT):
        ooxml.reorder(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_relationship(rels: bytes) -> bytes:
    """The workbook's relationships plus one to the shared strings, under an unused id."""
    used = set(re.findall(rb'Id="([^"]+)"', rels))
    number = 1
    while f"rId{number}".encode() in used:
        number += 1
    return rels.replace(b"</Relationships>", (f'<Relationship Id="rId{number}" Type="{SHARED_REL}" '
                                              f'Target="sharedStrings.xml"/></Relationships>').encode())
