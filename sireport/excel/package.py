"""The .xlsx bytes of an openpyxl workbook, written the way Excel itself writes them.

openpyxl (3.1) writes every text cell as an inline string and a font's children in an
order of its own (name, …, color, sz). Excel keeps text in the shared-string table (it
rewrites inline strings when it saves), and the schema it checks orders a font's children
b, i, …, sz, color, name, family, charset, scheme. :func:`workbook_bytes` saves a workbook
and rewrites those two things, so every workbook sireport writes with openpyxl (附表, the
entry workbook) opens in Excel as it is. Nothing else in the package changes. (A batch's
汇总表 and 问题清单 are written as Excel writes them in the first place: sireport.excel.listing.)

The rewrite streams: openpyxl saves to a temporary file, and each worksheet is copied into
the new package a block of rows at a time, its inline strings replaced as they pass; only
the distinct texts are kept in memory.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from typing import IO, Any

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
_FONT = f"{{{X}}}font"
# an inline-string cell as openpyxl writes it: <c r="A1" s="1" t="inlineStr"><is><t>…</t></is></c>
_INLINE = re.compile(rb'<c(\s[^>]*?)?\st="inlineStr"([^>]*)>\s*<is>(.*?)</is>\s*</c>', re.S)
_ROW_END = b"</row>"
CHUNK = 1 << 20  # bytes of a worksheet read at a time


def workbook_bytes(book: Any) -> bytes:
    """Save the openpyxl ``book`` and return the .xlsx bytes (shared strings, fonts in order)."""
    with tempfile.TemporaryFile() as saved:
        book.save(saved)
        saved.seek(0)
        out = io.BytesIO()
        rewrite(saved, out)
    return out.getvalue()


def as_excel_writes(data: bytes) -> bytes:
    """The .xlsx ``data`` with its inline strings shared and its fonts' children in schema order."""
    out = io.BytesIO()
    rewrite(io.BytesIO(data), out)
    return out.getvalue()


def rewrite(source: IO[bytes], target: IO[bytes]) -> None:
    """Copy the .xlsx in ``source`` to ``target`` as Excel writes it (see the module's docstring),
    worksheet by worksheet without holding one whole in memory."""
    table = _SharedStrings()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        names = [info.filename for info in old.infolist()]
        later = {}  # the parts a shared-string table changes, written after the worksheets
        for name in names:
            if _SHEET.fullmatch(name):
                with old.open(name) as part, new.open(name, "w") as copy:
                    table.share(part, copy)
            elif name == STYLES:
                new.writestr(name, _fonts_in_order(old.read(name)))
            elif name in (WORKBOOK_RELS, CONTENT_TYPES, SHARED):
                later[name] = old.read(name)
            else:
                new.writestr(name, old.read(name))
        if table.count and SHARED not in later:
            later[SHARED] = table.xml()
            later[WORKBOOK_RELS] = _with_relationship(later[WORKBOOK_RELS])
            later[CONTENT_TYPES] = later[CONTENT_TYPES].replace(
                b"</Types>", f'<Override PartName="/{SHARED}" ContentType="{SHARED_TYPE}"/></Types>'.encode())
        for name in sorted(later, key=lambda n: names.index(n) if n in names else len(names)):
            new.writestr(name, later[name])


class _SharedStrings:
    """The shared-string table being built: each distinct text once, in order of first use."""

    def __init__(self) -> None:
        self.index: dict[bytes, int] = {}  # the <is> content (<t>…</t> or rich-text runs) → its number
        self.count = 0  # references, as Excel's count attribute

    def share(self, sheet: IO[bytes], out: IO[bytes]) -> None:
        """Copy the worksheet XML ``sheet`` to ``out``, each inline-string cell turned into a
        shared-string reference; a block of whole rows at a time."""
        pending = b""
        while chunk := sheet.read(CHUNK):
            pending += chunk
            end = pending.rfind(_ROW_END)
            if end < 0:
                continue
            end += len(_ROW_END)
            out.write(_INLINE.sub(self._shared, pending[:end]))
            pending = pending[end:]
        out.write(_INLINE.sub(self._shared, pending))

    def _shared(self, cell: re.Match) -> bytes:
        attributes, rest, text = cell.group(1) or b"", cell.group(2), cell.group(3)
        number = self.index.setdefault(text, len(self.index))
        self.count += 1
        return b'<c%s t="s"%s><v>%d</v></c>' % (attributes, rest, number)

    def xml(self) -> bytes:
        head = (f'<?xml version=\'1.0\' encoding=\'UTF-8\' standalone=\'yes\'?>\n<sst xmlns="{X}" '
                f'count="{self.count}" uniqueCount="{len(self.index)}">').encode()
        return head + b"".join(b"<si>%s</si>" % text for text in self.index) + b"</sst>"


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
