"""sireport.word.text: a body read back as blocks of text with their places, as Word counts them."""

from __future__ import annotations

import pytest

from sireport.word.text import Place, UnreadableDocument, body_of, walk

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
