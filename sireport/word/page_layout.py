"""Official document layout (GB/T 9704-2012, docs/模板指南.md) applied with python-docx.

Used when a template is built from its readable source: page size and margins, the
styles (title 小标宋 2号, body 仿宋_GB2312 3号 with a 2-character first-line indent and
fixed 28.95 pt spacing, headings 黑体/楷体_GB2312/仿宋), Times New Roman for Latin
letters and digits, tables in 宋体 五号, and the "— 1 —" page number footer.
"""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from sireport import ooxml

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
BODY_SIZE = Pt(16)  # 3号
LINE_SPACING = Pt(28.95)
CHAR_SPACING = -5  # twentieths of a point between characters: 28 of 3号 on the 156 mm line

# style name -> (east Asian font, size, bold, alignment, first-line indent in characters)
STYLES = {
    "Normal": (BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "Title": ("方正小标宋简体", Pt(22), False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "Heading 1": ("黑体", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "Heading 2": ("楷体_GB2312", BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "Heading 3": (BODY_FONT, BODY_SIZE, True, WD_ALIGN_PARAGRAPH.LEFT, 2),
    "封面标题": ("方正小标宋简体", Pt(26), False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "封面栏目": (BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0),
    "居中正文": (BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "右对齐正文": (BODY_FONT, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    "表格文字": ("宋体", Pt(10.5), False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "表格标题": ("黑体", Pt(16), False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    "表格单位": ("宋体", Pt(10.5), False, WD_ALIGN_PARAGRAPH.RIGHT, 0),  # 单位：万元, the table's size
    "Footer": ("宋体", Pt(14), False, WD_ALIGN_PARAGRAPH.CENTER, 0),
}

# The template's own styles are named in Chinese, as Word and WPS list them for whoever edits
# the template; their ids (what the document's paragraphs refer to) stay ASCII, as Word's own
# are. Word's built-in styles (Normal, Title, Heading 1…) keep their English names: Word and
# WPS show those in the user's language themselves (正文, 标题, 标题 1…).
STYLE_IDS = {"封面标题": "CoverTitle", "封面栏目": "CoverField", "居中正文": "Centered", "右对齐正文": "Right",
             "表格文字": "TableText", "表格标题": "TableTitle", "表格单位": "TableUnit"}
# Word's built-in styles as Word and WPS name them in Chinese (what `sireport fonts` shows)
WORD_NAMES = {"normal": "正文", "title": "标题", "subtitle": "副标题", "heading 1": "标题 1", "heading 2": "标题 2",
              "heading 3": "标题 3", "header": "页眉", "footer": "页脚", "table grid": "网格型", "macro": "宏文本",
              "macro text char": "宏文本字符", "default paragraph font": "默认段落字体"}
# Keep-with-next chains only a caption to its table and a heading to the next paragraph (a
# heading's chain ends at the first body paragraph, whose first two lines follow it: widow and
# orphan control on Normal), so that a page foot never strands more than a heading's block.
KEEP_WITH_NEXT = {"表格标题", "表格单位"}
SINGLE_SPACED = {"表格文字", "表格单位"}  # table rows as tall as their text, off the line grid
# style -> (indent of the first line, width of the label), in characters
HANGING = {"封面栏目": (2, 9)}  # 实施单位（公章）： is 9 characters


def set_run_fonts(rpr_parent, east_asia: str) -> None:
    """Set Latin fonts to Times New Roman and the East Asian font on a style or run."""
    fonts = ooxml.child(rpr_parent.get_or_add_rPr(), "w:rFonts")
    for attr, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT),
                        ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), value)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the named font


def apply_page_setup(document) -> None:
    """A4 with the GB/T 9704 margins."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28) - Mm(7)
        section.start_type = WD_SECTION.NEW_PAGE
        _character_grid(section._sectPr, section.page_width - section.left_margin - section.right_margin)


CHARS_PER_LINE = 28


def _character_grid(sect_pr, text_width) -> None:
    """The 22 × 28 grid of GB/T 9704: a line grid at the body's fixed line spacing (22 lines
    fill the page) with the character pitch of 28 characters a line in ``charSpace`` (the
    pitch minus the body size, in 4096ths of a point), which Word uses. LibreOffice does not
    squeeze a character into a narrower grid cell (it would take two), so the type stays
    "lines" and the body's characters are set :data:`CHAR_SPACING` closer instead
    (:func:`apply_styles`): 28 characters then fit the line in both."""
    pitch = text_width / CHARS_PER_LINE / 12700  # EMU → points
    grid = ooxml.child(sect_pr, "w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_SPACING.pt * 20)))
    grid.set(qn("w:charSpace"), str(int((pitch - BODY_SIZE.pt) * 4096)))


def apply_styles(document) -> None:
    """Create or adjust every style the templates use."""
    styles = document.styles
    for name, (east_asia, size, bold, align, indent_chars) in STYLES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = STYLE_IDS[name]
            style.base_style = styles["Normal"]
        style.font.name = LATIN_FONT
        style.font.size = size
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = None
        set_run_fonts(style.element, east_asia)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        if size == BODY_SIZE:
            ooxml.child(style.element.get_or_add_rPr(), "w:spacing").set(qn("w:val"), str(CHAR_SPACING))
        if name in SINGLE_SPACED:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            ooxml.child(style.element.get_or_add_pPr(), "w:snapToGrid").set(qn("w:val"), "0")  # rows as tall as their text
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = LINE_SPACING
        fmt.first_line_indent = Pt(size.pt * indent_chars) if indent_chars else Pt(0)
        if name in HANGING:  # cover fields: wrapped values line up after the longest label
            start, label = HANGING[name]
            fmt.left_indent = Pt(size.pt * (start + label))
            fmt.first_line_indent = Pt(-size.pt * label)
        if name in KEEP_WITH_NEXT:
            fmt.keep_with_next = True  # a table's caption and unit line never end a page alone
        if name == "Normal":
            fmt.widow_control = True  # Word's default is off without it; LibreOffice's is two lines
        _drop_borders(style)
        if name.startswith("Heading"):
            fmt.keep_with_next = True
            fmt.page_break_before = False
            _outline_level(style, int(name[-1]) - 1)


def _drop_borders(style) -> None:
    """python-docx's stock Title style has a bottom rule; official documents have none."""
    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _outline_level(style, level: int) -> None:
    ooxml.child(style.element.get_or_add_pPr(), "w:outlineLvl").set(qn("w:val"), str(level))


PAGE_NUMBER_INDENT = Pt(14)  # one character of the 4号 page number


def add_page_number_footer(document) -> None:
    """Footer "— N —" in 4号 宋体, GB/T 9704: on odd pages at the right, on even pages at
    the left, one character in (Word and LibreOffice keep two footers for that). A bureau
    that centres its page numbers centres both paragraphs in Word (docs/模板指南.md)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = PAGE_NUMBER_INDENT
        else:
            paragraph.paragraph_format.left_indent = PAGE_NUMBER_INDENT
        _page_number(paragraph)


def _page_number(paragraph) -> None:
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        elif text == "1":
            node = OxmlElement("w:t")
            node.text = text
        else:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        run._r.append(node)
    paragraph.add_run(" —")


def apply_layout(document) -> None:
    apply_page_setup(document)
    apply_styles(document)
    add_page_number_footer(document)

