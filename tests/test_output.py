"""Reports are written whole, and a report a clerk edited is never overwritten silently."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path
from xml.parsers import expat

from docx import Document

from sireport import files
from sireport.errors import OutputError
from sireport.files import check_package, is_untouched
from sireport.word.search import builtin_dir
from sireport.word.zipwriter import ZipSkeleton
from test_errors import MINIMAL, write


def test_rerender_replaces_an_untouched_report(cli, tmp_path):
    data = write(tmp_path, MINIMAL)
    assert cli("render", data, "-o", "r.docx").exit_code == 0
    assert is_untouched(tmp_path / "r.docx")
    result = cli("render", data, "-o", "r.docx")
    assert result.exit_code == 0, result.stderr


def test_edited_report_is_not_overwritten_without_force(cli, tmp_path):
    data = write(tmp_path, MINIMAL)
    assert cli("render", data, "-o", "r.docx").exit_code == 0
    document = Document(str(tmp_path / "r.docx"))
    document.add_paragraph("经办人手工补充的一段文字。")
    document.save(str(tmp_path / "r.docx"))
    assert not is_untouched(tmp_path / "r.docx")

    result = cli("render", data, "-o", "r.docx")
    assert result.exit_code != 0
    assert "已在生成后被修改" in result.stderr and "--force" in result.stderr
    assert "经办人手工补充的一段文字。" in [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]

    assert cli("render", data, "-o", "r.docx", "--force").exit_code == 0
    assert "经办人手工补充的一段文字。" not in [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]


def test_a_file_sireport_did_not_write_is_protected(cli, tmp_path):
    (tmp_path / "r.docx").write_bytes(b"not a report")
    result = cli("render", write(tmp_path, MINIMAL), "-o", "r.docx")
    assert result.exit_code != 0
    assert (tmp_path / "r.docx").read_bytes() == b"not a report"


def test_output_directory_gets_the_default_name(cli, tmp_path):
    (tmp_path / "reports").mkdir()
    assert cli("render", write(tmp_path, MINIMAL), "-o", "reports").exit_code == 0
    assert (tmp_path / "reports" / "测试县-2019-社会保险基金支出绩效自评报告.docx").is_file()


def test_failed_render_leaves_no_temporary_files(cli, tmp_path):
    data = write(tmp_path, MINIMAL.replace("actual: 1716", "actual: 十万"))
    assert cli("render", data, "-o", "r.docx").exit_code != 0
    assert list(tmp_path.iterdir()) == [data]


def broken_body_template(path: Path) -> Path:
    """A template whose {% if %} opens in a paragraph and closes in a table cell: the render
    drops the cell's opening tags and leaves their closing ones (XML Word could not open)."""
    document = Document(str(builtin_dir() / "default.docx"))
    document.add_paragraph("甲").add_run("{% if false %}")
    document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run("{% endif %}")
    document.save(str(path))
    return path


def test_a_rendered_document_that_would_not_open_is_not_written(cli, tmp_path):
    template = broken_body_template(tmp_path / "broken.docx")
    result = cli("render", write(tmp_path, MINIMAL), "-o", "out/r.docx", "-t", template)
    assert result.exit_code != 0
    assert f"{Path('out/r.docx')}：生成的文件无效，未写出（word/document.xml 第 2 行：mismatched tag）" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_document_made_in_memory_is_checked_as_its_zip_would_be(tmp_path):
    """The members a render wrote are parsed from memory, with the message the zip's gives."""
    skeleton = ZipSkeleton((builtin_dir() / "default.docx").read_bytes())
    for body, expected in ((b"<w:document>", "word/document.xml 第 1 行：no element found"),
                           (b"<a>\n<b></a>", "word/document.xml 第 2 行：mismatched tag"),
                           ("<正文>好</正文>".encode(), None)):
        built = skeleton.built({"word/document.xml": body})
        messages = []
        for data in (built, built.data, io.BytesIO(built.data)):
            try:
                check_package(data, tmp_path / "r.docx")
                messages.append(None)
            except OutputError as exc:
                messages.append(exc.message)
        assert messages == [None if expected is None else f"{tmp_path / 'r.docx'}：生成的文件无效，未写出（{expected}）"] * 3


def test_a_template_holding_a_part_twice_is_checked_part_by_part(cli, tmp_path, monkeypatch):
    """A template zip may hold one name twice; the render writes both members and each is
    checked, the first one as well (review: the check from memory read the last one twice,
    and remembered the broken member as parsed)."""
    monkeypatch.setattr("sireport.files._PARSED", set())
    template = io.BytesIO()
    with zipfile.ZipFile(builtin_dir() / "default.docx") as source, zipfile.ZipFile(template, "w") as copy:
        for info in source.infolist():
            copy.writestr(info, source.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (zipfile warns of the duplicate name)
            copy.writestr("customXml/dup.xml", b"<a><b></a>")
            copy.writestr("customXml/dup.xml", b"<a/>")
    (tmp_path / "dup.docx").write_bytes(template.getvalue())
    for _ in range(2):  # (the second time, the broken member is not taken as parsed before)
        result = cli("render", write(tmp_path, MINIMAL), "-o", "out/r.docx", "-t", tmp_path / "dup.docx")
        assert result.exit_code != 0
        assert "生成的文件无效，未写出（customXml/dup.xml 第 1 行：mismatched tag）" in result.stderr
        assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_every_character_a_shape_leaves_out_parses_in_a_text():
    """The texts _shape leaves out hold only characters that parse in an element's text (all of
    Unicode tried: one document with every one of them); the others stay in the shape."""
    left_out = [chr(code) for code in range(0x110000)
                if not 0xD800 <= code <= 0xDFFF and files._TEXT.fullmatch(f">{chr(code)}</")]
    assert len(left_out) > 1_000_000
    document = "<a><w:t>" + "".join(left_out) + "</w:t></a>"
    expat.ParserCreate().Parse(document.encode("utf-8"), True)
    for kept in "<>&\x00\x01\x0b\x1f\ufffe\uffff":
        assert kept not in left_out


def check_built(parts: list[bytes], tmp_path: Path, monkeypatch) -> list[str]:
    """check_package of each body in a Built: whether it was parsed, or the message's end."""
    skeleton, outcomes, parsed = ZipSkeleton((builtin_dir() / "default.docx").read_bytes()), [], []
    real = files._parse
    monkeypatch.setattr(files, "_parse", lambda *args: (parsed.append(args[0]), real(*args))[1])
    for body in parts:
        parsed.clear()
        try:
            check_package(skeleton.built({"word/document.xml": body}), tmp_path / "r.docx")
            outcomes.append("parsed" if "word/document.xml" in parsed else "known")
        except OutputError as exc:
            outcomes.append(exc.message.split("（", 1)[1])
    return outcomes


def test_a_body_of_a_shape_parsed_before_is_not_parsed_again(tmp_path, monkeypatch):
    files._SHAPES.clear()
    body = '<w:body><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p><w:p><w:t>{}</w:t></w:p></w:body>'
    assert check_built([body.format("哈密市", "2019").encode(),
                        body.format("和静县 社保局%", "").encode(),  # texts differ: the same shape
                        body.format("A&amp;B", "1").encode(),  # a reference: parsed
                        body.format("x", "y").replace("</w:p></w:body>", "</w:body>").encode()], tmp_path, monkeypatch) == \
        ["parsed", "known", "parsed", "word/document.xml 第 1 行：mismatched tag）"]


def test_a_part_in_utf16_is_parsed_every_time(tmp_path, monkeypatch):
    """UTF-16 with no byte order mark or declaration: the parser tells it from the first bytes,
    while read as UTF-8 its bytes may look like texts between tags (review: a part with a lone
    surrogate had the shape of a good one and was passed without being parsed)."""
    files._SHAPES.clear()
    good = "<a>举乁乁⼼</a>".encode("utf-16-le")  # read as UTF-8: <\0a\0>\0>NANAN</…
    bad = "<a>举".encode("utf-16-le") + b"\x41\xdc\x80\x41" + "⼼</a>".encode("utf-16-le")  # U+DC41 alone
    assert good.decode("utf-8") and bad.decode("utf-8")
    assert check_built([good, bad], tmp_path, monkeypatch) == \
        ["parsed", "word/document.xml 第 1 行：not well-formed (invalid token)）"]


def test_a_text_where_another_would_not_parse_is_kept_in_the_shape(tmp_path, monkeypatch):
    """Where a w:t's text can stand but not any text (a comment, a literal of a document type
    declaration) the part is parsed every time; in a CDATA section ]]> cannot be made."""
    files._SHAPES.clear()
    comment = "<a><!--><w:t>{}</w:t>--></a>"
    cdata = "<a><![CDATA[><w:t>{}</w:t>]]></a>"
    doctype = '<!DOCTYPE a [<!ENTITY e "><w:t>{}</w:t>">]><a/>'
    outcomes = check_built([form.format(text).encode() for form in (comment, cdata, doctype)
                            for text in ("好", "a--b", "]]>", '"', "]]")], tmp_path, monkeypatch)
    refused = "word/document.xml 第 1 行：not well-formed (invalid token)）"
    assert outcomes == ["parsed", refused, "parsed", "parsed", "parsed",
                        "parsed", "known", "word/document.xml 第 1 行：mismatched tag）", "known", "known",
                        "parsed", "parsed", "parsed", refused, "parsed"]
