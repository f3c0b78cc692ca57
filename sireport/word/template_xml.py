"""A .docx template read as a person sees it in Word: paragraphs with their places.

Each paragraph of the body, the headers and the footers becomes a :class:`Place`
that knows where it is ("正文第12段", "正文第1个表格第3行第2格", "页脚第1段") and
which ``<w:t>`` text pieces make up its text, so that a Jinja tag can be traced back
to the runs Word split it into. Only zipfile and lxml are used (docxtpl is the
engine's business).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sireport.errors import TemplateError
from sireport.files import sizes_too_big

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml$")
PART_LABELS = {"document": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Segment:
    """One ``<w:t>`` of a paragraph and where its text starts in the paragraph text."""

    element: etree._Element
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Place:
    """One paragraph of the template and the words that find it in Word."""

    part: str  # 正文 / 页眉 / 页脚
    paragraph: int  # paragraph number outside tables (0 inside a table)
    table: int = 0
    row: int = 0
    cell: int = 0
    element: etree._Element | None = None
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def in_table(self) -> bool:
        return self.table > 0

    def where(self, excerpt: str | None = None) -> str:
        """``正文第12段“…”`` or ``正文第1个表格第3行第2格“…”``."""
        if self.in_table:
            label = f"{self.part}第{self.table}个表格第{self.row}行第{self.cell}格"
        else:
            label = f"{self.part}第{self.paragraph}段"
        text = shorten(excerpt if excerpt is not None else self.text)
        return f"{label}“{text}”" if text else label

    def segments_between(self, start: int, end: int) -> list[Segment]:
        return [s for s in self.segments if s.end > start and s.start < end]


@dataclass
class Part:
    """One XML part (document, a header or a footer) and its paragraphs in order."""

    name: str  # zip member name
    label: str
    root: etree._Element
    places: list[Place]

    def xml(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass
class DocxTemplateFile:
    """The template's zip members and its text-bearing parts: the one unzip of a template,
    shared by the check, the place marks and the engine (sireport.word.prepare)."""

    path: Path
    members: dict[str, bytes]  # name -> uncompressed bytes (after :meth:`keep_parts`, the repaired ones)
    order: list[zipfile.ZipInfo]
    parts: list[Part]
    data: bytes = b""  # the .docx as read (its members compressed)
    changed: set[str] = field(default_factory=set)  # members whose bytes differ from ``data``'s

    def part(self, name: str) -> Part | None:
        return next((part for part in self.parts if part.name == name), None)

    def keep_parts(self) -> None:
        """Make the parts as they are now (repaired) the members' bytes."""
        for part in self.parts:
            self.members[part.name] = part.xml()
            self.changed.add(part.name)

    def to_bytes(self) -> bytes:
        """The .docx with the (possibly changed) parts written back."""
        changed = {part.name: part.xml() for part in self.parts}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in self.order:
                data = changed.get(info.filename, self.members[info.filename])
                target.writestr(copy.copy(info), data)  # (writestr changes the info it is given)
        return out.getvalue()


def read_template(path: Path | str, data: bytes | None = None) -> DocxTemplateFile:
    """Read a .docx template; raise TemplateError if it is not a Word file."""
    path = Path(path)
    try:
        raw = data if data is not None else path.read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(raw))
        order = archive.infolist()
        too_big = sizes_too_big(order)
        if too_big:
            raise TemplateError(f"{path}：模板{too_big}，未读取")
        members = {info.filename: archive.read(info) for info in order}
    except FileNotFoundError:
        raise TemplateError(f"{path}：找不到模板文件") from None
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise TemplateError(f"{path}：不是有效的 Word（.docx）模板（{type(exc).__name__}）") from None
    names = sorted((n for n in members if _PARTS.match(n)), key=_part_order)
    if "word/document.xml" not in names:
        raise TemplateError(f"{path}：不是有效的 Word（.docx）模板（缺少 word/document.xml）")
    parts = []
    counts: dict[str, int] = {}
    for name in names:
        kind = re.sub(r"\d+", "", _PARTS.match(name).group(1))
        counts[kind] = counts.get(kind, 0) + 1
        try:
            root = etree.fromstring(members[name])
        except etree.XMLSyntaxError as exc:
            raise TemplateError(f"{path}：模板内部 XML 损坏（{name}：{exc}）") from None
        parts.append(Part(name, PART_LABELS[kind], root, []))
    for part in parts:
        kind = re.sub(r"\d+", "", _PARTS.match(part.name).group(1))
        if counts[kind] > 1:
            part.label += re.search(r"\d+", part.name).group(0)
        part.places = _places(part.root, part.label)
    return DocxTemplateFile(path, members, order, parts, raw)


EXCERPT = 40  # characters of a paragraph shown with its place
_WHOLE_TAG = re.compile(r"[{｛][{%#％＃].*?[}%#％＃][}｝]", re.S)
_WORD = re.compile(r"[A-Za-z0-9_.]")


def shorten(text: str, limit: int = EXCERPT) -> str:
    """``text`` cut to about ``limit`` characters for a message, never inside a tag or a word.

    A tag the cut would fall in is kept whole when it ends within twice the limit (a
    person searches Word for it), else the cut goes before it; in plain text the cut
    backs off to the start of a Latin word or number. "…" marks what was left out.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = limit
    for tag in _WHOLE_TAG.finditer(text):
        if tag.start() < cut < tag.end():
            cut = tag.end() if tag.end() <= 2 * limit or tag.start() == 0 else tag.start()
            break
    else:
        while 0 < cut < len(text) and _WORD.match(text[cut - 1]) and _WORD.match(text[cut]):
            cut -= 1
        cut = cut or limit
    if cut >= len(text):
        return text
    return text[:cut].rstrip() + "…"


def _part_order(name: str) -> tuple[int, str]:
    return (0 if "header" in name else 1 if "document" in name else 2 if "footer" in name else 3, name)


def _places(root: etree._Element, label: str) -> list[Place]:
    places = []
    paragraph = 0
    tables = list(root.iter(w("tbl")))  # holding them keeps each element's proxy (and id) stable
    numbers = {id(t): i for i, t in enumerate(tables, 1)}
    for p in root.iter(w("p")):
        tbl = _ancestor(p, "tbl")
        if tbl is None:
            paragraph += 1
            place = Place(label, paragraph, element=p)
        else:
            tr, tc = _ancestor(p, "tr"), _ancestor(p, "tc")
            row = list(tbl.iterchildren(w("tr"))).index(tr) + 1 if tr is not None else 0
            cell = list(tr.iterchildren(w("tc"))).index(tc) + 1 if tc is not None and tr is not None else 0
            place = Place(label, 0, numbers[id(tbl)], row, cell, element=p)
        offset = 0
        for t in p.iter(w("t")):
            if _ancestor(t, "p") is not p:
                continue  # text of a nested text box belongs to its own paragraph
            text = t.text or ""
            place.segments.append(Segment(t, offset, text))
            offset += len(text)
        places.append(place)
    return places


def _ancestor(node: etree._Element, tag: str) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None:
        if parent.tag == w(tag):
            return parent
        parent = parent.getparent()
    return None


def set_text(segment: Segment, text: str) -> None:
    segment.element.text = text
    segment.element.set(_XML_SPACE, "preserve")


def markup_between(place: Place, first: Segment, last: Segment) -> list[str]:
    """Local names of the XML elements Word put between two text pieces of a paragraph."""
    names: list[str] = []
    inside = False
    for node in place.element.iter():
        if node is first.element:
            inside = True
            continue
        if node is last.element:
            break
        if inside and isinstance(node.tag, str):
            names.append(etree.QName(node).localname)
    return names


MARKER = re.compile(r"\{#@(\d+)\n")  # the part of a place mark before the line it ends


def mark_places(template: DocxTemplateFile) -> list[str]:
    """Put a Jinja comment numbering its place before every paragraph, row and cell of the
    template's parts (their XML trees; the members keep their bytes), and return the list of
    those places (``正文第12段“…”``) by number.

    The comments vanish when rendering; when a tag fails, the engine finds the last
    comment before the failing line and so names the paragraph as ``template check`` does.
    """
    labels: list[str] = []
    for part in template.parts:
        first_place: dict[int, Place] = {}
        for place in part.places:
            labels.append(place.where())
            _insert_before(place.element, len(labels) - 1)
            for tag in ("tc", "tr"):
                holder = _ancestor(place.element, tag)
                if holder is not None and id(holder) not in first_place:
                    first_place[id(holder)] = place
                    _insert_before(holder, len(labels) - 1)
    return labels


def _insert_before(element: etree._Element, number: int) -> None:
    marker = "{#@" + str(number) + "\n#}"
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + marker
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + marker


def place_of_line(source: str, lineno: int) -> int | None:
    """The number of the place marked last before line ``lineno`` of a rendered source."""
    start = sum(len(line) + 1 for line in source.split("\n")[: lineno - 1])
    marks = MARKER.findall(source, 0, start)
    return int(marks[-1]) if marks else None
