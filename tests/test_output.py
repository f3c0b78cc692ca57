"""Reports are written whole, and a report a clerk edited is never overwritten silently."""

from __future__ import annotations

from docx import Document

from sireport.files import is_untouched
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
