"""The fast render path gives the same document as docxtpl's own render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import EXAMPLES
from docxtext import blocks, full_text
from sireport.data.kind import is_project, load_data
from sireport.errors import TemplateError
from sireport.files import is_untouched
from sireport.run.render import PROJECT_TEMPLATE, prepare
from sireport.word.engine import Engine
from sireport.word.search import builtin_dir

SHIPPED = sorted(builtin_dir().glob("*.docx"))
ALL_EXAMPLES = sorted(EXAMPLES.rglob("*.yaml"))
REPORTS = [p for p in ALL_EXAMPLES if not is_project(load_data(p))]
PROJECTS = [p for p in ALL_EXAMPLES if is_project(load_data(p))]
EXAMPLE_FILES = [p for p in REPORTS if p.parent == EXAMPLES]
DEFAULT = builtin_dir() / "default.docx"
PROJECT_DOCX = builtin_dir() / f"{PROJECT_TEMPLATE}.docx"
REPORT_TEMPLATES = [t for t in SHIPPED if t != PROJECT_DOCX]


def context_of(path: Path) -> dict:
    """The render context of an example, as `sireport render` builds it."""
    return prepare(load_data(path), checked=False).context


def footers(path: Path) -> list[str]:
    document = Document(str(path))
    return [p.text for section in document.sections for p in section.footer.paragraphs]


def both_ways(engine: Engine, context: dict, tmp_path: Path) -> tuple[Path, Path]:
    fast, reference = tmp_path / "fast.docx", tmp_path / "reference.docx"
    fast.write_bytes(engine.render(context, stamped=True))
    reference.write_bytes(engine.render_reference(context))
    return fast, reference


CASES = [(t, p) for t in REPORT_TEMPLATES for p in REPORTS] + [(PROJECT_DOCX, p) for p in PROJECTS]


def test_every_shipped_template_and_example_is_covered():
    assert {t for t, _ in CASES} == set(SHIPPED) and {p for _, p in CASES} == set(ALL_EXAMPLES)


@pytest.mark.parametrize("template, example", CASES,
                         ids=[f"{t.stem}-{p.relative_to(EXAMPLES).with_suffix('')}" for t, p in CASES])
def test_fast_path_has_the_same_text_as_docxtpl(template, example, tmp_path):
    engine = Engine(template, [builtin_dir()])
    fast, reference = both_ways(engine, context_of(example), tmp_path)
    assert blocks(fast) == blocks(reference)
    assert footers(fast) == footers(reference)
    assert len(full_text(fast)) > 200


@pytest.mark.parametrize("template", REPORT_TEMPLATES, ids=lambda p: p.stem)
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_fast_path_keeps_docxtpl_table_layout(template, example, tmp_path):
    """Column grids and widths (docxtpl's fix_tables, then docx_tables) are the same too."""
    engine = Engine(template, [builtin_dir()])
    fast, reference = both_ways(engine, context_of(example), tmp_path)
    assert grids(fast) == grids(reference) and grids(fast)


def column_loop_table(document: Any) -> Any:
    """A 2-row table with one column per fund (a {%tc for%} loop), as a clerk would make it."""
    table = document.add_table(rows=2, cols=4)
    for row, texts in zip(table.rows, (["险种", "{%tc for c in columns %}", "{{ c.short }}", "{%tc endfor %}"],
                                       ["收入", "{%tc for c in columns %}", "{{ c.income_sub.actual|cell }}",
                                        "{%tc endfor %}"])):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    return table


def test_clerk_table_with_a_column_loop_and_no_caption_gets_docxtpls_grid(tmp_path):
    """A table whose columns come from {%tc%} (no sireport:fixed caption) is fixed as docxtpl
    fixes it; a table without Jinja columns is left exactly as the template has it."""
    document = Document()
    column_loop_table(document)
    document.add_table(rows=1, cols=3).rows[0].cells[0].text = "{{ report.unit }}"
    template = tmp_path / "clerk.docx"
    document.save(str(template))
    context = context_of(EXAMPLE_FILES[0])
    fast, reference = both_ways(Engine(template, [builtin_dir()]), context, tmp_path)
    assert grids(fast) == grids(reference)
    assert [len(grid) for grid in grids(fast)] == [1 + len(context["columns"]), 3]
    assert Document(str(fast)).tables[0].rows[0].cells[-1].text == context["columns"][-1].short


def test_captioned_table_with_a_table_inside_keeps_its_fixed_widths(tmp_path):
    """A sireport:fixed table holding another table goes through docxtpl's fix and then the
    fixed widths, as in docxtpl's own render (every grid column and cell width agrees)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    table = column_loop_table(document)
    table._tbl.tblPr.append(parse_xml(f'<w:tblCaption {nsdecls("w")} w:val="sireport:fixed=30"/>'))
    table.rows[1].cells[0].add_table(rows=1, cols=2).rows[0].cells[0].text = "内"
    template = tmp_path / "nested.docx"
    document.save(str(template))
    fast, reference = both_ways(Engine(template, [builtin_dir()]), context_of(EXAMPLE_FILES[0]), tmp_path)
    assert widths(fast) == widths(reference)
    assert widths(fast)[0][0] == str(int(30 * 1440 / 25.4))  # the fixed first column, in twips


def widths(path: Path) -> list:
    """Per table (nested ones too): its grid columns, then every cell's width."""
    body = Document(str(path)).element.body
    return [[col.get(qn("w:w")) for col in table.iter(qn("w:gridCol"))] +
            [tc_w.get(qn("w:w")) for tc_w in table.iter(qn("w:tcW"))] for table in body.iter(qn("w:tbl"))]


def grids(path: Path) -> list:
    document = Document(str(path))
    return [[col.get(qn("w:w")) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))] for table in document.tables]


def test_fast_path_report_is_stamped_against_hand_edits(tmp_path):
    engine = Engine(DEFAULT, [builtin_dir()])
    path = tmp_path / "r.docx"
    path.write_bytes(engine.render(context_of(EXAMPLE_FILES[0]), stamped=True))
    assert is_untouched(path)
    document = Document(str(path))
    document.add_paragraph("手工补充的一段")
    document.save(str(path))
    assert not is_untouched(path)


def test_one_compiled_template_renders_many_units_independently(tmp_path):
    engine = Engine(DEFAULT, [builtin_dir()])
    texts = []
    for example in EXAMPLE_FILES:
        path = tmp_path / f"{example.stem}.docx"
        path.write_bytes(engine.render(context_of(example)))
        texts.append(blocks(path))
    again = tmp_path / "again.docx"
    again.write_bytes(engine.render(context_of(EXAMPLE_FILES[0])))
    assert blocks(again) == texts[0]  # no state left over from the other units
    headings = [b for b in texts[0] if isinstance(b, str) and b.startswith(("一、", "二、", "三、", "四、"))]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、"]  # numbering restarts per report


def broken_template(tmp_path: Path, body: list[str], footer: str = "") -> Path:
    document = Document()
    for text in body:
        document.add_paragraph(text)
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    path = tmp_path / "broken.docx"
    document.save(str(path))
    return path


def test_fast_path_keeps_docxtpls_literal_braces_and_line_breaks(tmp_path):
    """``{_{`` prints ``{{``, and a tab or newline in rendered text becomes Word's tab or
    line break, exactly as in docxtpl's own render."""
    template = broken_template(tmp_path, ["字面 {_{ 与 }_}", "{{ report.unit ~ '\\n' ~ '第二行\\t末尾' }}"])
    engine = Engine(template, [builtin_dir()])
    fast, reference = both_ways(engine, context_of(EXAMPLE_FILES[0]), tmp_path)
    assert blocks(fast) == blocks(reference)
    assert "字面 {{ 与 }}" in full_text(fast)
    body = Document(str(fast)).element.body.xml
    assert "<w:br/>" in body and "<w:tab/>" in body


def test_fast_path_names_the_paragraph_of_an_unknown_field(tmp_path):
    template = broken_template(tmp_path, ["第一段", "第二段写了{{ report.nosuch }}字段"])
    engine = Engine(template, [builtin_dir()])
    context = context_of(EXAMPLE_FILES[0])
    with pytest.raises(TemplateError) as fast:
        engine.render(context)
    message = str(fast.value)
    assert "正文第2段“第二段写了" in message and "“nosuch”" in message
    with pytest.raises(TemplateError) as reference:
        engine.render_reference(context)
    assert str(reference.value) == message


def test_fast_path_names_the_footer_and_syntax_errors(tmp_path):
    template = broken_template(tmp_path, ["正文{{ report.unit }}"], footer="页脚{{ report.unit | nofilter }}")
    engine = Engine(template, [builtin_dir()])
    with pytest.raises(TemplateError) as error:
        engine.render(context_of(EXAMPLE_FILES[0]))
    assert "页脚" in str(error.value) and "nofilter" in str(error.value)
