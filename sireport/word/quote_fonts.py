"""Chinese quotation marks “ ” ‘ ’ in the East Asian font (docs/PDF输出.md).

Word draws U+2018–U+201D with a run's Latin font (Times New Roman: narrow, half-width
marks) unless the run's ``w:rFonts`` carries ``w:hint="eastAsia"``, which is what Word
itself writes when a Chinese input method types them. Every rendered part goes through
:func:`hint_quotes` once (:mod:`sireport.word.engine`), so quotation marks from the
template's text and from the data alike are set in the East Asian face (仿宋, 黑体, …).
"""

from __future__ import annotations

import re

QUOTES = "“”‘’"
HINT = 'w:hint="eastAsia"'
_TEXT_START = re.compile(r"<w:t(?: [^>]*)?>")
_RUN_START = re.compile(r"<w:r(?: [^>]*)?>")
_FONTS = re.compile(r"<w:rFonts\b([^>]*?)(/?)>")


def hint_quotes(xml: str) -> str:
    """``xml`` with ``w:hint="eastAsia"`` on the fonts of every run whose text holds a quotation mark."""
    if not any(quote in xml for quote in QUOTES):
        return xml  # (the usual case: one cheap scan)
    starts = {_run_start(xml, text) for text in _quoted_texts(xml)}
    pieces, done = [], 0
    for start in sorted(s for s in starts if s is not None):
        end = xml.index(">", start) + 1  # the end of <w:r …>
        pieces += [xml[done:end], _hinted_properties(xml, end)]
        done = end + _properties_length(xml, end)
    pieces.append(xml[done:])
    return "".join(pieces)


def _quoted_texts(xml: str) -> set[int]:
    """Where each w:t whose text holds a quotation mark starts, found from the marks: the
    tag right before a mark, when it is a w:t start tag (a search for the marks themselves
    costs a tenth of a pattern matched over the whole body)."""
    found = set()
    for quote in QUOTES:
        at = xml.find(quote)
        while at >= 0:
            tag = xml.rfind("<", 0, at)
            start = _TEXT_START.match(xml, tag) if tag >= 0 else None
            if start is not None and start.end() <= at:
                found.add(tag)
            at = xml.find(quote, at + 1)
    return found


def _run_start(xml: str, text_at: int) -> int | None:
    """Where the w:r holding the w:t at ``text_at`` starts (None: text outside a run)."""
    start = max(xml.rfind("<w:r>", 0, text_at), xml.rfind("<w:r ", 0, text_at))
    if start < 0 or xml.rfind("</w:r>", start, text_at) >= 0:
        return None
    return start if _RUN_START.match(xml, start) else None


def _properties_length(xml: str, at: int) -> int:
    """The length of the run's w:rPr starting at ``at`` (0 when the run has none)."""
    if xml.startswith("<w:rPr/>", at):
        return len("<w:rPr/>")
    if xml.startswith("<w:rPr>", at):
        return xml.index("</w:rPr>", at) + len("</w:rPr>") - at
    return 0


def _hinted_properties(xml: str, at: int) -> str:
    """The run's w:rPr (at ``at``) with the hint on its w:rFonts, added where there is none."""
    length = _properties_length(xml, at)
    props = xml[at:at + length] if length and not xml.startswith("<w:rPr/>", at) else "<w:rPr></w:rPr>"
    fonts = _FONTS.search(props)
    if fonts:
        attributes = re.sub(r'\s*w:hint="[^"]*"', "", fonts.group(1))
        return props[:fonts.start()] + f"<w:rFonts{attributes} {HINT}{fonts.group(2)}>" + props[fonts.end():]
    style = re.match(r"<w:rPr><w:rStyle\b[^>]*/>", props)  # w:rFonts comes right after w:rStyle
    cut = style.end() if style else len("<w:rPr>")
    return props[:cut] + f"<w:rFonts {HINT}/>" + props[cut:]
