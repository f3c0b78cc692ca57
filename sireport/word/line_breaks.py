"""Where a title or a heading breaks: balanced title lines, no heading line of one character.

GB/T 9704-2012 §7.3.3: a title on several lines keeps words whole and its lines balanced
("哈密市2019年度社会保险基金 / 支出绩效自评报告", not "…绩效自评 / 报告"). A heading that
wraps must not leave one or two characters alone on its last line ("…运行情况分 / 析").
Both are decided here, once, from the rendered text and the paragraph style's measure,
and written as an explicit line break (``w:br``) into the rendered body
(:func:`break_lines`, called by :mod:`sireport.word.engine`), so Word and LibreOffice
break at the same place. Wording is untouched: only where a line ends changes.

Which paragraphs: a centred paragraph (a title, a table caption) gets balanced lines
when it wraps; a heading (a style with an outline level) gets a break only when its last
line would otherwise be a runt. Table cells are left alone. The measure comes from the
template's own styles (size, character spacing, indents) and the page's text width.

Words are found without a dictionary: a break may fall after an administrative suffix
of the unit's name (市, 县, 自治州, …), after a year ("2019年度"), after 基金 or 情况, after
a closing bracket or a 顿号, before an opening bracket or 绩效 or 及; never inside a number.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from html import unescape

from docx.oxml.ns import qn
from lxml import etree
from markupsafe import escape

AUTOSPACE = 0.2  # ems Word and LibreOffice add between Chinese and Latin text (w:autoSpaceDE/DN)
RUNT = 2  # characters: a last line this short is a stranded word
PLACE_SUFFIXES = ("自治区", "自治州", "自治县", "地区", "省", "市", "州", "盟", "县", "区", "旗")
WORD_ENDS = ("基金", "情况", "、", "，", "：", "；", "）", "》")
WORD_STARTS = ("绩效", "及", "（", "《")
NO_LINE_START = "，。、：；！？）》」』”’%"  # kinsoku: never at the start of a line
NO_LINE_END = "（《「『“‘"  # never at the end of one
_YEAR = re.compile(r"\d+年度?$")
_ASCII = re.compile(r"[0-9A-Za-z.%]")


@dataclass(frozen=True)
class Measure:
    """A paragraph style's line measure, in points."""

    balanced: bool  # centred: balanced lines; else a heading: no runt on its last line
    size: float  # font size
    spacing: float  # added after every character (w:spacing, negative: condensed)
    first: float  # width of the first line (after the first-line indent)
    other: float  # width of the following lines

    def width(self, text: str) -> float:
        ems = [_em(char) for char in text]
        gaps = sum(1 for a, b in zip(ems, ems[1:]) if a != b)  # between Chinese and a number or Latin word
        return sum(self.size * em + self.spacing for em in ems) + gaps * AUTOSPACE * self.size


def _em(char: str) -> float:
    """A character's advance in ems: CJK and full-width forms 1, Latin letters and digits ½."""
    return 0.5 if ord(char) < 0x2000 else 1.0


def break_points(text: str) -> list[int]:
    """Positions where ``text`` may break with its words whole (0 < i < len(text))."""
    points = []
    for i in range(1, len(text)):
        before, after = text[:i], text[i:]
        if not _allowed(before[-1], after[0]):
            continue
        if (before.endswith(WORD_ENDS) or after.startswith(WORD_STARTS) or _YEAR.search(before)
                or (before.endswith(PLACE_SUFFIXES) and len(before) > 1)):
            points.append(i)
    return points


def _allowed(last: str, first: str) -> bool:
    """Typesetting rules alone: numbers stay whole, no closing mark starts a line, no opening one ends it."""
    if _ASCII.match(last) and _ASCII.match(first):
        return False
    if (first in "年月日" and last.isdigit()) or (first == "度" and last == "年"):
        return False  # 2019年度, 18日
    return first not in NO_LINE_START and last not in NO_LINE_END


def choose(text: str, measure: Measure) -> list[int]:
    """The positions of the line breaks ``text`` needs under ``measure`` ([] if none)."""
    if len(text) > LONGEST or measure.width(text) <= measure.first:
        return []  # fits, or is no title (thousands of characters): left to wrap by itself
    spans = _Spans(text, measure)
    if measure.balanced:
        return _balanced(text, spans)
    return _no_runt(text, spans)


LONGEST = 300  # characters: a paragraph longer than this is left to wrap by itself


class _Spans:
    """Widths of the pieces of one text, from running sums (a span's width in constant time)."""

    def __init__(self, text: str, measure: Measure) -> None:
        self.measure = measure
        ems = [_em(char) for char in text]
        self._advance, self._gaps = [0.0], [0.0, 0.0]
        for n, em in enumerate(ems):
            self._advance.append(self._advance[-1] + measure.size * em + measure.spacing)
            if n:
                self._gaps.append(self._gaps[-1] + (AUTOSPACE * measure.size if em != ems[n - 1] else 0.0))

    def width(self, start: int, end: int) -> float:
        return self._advance[end] - self._advance[start] + self._gaps[end] - self._gaps[start + 1]

    def fits(self, start: int, end: int) -> bool:
        return self.width(start, end) <= (self.measure.first if start == 0 else self.measure.other)


def _balanced(text: str, spans: _Spans) -> list[int]:
    """The fewest lines with words whole, the longest of them as short as can be (even lines),
    the upper line the longer on a tie (GB/T 9704's trapezoid); any allowed break when words
    cannot fit."""
    for points in (break_points(text), _any_points(text)):
        cuts = _shortest_longest_line(points, len(text), spans)
        if cuts is not None:
            return cuts
    return []


def _shortest_longest_line(points: list[int], end: int, spans: _Spans) -> list[int] | None:
    """Cuts among ``points`` giving the fewest lines, then the shortest longest line (dynamic
    programming, one line more per round); None if some piece between points cannot fit."""
    bounds = [0, *points, end]
    reach: dict[int, tuple[tuple[float, float], list[int]]] = {0: ((0.0, 0.0), [])}
    while reach:
        step: dict[int, tuple[tuple[float, float], list[int]]] = {}
        for i, ((longest, upper), cuts) in reach.items():
            for j in range(i + 1, len(bounds)):
                if not spans.fits(bounds[i], bounds[j]):
                    break  # (wider still further on)
                width = spans.width(bounds[i], bounds[j])
                key = (max(longest, width), -width if i == 0 else upper)
                if j not in step or key < step[j][0]:
                    step[j] = (key, [*cuts, bounds[j]])
        if len(bounds) - 1 in step:
            return step[len(bounds) - 1][1][:-1]
        reach = step
    return None


def _no_runt(text: str, spans: _Spans) -> list[int]:
    """Natural (greedy) lines, but the last line's break moved back to a word boundary when the
    last line would hold ``RUNT`` characters or fewer."""
    cuts = _greedy(text, spans)
    if not cuts or len(text) - cuts[-1] > RUNT:
        return []  # no runt: the paragraph wraps by itself
    start = cuts[-2] if len(cuts) > 1 else 0
    for points in (break_points(text), _any_points(text)):
        for point in sorted((p for p in points if start < p < cuts[-1] and len(text) - p > RUNT), reverse=True):
            if spans.fits(start, point) and spans.fits(point, len(text)):
                return [*cuts[:-1], point]
    return []


def _greedy(text: str, spans: _Spans) -> list[int]:
    """Where the lines break by themselves (as many characters as fit, kinsoku respected)."""
    cuts, start = [], 0
    for i in range(1, len(text)):
        if not spans.fits(start, i + 1):
            cut = i
            while cut > start + 1 and not _allowed(text[cut - 1], text[cut]):
                cut -= 1
            cuts.append(cut)
            start = cut
    return cuts


def _any_points(text: str) -> list[int]:
    return [i for i in range(1, len(text)) if _allowed(text[i - 1], text[i])]


# --- style measures, from the template's styles.xml ------------------------------------------

def measures(styles: etree._Element, text_width_twips: int) -> dict[str, Measure]:
    """Style id -> Measure for every paragraph style that is centred or a heading."""
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style")) if s.get(qn("w:type")) == "paragraph"}
    defaults = styles.find(f"{qn('w:docDefaults')}")
    found = {}
    for style_id in by_id:
        chain = _chain(style_id, by_id)
        jc = _value(chain, "w:pPr/w:jc", "w:val", defaults)
        outline = _value(chain, "w:pPr/w:outlineLvl", "w:val", defaults)
        if jc != "center" and outline is None:
            continue
        size = float(_value(chain, "w:rPr/w:sz", "w:val", defaults) or 20) / 2
        spacing = float(_value(chain, "w:rPr/w:spacing", "w:val", defaults) or 0) / 20
        width = text_width_twips / 20 - _indent(chain, defaults, "left", "start") - _indent(chain, defaults, "right",
                                                                                          "end")
        first_line = _indent(chain, defaults, "firstLine") - _indent(chain, defaults, "hanging")
        chars = _value(chain, "w:pPr/w:ind", "w:firstLineChars", defaults)
        if chars is not None:
            first_line = float(chars) / 100 * size
        found[style_id] = Measure(jc == "center", size, spacing, width - first_line, width)
    return found


def _chain(style_id: str, by_id: dict) -> list[etree._Element]:
    """The style and the styles it is based on, nearest first."""
    chain, seen = [], set()
    while style_id in by_id and style_id not in seen:
        seen.add(style_id)
        chain.append(by_id[style_id])
        based = by_id[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return chain


def _value(chain: list, path: str, attribute: str, defaults) -> str | None:
    tags = path.split("/")
    places = [*chain]
    if defaults is not None:
        places.append(defaults.find(f"{qn('w:pPrDefault')}" if tags[0] == "w:pPr" else f"{qn('w:rPrDefault')}"))
    for node in places:
        element = node.find("/".join(qn(t) for t in tags)) if node is not None else None
        if element is not None and element.get(qn(attribute)) is not None:
            return element.get(qn(attribute))
    return None


def _indent(chain: list, defaults, *names: str) -> float:
    for name in names:
        value = _value(chain, "w:pPr/w:ind", f"w:{name}", defaults)
        if value is not None:
            return float(value) / 20
    return 0.0


# --- the pass over the rendered body ------------------------------------------------------

_TABLE = re.compile(r"<w:tbl[ >]|</w:tbl>")
TEXT_ELEMENT = re.compile(r"(<w:t(?: [^>]*)?>)([^<]*)</w:t>")  # a w:t as the rendered body writes it: start tag, text
BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def break_lines(xml: str, styles: dict[str, Measure]) -> str:
    """The rendered body with a ``w:br`` wherever a centred paragraph or a heading needs one."""
    if not styles:
        return xml
    positions, depths = _table_depths(xml)
    pieces, done = [], 0
    for match in _style_pattern(tuple(styles)).finditer(xml):
        measure = styles[match.group(1)]
        if depths[bisect.bisect(positions, match.start())] > 0:
            continue  # in a table
        start = _paragraph_start(xml, match.start())
        end = xml.index("</w:p>", match.end())
        if start < done or xml.find("<w:br/>", start, end) >= 0:
            continue  # already broken by hand (or by the template)
        paragraph = xml[start:end]
        paragraph = _broken_once(paragraph, measure) if len(paragraph) <= MEMO_LIMIT else _broken(paragraph, measure)
        if paragraph is not None:
            pieces += [xml[done:start], paragraph]
            done = end
    pieces.append(xml[done:])
    return "".join(pieces)


@functools.lru_cache(maxsize=16)
def _style_pattern(style_ids: tuple[str, ...]) -> re.Pattern:
    """The pStyle of a paragraph in one of these styles (a template's titles and headings)."""
    return re.compile('<w:pStyle w:val="(' + "|".join(map(re.escape, style_ids)) + ')"/>')


def _table_depths(xml: str) -> tuple[list[int], list[int]]:
    """Where each table tag is, and the table depth before the first and after each of them
    (``depths[bisect(positions, at)]`` is the depth at ``at``)."""
    positions, depths = [], [0]
    for match in _TABLE.finditer(xml):
        positions.append(match.start())
        depths.append(depths[-1] + (1 if match.group(0) != "</w:tbl>" else -1))
    return positions, depths


def _paragraph_start(xml: str, at: int) -> int:
    """Where the last <w:p> before ``at`` starts (-1: none); looked for after the paragraph
    before it first, not through the whole body."""
    previous = xml.rfind("</w:p>", 0, at)
    start = max(xml.rfind("<w:p>", previous, at), xml.rfind("<w:p ", previous, at)) if previous >= 0 else -1
    return start if start >= 0 else max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))


MEMO_LIMIT = 2000  # characters of a paragraph's XML: a longer one is not kept by _broken_once


@functools.lru_cache(maxsize=512)
def _broken_once(paragraph: str, measure: Measure) -> str | None:
    """:func:`_broken`, once per paragraph and measure: the headings are the same in every report."""
    return _broken(paragraph, measure)


def _broken(paragraph: str, measure: Measure) -> str | None:
    """The paragraph with its breaks written in, or None when it needs none."""
    texts = list(TEXT_ELEMENT.finditer(paragraph))
    plain = [unescape(m.group(2)) for m in texts]
    cuts = choose("".join(plain), measure)
    if not cuts:
        return None
    pieces, done, offset = [], 0, 0
    for match, text in zip(texts, plain):
        inner = [c - offset for c in cuts if offset < c < offset + len(text) or (c == offset and offset)]
        offset += len(text)
        if not inner:
            continue
        bounds = [0, *inner, len(text)]
        pieces += [paragraph[done:match.start()], match.group(1)]
        pieces.append(BREAK.join(str(escape(text[a:b])) for a, b in zip(bounds, bounds[1:])) + "</w:t>")
        done = match.end()
    pieces.append(paragraph[done:])
    return "".join(pieces)
