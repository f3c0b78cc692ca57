"""sireport.word.text: a body read back as blocks of text with their places, as Word counts them."""

from __future__ import annotations

import pytest

from sireport.word.text import Place, UnreadableDocument, body_of, walk
from sireport.word.text_memo import BodyMemo, Reading

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _doc(body: str) -> bytes:
    return f"<w:document {NS}><w:body>{body}</w:body></w:document>".encode()


def _p(*runs: str) -> str:
    return "<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>" + "".join(f"<w:r>{r}</w:r>" for r in runs) + "</w:p>"


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{text}</w:t>'


def _tc(*paragraphs: str, span: int = 0) -> str:
    props = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span else "<w:tcPr/>"
    return f"<w:tc>{props}{''.join(paragraphs)}</w:tc>"


BODY = "".join([
    _p(_t("一、总体"), _t("情况")),                                          # runs joined
    _p(_t("标题上半"), "<w:br/>", _t("下半"), "<w:tab/>", _t("尾"), "<w:cr/>"),  # breaks and tabs
    _p(_t("留下"), "<w:delText>删去</w:delText>", '<w:instrText> PAGE </w:instrText>'),  # only w:t is text
    "<w:p/>",                                                                   # an empty paragraph
    "<w:tbl><w:tblGrid/>"
    f"<w:tr>{_tc(_p(_t('合并')), span=2)}{_tc(_p(_t('甲')), _p(_t('乙')))}</w:tr>"
    f"<w:tr>{_tc(_p(_t('a')))}{_tc(_p(_t('b')))}{_tc(_p(_t('c')), span=0)}</w:tr>"
    f"<w:tr>{_tc(_p(_t('外')), '<w:tbl>' + '<w:tr>' + _tc(_p(_t('内'))) + '</w:tr></w:tbl>', _p(_t('后')))}"
    f"{_tc('<w:p/>')}</w:tr>"
    "</w:tbl>",
    f"<w:sdt><w:sdtPr/><w:sdtContent>{_p(_t('控件中'))}</w:sdtContent></w:sdt>",
    "<w:sdt><w:sdtPr/></w:sdt>",                                               # no content: nothing
    '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr><w:p/></w:tc>' + _tc(_p(_t("二"))) + "</w:tr></w:tbl>",
    _p(_t("&lt;末&gt; &amp;")),
    "<w:sectPr/>",
])


def test_blocks_in_reading_order_with_their_places():
    blocks = list(walk(body_of(_doc(BODY))))
    assert [(b.text, str(b.place)) for b in blocks] == [
        ("一、总体情况", "段落 1"),
        ("标题上半\n下半\t尾\n", "段落 2"),
        ("留下", "段落 3"),
        ("", "段落 4"),
        ("合并", "表 1 行 1 列 1"),
        ("甲\n乙", "表 1 行 1 列 3"),
        ("a", "表 1 行 2 列 1"),
        ("b", "表 1 行 2 列 2"),
        ("c", "表 1 行 2 列 3"),
        ("外\n内\n后", "表 1 行 3 列 1"),   # a nested table is read as its cell's text, its rows not counted
        ("", "表 1 行 3 列 2"),
        ("控件中", "段落 5"),
        ("", "表 2 行 1 列 1"),             # an unreadable span counts as 1
        ("二", "表 2 行 1 列 2"),
        ("<末> &", "段落 6"),
    ]
    assert [b.in_table for b in blocks] == [False] * 4 + [True] * 7 + [False] + [True] * 2 + [False]
    assert blocks[0].place == Place(paragraph=1) and blocks[5].place == Place(table=1, row=1, column=3)
    assert [len(b.elements) for b in blocks] == [1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 1, 1, 1, 1]
    assert all(e.tag.endswith("}p") for b in blocks for e in b.elements)


@pytest.mark.parametrize("xml, says", [
    (b"<w:document", "不是可读取的 Word 文档"),
    (f"<w:document {NS}/>".encode(), "缺少 w:body"),
])
def test_an_unreadable_part_is_said_in_chinese(xml, says):
    with pytest.raises(UnreadableDocument, match=says):
        body_of(xml)


# --- the same blocks read through the memo of bodies' shapes (sireport.word.text_memo) -----------

def _outcome(read, xml: bytes):
    try:
        return read(xml)
    except UnreadableDocument as exc:
        return str(exc)


def _same_both_ways(xml: bytes, memo: BodyMemo) -> Reading:
    """The memo reads ``xml`` as a parse and a walk do (twice: once to learn its shape, once from it)."""
    direct = _outcome(lambda data: Reading.of(list(walk(body_of(data)))), xml)
    assert _outcome(memo.read, xml) == direct
    assert _outcome(memo.read, xml) == direct
    return direct


def test_a_body_of_a_shape_read_before_reads_its_own_texts():
    memo = BodyMemo()
    first = _same_both_ways(_doc(BODY), memo)
    assert first.texts[:3] == ["一、总体情况", "标题上半\n下半\t尾\n", "留下"]
    assert first.levels == [None] * len(first.texts)
    other = BODY.replace("总体", "具体").replace("甲", "丙").replace(">内<", ">里<").replace("尾", "")
    second = _same_both_ways(_doc(other), memo)
    assert len(memo._shapes) == 1  # the second body was read from the first one's shape
    assert second.texts[:2] == ["一、具体情况", "标题上半\n下半\t\n"]
    assert "丙\n乙" in second.texts and "外\n里\n后" in second.texts  # a cell's paragraphs, a nested table's
    assert second.places == first.places and second.in_table == first.in_table


HEADINGS = "".join(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>{_t(text)}</w:r></w:p>'
                   for style, text in [("Heading1", "一、总体"), ("Heading2", "（一）收入"), ("Normal", "正文"),
                                       ("Heading3x", "不是标题"), ("Heading²", "不是标题"),
                                       ("Heading2", "（二）支出")])


@pytest.mark.parametrize("body", [
    HEADINGS,
    _p(_t("&#xE000;0&#xE001;"), _t("甲")),            # a text holding a slot's characters, by reference
    _p(_t("\ue0000\ue001"), _t("乙")),                  # … and as written
    _p(_t("&#xE000;"), _t("丙&#xE001;")),
    _p("<w:t><![CDATA[a<b>]]></w:t>", _t("丁")),        # text the parser reads other than as written
    _p("<w:t>a<!-- 注 -->b</w:t>", _t("戊")),
    _p(_t("回车\r换行"), _t("&#13;"), _t("制表\t符")),
    _p("<w:t xml:space='preserve' title=\"a>b\">己</w:t>", "<w:t\n>庚</w:t >", "<w:t/>", "<w:t></w:t>"),
    '<v:p xmlns:v="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><v:r><v:t>别的前缀</v:t></v:r></v:p>',
    '<w:p xmlns:w="urn:other"><w:r><w:t>别的命名空间</w:t></w:r></w:p>' + _p(_t("辛")),
    _p(_t("a]]>b")),                                    # refused by the parser: the same error
    _p(_t("控制\x01字符")),
    _p(_t("未闭合"), "<w:r>"),
    "<w:p><w:r><w:t>&undefined;</w:t></w:r></w:p>",
    # a text left in the mask reading as a slot while a slotted text is not read (review: the
    # memo filled the fake slot with the hidden text)
    _p(_t("&amp;\ue0000\ue001")) + "<!-- <w:t>藏</w:t> -->" + _p(_t("好")),
    _p(_t("&amp;\ue0000\ue001")) + _p('<x xmlns:w="urn:o"><w:t>藏</w:t></x>'),
    _p(_t("&amp;\ue0000\ue001")) + "<?pi <w:t>藏</w:t>?>" + _p(_t("好")),
    _p(_t("&#xE000;0&#xE001;")) + "<!--<w:t>藏</w:t>-->" + _p(_t("好")),
    _p(_t("&#57344;0&#57345;")) + "<!--<w:t>藏</w:t>-->" + _p(_t("好")),
])
def test_odd_bodies_read_the_same_through_the_memo(body):
    _same_both_ways(_doc(body), BodyMemo())


def test_heading_levels_are_read_from_the_styles():
    reading = _same_both_ways(_doc(HEADINGS), BodyMemo())
    assert reading.levels == [1, 2, None, None, None, 2]  # Heading3x and Heading² are no headings


def test_odd_parts_read_the_same_through_the_memo():
    memo = BodyMemo()
    declared = b'<?xml version="1.0" encoding="GBK"?>' + _doc(_p(_t("汉字"))).decode().encode("gbk")
    assert _same_both_ways(declared, memo).texts == ["汉字"]
    assert _same_both_ways(b'<?xml version="1.0" encoding="utf-8"?>' + _doc(_p(_t("汉字"))), memo).texts == ["汉字"]
    latin = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + _doc(_p(_t("é")))  # read as two characters
    assert _same_both_ways(latin, memo).texts == ["Ã©"]
    assert isinstance(_same_both_ways(_doc(_p(_t("Q"))).replace(b"Q", b"\xff"), memo), str)  # not UTF-8
    assert isinstance(_same_both_ways(_doc(_p(_t("Q"))).replace(b"Q", "\ufffe".encode()), memo), str)
    assert isinstance(_same_both_ways(f"<w:document {NS}/>".encode(), memo), str)
    assert isinstance(_same_both_ways(b"<w:document", memo), str)


def test_the_memo_keeps_a_few_shapes():
    memo = BodyMemo(size=2)
    for count in range(1, 6):
        _same_both_ways(_doc(_p(_t("段")) * count), memo)
    assert len(memo._shapes) == 2
