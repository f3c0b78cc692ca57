"""template check covers the sentence macros (phrases.j2) a render uses, and every Jinja
syntax error a person editing the wording meets is said in Chinese with its place."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from conftest import EXAMPLES, ROOT
from sireport.word.lint import BLOCKS
from wordlike import edit_document, replace, split_runs

DEFAULT = ROOT / "sireport" / "templates" / "default.docx"
HAMI = EXAMPLES / "hami-2019.yaml"
ENGLISH_WORD = re.compile(r"\b(?!Word|endfor|endif|endmacro|else|elif|for|if|in|macro|set|phrases|raw|endraw)[A-Za-z]{4,}\b")


def english_outside_tags(text: str) -> list[str]:
    """English words left once paths, tags and macro signatures are taken out."""
    text = re.sub(r"\S*\.(j2|docx|yaml)\b(:\d+)?", "", text)
    text = re.sub(r"\{[{%#].*?[}%#]\}|“[^”]*”|（phrases\.j2 中的定义：[^）]*）", "", text)
    return ENGLISH_WORD.findall(text)


@pytest.fixture
def exported(cli, tmp_path, monkeypatch):
    """``template export default 我的模板`` and a function editing its phrases.j2."""
    monkeypatch.chdir(tmp_path)
    assert cli("template", "export", "default", "我的模板").exit_code == 0
    phrases = Path("我的模板") / "phrases.j2"
    lines = phrases.read_text(encoding="utf-8").splitlines()

    def edit(old: str, new: str) -> int:
        """Replace ``old`` on its first line; return that line's number."""
        number = next(i for i, line in enumerate(lines, 1) if old in line)
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
        phrases.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return number

    return edit


def test_a_syntax_error_in_phrases_fails_the_check_in_chinese_at_its_line(exported, cli):
    line = exported("{%- endmacro %}", "{%- endmacr %}")
    result = cli("template", "check", Path("我的模板") / "default.docx")
    assert result.exit_code != 0
    said = f"我的模板/phrases.j2:{line}：句式宏文件语法错误：“{{% endmacr %}}”与前面未结束的 macro 宏不配套（此处应为 {{% endmacro %}}）"
    assert said in result.stderr
    assert english_outside_tags(result.stderr) == []
    rendered = cli("render", HAMI, "-t", Path("我的模板") / "default.docx", "-o", "r.docx")
    assert rendered.exit_code != 0 and said in rendered.stderr and not Path("r.docx").exists()
    assert "Encountered" not in rendered.stderr and "Jinja" not in rendered.stderr


def test_phrases_linked_out_of_the_template_folder_is_refused_in_chinese(exported, cli, tmp_path):
    """A phrases.j2 that is a symbolic link to a file elsewhere is refused by the check and
    by the render with a message, never a traceback."""
    outside = tmp_path / "别处.j2"
    phrases = Path("我的模板") / "phrases.j2"
    outside.write_text(phrases.read_text(encoding="utf-8"), encoding="utf-8")
    phrases.unlink()
    phrases.symlink_to(outside)
    checked = cli("template", "check", Path("我的模板") / "default.docx")
    rendered = cli("render", HAMI, "-t", Path("我的模板") / "default.docx", "-o", "r.docx")
    for result in (checked, rendered):
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code != 0 and "phrases.j2：" in result.stderr, result.stderr
        assert "指向模板目录之外" in result.stderr and "Traceback" not in result.stderr
    assert not Path("r.docx").exists()


def test_the_built_in_phrases_are_not_those_checked_for_an_exported_template(exported, cli):
    """The check reads the phrases.j2 beside the template, the one its render uses."""
    number = exported("value|money(", "value|mony(")
    assert cli("template", "check", DEFAULT).exit_code == 0
    result = cli("template", "check", Path("我的模板") / "default.docx")
    assert f"我的模板/phrases.j2:{number}：没有名为“mony”的过滤器，是否应为“money”？" in result.stderr


@pytest.mark.parametrize(("old", "new", "said"), [
    ("line.execution|pct", "lien.execution|pct", "未知变量“lien”，是否应为“line”？"),
    ("report.budget_in_execution", "report.budget_in_exec",
     "模板引用了数据中没有的字段“report.budget_in_exec”，是否应为“report.budget_in_execution”？"),
    ("compare(line, big, budget=false)", "compare(line, big, budgte=false)",
     "“compare”没有名为“budgte”的参数，是否应为“budget”？（phrases.j2 中的定义：compare(line, big, previous, budget)）"),
    ("compare(line, big, budget=false)", "compare(line, big, true, false, 1)",
     "“compare”最多接受 4 个参数，这里给了 5 个"),
    ("line.growth is not none", "line.growth is not nothing", "没有名为“nothing”的判断"),
])
def test_mistakes_inside_phrases_are_placed_at_their_line(exported, cli, old, new, said):
    line = exported(old, new)
    result = cli("template", "check", Path("我的模板") / "default.docx")
    assert result.exit_code != 0
    assert f"我的模板/phrases.j2:{line}：{said}" in result.stderr


def test_macros_the_template_calls_must_exist_and_fit_their_parameters(exported, cli):
    exported("macro plan(f)", "macro plan(f, year)")
    exported("macro amount(value, big=false)", "macro amount(value, big=false, unit=none)")
    template = edit_document(Path("我的模板") / "default.docx", Path("我的模板") / "t.docx",
                             replace("p.compare(f.expense)", "p.compare(f.expense, big=true, scale=2)"))
    result = cli("template", "check", template)
    assert result.exit_code != 0
    assert re.search(r"正文第\d+段“[^”]*p\.compare\(f\.expense, big=true, scale=2\)[^”]*”：“p\.compare”没有名为“scale”的参数", result.stderr)
    assert re.search(r"正文第\d+段“[^”]*p\.plan\(f\)[^”]*”：“p\.plan”缺少参数“year”（phrases\.j2 中的定义：plan\(f, year\)）",
                     result.stderr)
    assert "unit" not in result.stderr  # a parameter with a default may be left out


@pytest.mark.parametrize(("old", "new", "said"), [
    ("{%p endfor %}", "{%p endfo %}", "不认识的标签“{%p endfo %}”，是否应为“{%p endfor %}”？"),
    ("{%p endfor %}", "{%p end for %}", "不认识的标签“{%p end for %}”，是否应为“{%p endfor %}”？"),
    ("{%p for para in text.opening|paras %}", "{%p fro para in text.opening|paras %}",
     "不认识的标签“{%p fro para in text.opening|paras %}”，是否应为“{%p for para in text.opening|paras %}”？"),
    ("{%p endfor %}", "{%p endif %}", "多余的“{%p endif %}”：前面没有与它配对的“{% if … %}”（前面最近一个未结束的是正文第"),
])
def test_a_broken_closing_tag_is_shown_whole_and_named(tmp_path, old, new, said):
    from sireport.word.lint import check_template

    errors = [str(p) for p in check_template(edit_document(DEFAULT, tmp_path / "t.docx", replace(old, new))).errors]
    assert any(said in error for error in errors), errors
    named = [name for error in errors for name in re.findall(r"\{% ([a-z]*) … %\}", error)]
    assert set(named) <= BLOCKS, errors  # never the old garbled "{% fo … %}"
    if new != "{%p endif %}":
        assert len(errors) == 1, errors  # the misspelt tag stands for the right one: its block is not reported again


def test_an_unfinished_tag_is_quoted_without_cutting_a_word(tmp_path):
    from sireport.word.lint import check_template

    template = edit_document(DEFAULT, tmp_path / "t.docx", replace("{{ report.year }}", "{{ report.year }"))
    errors = [str(p) for p in check_template(template).errors]
    assert any("：标签“{{ report.year }年度）”在本段内没有结束" in error for error in errors), errors


def test_excerpts_keep_tags_and_words_whole():
    from sireport.word.template_xml import shorten

    text = "{{ report.year }} {{ report.unit }} {{ p.amount(totals.income.actual, big=true) }}尾"
    assert shorten(text) == "{{ report.year }} {{ report.unit }}…"
    assert shorten("收入合计{{ p.amount(totals.income.actual) }}，较上年增长") == "收入合计{{ p.amount(totals.income.actual) }}…"
    assert shorten("说明文字" * 7 + " SocialInsurance") == "说明文字" * 7 + "…"
    assert shorten("短句") == "短句"


def _two_runs(xml: str, tag: str, head: str, properties: str) -> str:
    match = re.search(r"<w:r>(<w:rPr>.*?</w:rPr>)?<w:t[^>]*>([^<]*)" + re.escape(tag) + r"([^<]*)</w:t></w:r>", xml)
    rpr = match.group(1) or "<w:rPr></w:rPr>"
    second = rpr.replace("</w:rPr>", properties + "</w:rPr>")
    runs = (f'<w:r>{rpr}<w:t xml:space="preserve">{match.group(2)}{head}</w:t></w:r>'
            f'<w:r>{second}<w:t xml:space="preserve">{tag[len(head):]}{match.group(3)}</w:t></w:r>')
    return xml[:match.start()] + runs + xml[match.end():]


def test_formatting_lost_when_a_split_tag_is_merged_is_said(cli, tmp_path):
    tag = "{{ p.amount(f.income.actual) }}"
    template = edit_document(DEFAULT, tmp_path / "bold.docx",
                             lambda xml: _two_runs(xml, tag, "{{ p.amount(f.inc", '<w:b/><w:color w:val="FF0000"/>'))
    result = cli("template", "check", template)
    assert result.exit_code == 0, result.stderr
    assert re.search(r"可自动修复：正文第\d+段“\{\{ p\.amount\(f\.income\.actual\) \}\}”：标签被 Word 拆成了 2 段文字"
                     r"（中间夹有文字格式），已合并，即“\{\{ p\.amount\(f\.income\.actual\) \}\}”；"
                     r"合并后整个标签用开头一段文字的格式：“ome\.actual\) \}\}”的格式（加粗、颜色 FF0000）将丢失", result.stdout)
    rendered = cli("render", HAMI, "-t", template, "-o", tmp_path / "r.docx")
    assert rendered.exit_code == 0 and "（加粗、颜色 FF0000）将丢失" in rendered.stderr


def test_formatting_of_the_first_part_spreading_over_the_tag_is_said(tmp_path):
    from sireport.word.lint import check_template

    tag = "{{ p.amount(f.income.actual) }}"

    def bold_head(xml: str) -> str:
        xml = _two_runs(xml, tag, "{{ p.amount(f.inc", "")
        start = xml.index("{{ p.amount(f.inc<")
        run = xml.rindex("<w:r>", 0, start)
        return xml[:run] + xml[run:start].replace("</w:rPr>", "<w:b/></w:rPr>", 1) + xml[start:]

    repairs = [str(p) for p in check_template(edit_document(DEFAULT, tmp_path / "t.docx", bold_head)).repairs]
    assert any("整个标签（及生成的文字）都将是开头“{{ p.amount(f.inc”的格式（加粗）" in r for r in repairs), repairs


def test_same_looking_pieces_lose_nothing(tmp_path):
    """Word's split with proofing marks only (the pieces look the same): nothing to say."""
    from sireport.word.lint import check_template

    split = split_runs("{{ p.amount(f.income.actual) }}", "{{ p.amount(f.inc", "ome.actual", ") }}")
    repairs = [str(p) for p in check_template(edit_document(DEFAULT, tmp_path / "t.docx", split)).repairs]
    assert repairs and not any("丢失" in r or "都将是" in r for r in repairs)


JINJA_MISTAKES = [
    ("{% for x in y %}a", "for 循环没有结束：模板到末尾还缺少 {% endfor %} 或 {% else %}"),
    ("{% if x %}a", "if 条件没有结束：模板到末尾还缺少 {% elif %} 或 {% else %} 或 {% endif %}"),
    ("{% fo x in y %}{% endfor %}", "不认识的标签“{% fo %}”"),
    ("a{% endfor %}", "多余的“{% endfor %}”：前面没有与它配对的开始标签"),
    ("{% for x in y %}{% endif %}", "“{% endif %}”与前面未结束的 for 循环不配套（此处应为 {% endfor %} 或 {% else %}）"),
    ("{{ x ", "标签没有结束（缺少“}}”）"),
    ("{% if x ", "标签没有结束（缺少“%}”）"),
    ("{{ x }", "“}”不成对：标签应以“}}”结束"),
    ("{{ f(x }}", "括号没有配对：此处应先写“)”闭合前面的“(”，却是“}”"),
    ("{{ f(x)) }}", "多余的“)”"),
    ("{{ 'abc }}", "引号“'”没有闭合"),
    ('{{ "abc }}', "引号“\"”没有闭合"),
    ("{{ x + }}", "“}}”之前的表达式不完整"),
    ("{{ x y }}", "只能写一个表达式"),
    ("{# abc", "注释“{#”没有结束（缺少 #}）"),
    ("{% for x y %}{% endfor %}", "此处应为“in”，却是“y”"),
]


@pytest.mark.parametrize(("source", "said"), JINJA_MISTAKES)
def test_common_jinja_mistakes_in_chinese(source, said):
    from sireport.word.jinja_messages import explain_syntax

    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        jinja2.Environment().from_string(source)
    chinese = explain_syntax(raised.value.message)
    assert said in chinese
    assert english_outside_tags(chinese) == []


def test_an_unknown_jinja_message_is_still_chinese():
    from sireport.word.jinja_messages import explain_syntax

    assert not re.search(r"[A-Za-z]", explain_syntax("some future Jinja wording"))


@pytest.mark.parametrize(("old", "new", "said"), [
    ("{{ report.year }}", "{{ report.year + }}", "模板语法错误：“}}”之前的表达式不完整"),
    ("{{ report.unit }}", "{{ report.unit ) }}", "模板语法错误：多余的“)”"),
    ("map(attribute='title')", "map(attribute='title)", "标签里有不能识别的字符“、”（是否用了全角符号，或前面的引号没有配对？）"),
])
def test_template_syntax_errors_in_render_and_batch_are_chinese_with_place(cli, tmp_path, old, new, said):
    template = edit_document(DEFAULT, tmp_path / "t.docx", replace(old, new))
    for command in (("render", HAMI, "-o", tmp_path / "r.docx"), ("batch", HAMI, "-o", tmp_path / "out", "-j", "1")):
        result = cli(*command, "-t", template)
        assert result.exit_code != 0
        output = result.stdout + result.stderr
        assert said in output and re.search(r"正文第\d+段“", output), output
        assert "unexpected" not in output and "expected" not in output
    assert not (tmp_path / "r.docx").exists()


def test_engine_syntax_errors_are_chinese_and_keep_the_original_for_verbose(tmp_path):
    """The engine's own message (a part ``template check`` never saw, e.g. when called directly)."""
    from sireport.errors import TemplateError
    from sireport.word.engine import Engine
    from sireport.word.search import builtin_dir

    template = edit_document(DEFAULT, tmp_path / "t.docx", replace("{{ report.year }}", "{{ report.year }"))
    with pytest.raises(TemplateError) as raised:
        Engine(template, [builtin_dir()]).compile()
    assert "模板语法错误：“}”不成对" in raised.value.text(verbose=False)
    assert "unexpected" not in raised.value.text(verbose=False)
    assert "unexpected '}'" in raised.value.text(verbose=True)


def test_errors_only_a_render_finds_are_chinese_too(cli, tmp_path):
    """A filter given text where it needs a number: said in Chinese; Python's words with --verbose only."""
    template = edit_document(DEFAULT, tmp_path / "t.docx",
                             replace("{{ c.income_sub.growth|pct }}", "{{ c.income_sub.growth|dec('x') }}"))
    plain = cli("render", HAMI, "-t", template, "-o", tmp_path / "r.docx")
    assert plain.exit_code != 0 and not (tmp_path / "r.docx").exists()
    assert "模板渲染出错：不能对这样的值做这种运算或比较（例如把文字当作数字，或过滤器的参数类型不对）" in plain.stderr
    assert "TypeError" not in plain.stderr
    assert "原始信息：TypeError" in cli("render", HAMI, "-t", template, "-o", tmp_path / "r.docx", "--verbose").stderr


def test_check_an_exported_folder_with_its_phrases(exported, cli):
    assert cli("template", "export", "six-part", "我的模板", "--force").exit_code == 0  # the same phrases.j2 for both
    clean = cli("template", "check", "我的模板")
    assert clean.exit_code == 0, clean.stderr
    for name in ("default", "six-part"):
        assert f"我的模板/{name}.docx：模板检查通过（句式宏文件：我的模板/phrases.j2）" in clean.stdout
    line = exported("value|money(", "value|mony(")
    broken = cli("template", "check", "我的模板")
    assert broken.exit_code == 2
    assert broken.stderr.count(f"我的模板/phrases.j2:{line}：没有名为“mony”的过滤器") == 2
    assert "我的模板：2 个模板中有 2 个有错误（见上）" in broken.stderr
