"""Bad input: a Chinese message that says where, a non-zero exit, no traceback, no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLES

MINIMAL = """\
report:
  unit: 测试县
  year: 2019
funds:
  - name: 失业保险
    expense:
      - name: 失业保险金
        actual: 1716
        previous: 1500
"""


def write(tmp_path: Path, text: str, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_refused(result, tmp_path: Path, *fragments: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert list(tmp_path.glob("output/*.docx")) == []  # no report, not even a partial one
    assert not list(tmp_path.rglob("*.tmp"))


def test_minimal_file_renders(cli, tmp_path):
    result = cli("render", write(tmp_path, MINIMAL))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "output" / "测试县-2019-社会保险基金支出绩效自评报告.docx").is_file()


def test_malformed_yaml_names_line_and_column(cli, tmp_path):
    bad = MINIMAL.replace("        actual: 1716", "        actual: 1716\n       previous 12: x: y")
    result = cli("render", write(tmp_path, bad))
    assert_refused(result, tmp_path, "data.yaml:9:", "格式错误")


def test_malformed_json_names_line_and_column(cli, tmp_path):
    result = cli("render", write(tmp_path, '{\n  "report": {"unit": "县", "year": 2019},\n  "funds": [,]\n}', "d.json"))
    assert_refused(result, tmp_path, "d.json:3:13", "JSON 格式错误")


@pytest.mark.parametrize(("old", "new", "fragments"), [
    pytest.param("actual: 1716", "actual: 十万",
                 ("data.yaml:8:", "funds[失业保险].expense[失业保险金].actual", "应为数字", "十万"),
                 id="wrong type: line and key path"),
    pytest.param("  year: 2019\n", "", ("report.year", "缺少必填字段"), id="missing required field: key path"),
    pytest.param("name: 失业保险\n", "name: 失业险\n",
                 ("funds[失业险].name", "未知的基金名称“失业险”", "企业职工基本养老保险", "生育保险"),
                 id="unknown fund: the valid names"),
    pytest.param("previous: 1500", "previos: 1500", ("未知字段“previos”", "是否应为“previous”"),
                 id="misspelt key: the right one suggested"),
])
def test_a_data_error_names_its_place(cli, tmp_path, old, new, fragments):
    assert old in MINIMAL
    result = cli("render", "--verbose", write(tmp_path, MINIMAL.replace(old, new)))
    assert_refused(result, tmp_path, *fragments)


def test_all_problems_reported_at_once(cli, tmp_path):
    text = MINIMAL.replace("actual: 1716", "actual: 十万").replace("  year: 2019\n", "")
    result = cli("render", "--verbose", write(tmp_path, text))
    assert_refused(result, tmp_path, "2 处问题", "report.year", "actual")


def test_missing_data_file(cli, tmp_path):
    assert_refused(cli("render", tmp_path / "nope.yaml"), tmp_path, "找不到数据文件")


def _template_with(tmp_path: Path, paragraph: str) -> Path:
    """A copy of the default template with one extra paragraph holding ``paragraph``."""
    from sireport.word.search import builtin_dir

    document = Document(str(builtin_dir() / "default.docx"))
    document.add_paragraph(paragraph)
    path = tmp_path / "my.docx"
    document.save(str(path))
    return path


def test_template_field_missing_from_data_is_named(cli, tmp_path):
    template = _template_with(tmp_path, "负责人：{{ report.director_name }}")
    result = cli("render", write(tmp_path, MINIMAL), "--template", template)
    assert_refused(result, tmp_path, "模板引用了数据中没有的字段", "director_name", "my.docx")


def test_template_reaching_python_internals_is_refused(cli, tmp_path):
    template = _template_with(tmp_path, "{{ ''.__class__.__mro__ }}")
    result = cli("render", write(tmp_path, MINIMAL), "--template", template)
    assert_refused(result, tmp_path, "安全沙箱拒绝")


def test_unknown_template_name_lists_available(cli, tmp_path):
    result = cli("render", write(tmp_path, MINIMAL), "--template", "不存在的模板")
    assert_refused(result, tmp_path, "找不到名为“不存在的模板”的模板", "default")


def test_json_and_yaml_share_one_schema(cli, tmp_path):
    import json

    from sireport.data.load import load_report

    yaml_report = load_report(EXAMPLES / "hami-2019.yaml").report
    path = tmp_path / "hami.json"
    path.write_text(yaml_report.model_dump_json(exclude_defaults=True), encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["report"]["unit"] == "哈密市"
    assert load_report(path).report == yaml_report
    assert cli("render", path).exit_code == 0


def test_internal_error_is_one_line_unless_debug(cli, monkeypatch):
    import sireport

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sireport, "render", broken)
    result = cli("render", EXAMPLES / "hami-2019.yaml")
    assert result.exit_code == 70 and "内部错误：RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises(RuntimeError, match="boom"):
        cli("--debug", "render", EXAMPLES / "hami-2019.yaml")
    assert cli("render", EXAMPLES / "hami-2019.yaml").exit_code == 70  # --debug does not stick
