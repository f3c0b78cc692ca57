"""template check on copies of the default template as Word leaves them after editing."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLES, ROOT
from docxtext import full_text
from wordlike import edit_document, remove_paragraph, replace, split_runs

DEFAULT = ROOT / "sireport" / "templates" / "default.docx"
HAMI = EXAMPLES / "hami-2019.yaml"

SPLIT = split_runs("{{ p.amount(f.income.actual) }}", "{{ p.amount(f.inc", "ome.actual", ") }}")
CURLY = replace("map(attribute='title')|join('、')", "map(attribute=‘title’)|join(‘、’)")
FULL_WIDTH = replace("{{ c.income_sub.actual|cell }}", "｛｛ c.income_sub.actual|cell ｝｝")
MISSPELT = replace("{{ p.amount(f.treatment.actual) }}", "{{ p.amount(f.treatment.actul) }}")
NO_ENDFOR = remove_paragraph("{%p endfor %}")  # the first one: after {%p for para in text.opening|paras %}


def body_paragraph(path: Path, fragment: str) -> int:
    """1-based number of the first body paragraph (outside tables) containing ``fragment``."""
    texts = [p.text for p in Document(str(path)).paragraphs]
    return next(i for i, text in enumerate(texts, 1) if fragment in text)


def table_cell(path: Path, fragment: str) -> tuple[int, int, int]:
    for t, table in enumerate(Document(str(path)).tables, 1):
        for r, row in enumerate(table.rows, 1):
            for c, tc in enumerate(row._tr.tc_lst, 1):
                if fragment in "".join(x.text or "" for x in tc.iter(tc.tag.replace("tc", "t"))):
                    return t, r, c
    raise AssertionError(fragment)


@pytest.fixture
def word_copy(tmp_path):
    return edit_document(DEFAULT, tmp_path / "edited.docx", SPLIT, CURLY, FULL_WIDTH, MISSPELT, NO_ENDFOR)


def test_each_problem_is_reported_with_its_place(word_copy, cli):
    result = cli("template", "check", word_copy)
    assert result.exit_code != 0
    out = result.stdout + result.stderr
    split_at = body_paragraph(word_copy, "ome.actual")
    assert f"正文第{split_at}段“{{{{ p.amount(f.inc" in out
    assert "拆成了 3 段文字（中间夹有书签、拼写检查标记）" in out
    curly_at = body_paragraph(word_copy, "attribute=‘title’")
    assert f"正文第{curly_at}段" in out and "弯引号" in out
    t, r, c = table_cell(word_copy, "｛｛ c.income_sub.actual")
    assert f"正文第{t}个表格第{r}行第{c}格“｛｛ c.income_sub.actual|cell ｝｝”" in out
    assert "全角字符“｛｝”已改为半角" in out
    misspelt_at = body_paragraph(word_copy, "f.treatment.actul")
    assert f"正文第{misspelt_at}段" in out
    assert "模板引用了数据中没有的字段“f.treatment.actul”，是否应为“f.treatment.actual”？" in out
    opening_at = body_paragraph(word_copy, "{%p for para in text.opening|paras %}")
    assert f"正文第{opening_at}段“{{%p for para in text.opening|paras %}}”：" in out
    assert "没有对应的 {% endfor %}" in out
    assert "Traceback" not in out


def test_render_refuses_a_broken_template_before_writing(word_copy, cli):
    result = cli("render", HAMI, "-t", word_copy, "-o", "out.docx")
    assert result.exit_code != 0
    assert "actul" in result.stderr and "没有对应的 {% endfor %}" in result.stderr
    assert not Path("out.docx").exists()


def test_repairable_copy_renders_like_the_original(tmp_path, cli):
    edited = edit_document(DEFAULT, tmp_path / "repairable.docx", SPLIT, CURLY, FULL_WIDTH)
    result = cli("render", HAMI, "-t", edited, "-o", "repaired.docx")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("模板已自动修复") == 3
    assert cli("render", HAMI, "-o", "original.docx").exit_code == 0
    assert full_text(Path("repaired.docx")) == full_text(Path("original.docx"))
    assert "总收入167008万元" in full_text(Path("repaired.docx"))  # the split tag, 哈密 企业养老 income


def test_fix_writes_a_clean_copy(tmp_path, cli):
    edited = edit_document(DEFAULT, tmp_path / "repairable.docx", SPLIT, CURLY, FULL_WIDTH)
    result = cli("template", "check", edited, "--fix", "fixed.docx")
    assert result.exit_code == 0, result.stderr
    again = cli("template", "check", "fixed.docx")
    assert again.exit_code == 0 and "可自动修复" not in again.stdout
    assert "{{ c.income_sub.actual|cell }}" in full_text(Path("fixed.docx"))


def test_default_template_is_clean(cli):
    result = cli("template", "check", DEFAULT, "--data", HAMI)
    assert result.exit_code == 0, result.stderr
    assert "模板检查通过" in result.stdout and "可自动修复" not in result.stdout


@pytest.mark.parametrize("edit, message", [
    (replace("{%p if report.cover %}", "封面：{%p if report.cover %}"), "{%p …%} 必须单独成段"),
    (replace("{{ report.unit }}{{ report.year }}年社会保险基金收支分析表", "{%tr if x %}"),
     "只能写在表格的单元格里"),
    (replace("{{ f.title }}基金预算完成及运行情况分析", "{{ f.title }}基金预算完成及运行情况分析{% if f.in_totals %}"),
     "没有对应的 {% endif %}"),
    (replace("{{ c.income_sub.actual|cell }}", "{{ c.income_sub.actual|cel }}"), "没有名为“cel”的过滤器，是否应为“cell”？"),
    (replace("{{ report.unit }}", "{{ report.unti }}"), "模板引用了数据中没有的字段“report.unti”，是否应为“report.unit”？"),
    (replace("{{ report.unit }}", "{{ reprot.unit }}"), "未知变量“reprot”，是否应为“report”？"),
    (replace("p.compare(f.expense)", "p.compair(f.expense)"), "phrases.j2 中没有“compair”，是否应为“p.compare”？"),
    (replace("{{ report.year }}", "{{ report.year + }}"), "模板语法错误"),
    (replace("{{ f.title }}", "{{ f.title.name }}"), "“f.title”是文字，没有“name”这一项"),
    (replace("{%p endif %}", "{% endif %}"), "不配套"),
    (replace("{{ report.unit }}", "{{ report.unit "), "在本段内没有结束"),
])
def test_single_problems(tmp_path, edit, message):
    from sireport.word.lint import check_template

    result = check_template(edit_document(DEFAULT, tmp_path / "t.docx", edit))
    assert any(message in str(p) for p in result.errors), [str(p) for p in result.errors]
    assert all("段" in p.where or "格" in p.where for p in result.errors)


def test_template_variables_lists_dotted_paths():
    from sireport.word.context_types import known
    from sireport.word.lint import template_variables

    names = template_variables(DEFAULT)
    assert {"report.unit", "columns.income_sub.budget", "counted.title"} <= names  # funds: tested by the 管理情况 condition
    assert all(known(name) for name in names)
    assert not known("funds.income.actul")
    # provided for by the template: tested first ({%p if report.cover %}) or only walked by a for loop
    assert not {"report.cover", "report.cover.project_name", "text.plans", "funds", "evaluation"} & names


@pytest.mark.parametrize("old, new, in_table", [
    ("{{ c.income_sub.growth|pct }}", "{{ c.income_sub.growth|dec('x') }}", True),
    ("基金总支出{{ p.amount(f.expense.actual) }}", "基金总支出{{ f.expense.actual|dec('x') }}", False),
])
def test_runtime_errors_name_the_same_place_as_check(tmp_path, cli, old, new, in_table):
    """An error only rendering can find (a wrong filter argument) is placed like check places it."""
    edited = edit_document(DEFAULT, tmp_path / "t.docx", replace(old, new))
    assert cli("template", "check", edited).exit_code == 0
    result = cli("render", HAMI, "-t", edited, "-o", "r.docx")
    assert result.exit_code != 0 and not Path("r.docx").exists()
    fragment = new[new.index("{{"):]
    if in_table:
        t, r, c = table_cell(edited, fragment)
        assert f"正文第{t}个表格第{r}行第{c}格“{fragment}”：模板渲染出错" in result.stderr
    else:
        assert f"正文第{body_paragraph(edited, fragment)}段“{new}" in result.stderr


def test_header_tags_are_checked_and_placed(tmp_path):
    from docx import Document as New

    from sireport.word.lint import check_template

    document = New(str(DEFAULT))
    document.sections[0].header.paragraphs[0].text = "{{ report.unti }}社会保险基金"
    document.save(str(tmp_path / "h.docx"))
    errors = [str(p) for p in check_template(tmp_path / "h.docx").errors]
    assert errors == ["页眉第1段“{{ report.unti }}”：模板引用了数据中没有的字段“report.unti”，是否应为“report.unit”？"]


def test_tags_in_document_properties_are_refused(tmp_path):
    from docx import Document as New

    from sireport.word.lint import check_template

    document = New(str(DEFAULT))
    document.core_properties.title = "{{ cycler.__init__.__globals__ }}"
    document.save(str(tmp_path / "p.docx"))
    errors = [str(p) for p in check_template(tmp_path / "p.docx").errors]
    assert errors == ["文档属性（文件 → 信息 → 属性）“{{ cycler.__init__.__globals__ }}”：文档属性中不能写模板标签，请删去"]


def test_check_with_data_places_errors_in_control_paragraphs(cli):
    """A project table's data has no report.cover: the {%p if report.cover %} paragraph is named."""
    project = next(p for p in sorted(EXAMPLES.glob("*.yaml")) if p.read_text(encoding="utf-8").startswith("project:")
                   or "\nproject:" in p.read_text(encoding="utf-8"))
    result = cli("template", "check", DEFAULT, "--data", project)
    assert result.exit_code != 0
    at = body_paragraph(DEFAULT, "{%p if report.cover %}")
    assert f"正文第{at}段“{{%p if report.cover %}}”：模板引用了数据中没有的字段：“cover”" in result.stderr
    assert cli("template", "check", ROOT / "sireport" / "templates" / "project-table.docx", "--data", project).exit_code == 0


def test_check_lists_what_the_template_needs_but_the_data_lacks(cli):
    """哈密's file has no prefecture (it is a 市, not under a 州); the default title uses it."""
    with_template = cli("check", "--verbose", HAMI, "-t", "default")
    assert "（report.prefecture）：[template.missing] 模板使用了“上级地区前缀”，但数据中没有填写" in with_template.stdout
    assert "report.cover" not in with_template.stdout  # the template tests it first ({%p if report.cover %})
    assert "template.missing" not in cli("check", HAMI).stdout
