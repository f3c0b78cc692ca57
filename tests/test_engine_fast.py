"""The fast render path gives the same document as docxtpl's own render."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLES
from docxtext import blocks
from sireport.engine import Engine
from sireport.errors import TemplateError
from sireport.figures import compute
from sireport.loader import load_report
from sireport.output import is_untouched
from sireport.render import build_context
from sireport.template_search import builtin_dir

SHIPPED = sorted(builtin_dir().glob("*.docx"))
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def context_of(path: Path) -> dict:
    loaded = load_report(path)
    return build_context(loaded.report, compute(loaded.report))


def footers(path: Path) -> list[str]:
    document = Document(str(path))
    return [p.text for section in document.sections for p in section.footer.paragraphs]


def both_ways(engine: Engine, context: dict, tmp_path: Path) -> tuple[Path, Path]:
    fast, reference = tmp_path / "fast.docx", tmp_path / "reference.docx"
    fast.write_bytes(engine.render(context, stamped=True))
    reference.write_bytes(engine.render_reference(context))
    return fast, reference


@pytest.mark.parametrize("template", SHIPPED, ids=lambda p: p.name)
@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_fast_path_has_the_same_text_as_docxtpl(template, example, tmp_path):
    engine = Engine(template, [builtin_dir()])
    fast, reference = both_ways(engine, context_of(example), tmp_path)
    assert blocks(fast) == blocks(reference)
    assert footers(fast) == footers(reference)
    unit = load_report(example).report.report.unit
    assert any(unit in block for block in blocks(fast) if isinstance(block, str))


def test_fast_path_report_is_stamped_against_hand_edits(tmp_path):
    engine = Engine(SHIPPED[0], [builtin_dir()])
    path = tmp_path / "r.docx"
    path.write_bytes(engine.render(context_of(EXAMPLE_FILES[0]), stamped=True))
    assert is_untouched(path)
    document = Document(str(path))
    document.add_paragraph("手工补充的一段")
    document.save(str(path))
    assert not is_untouched(path)


def test_one_compiled_template_renders_many_units_independently(tmp_path):
    engine = Engine(SHIPPED[0], [builtin_dir()])
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


def test_fast_path_names_the_paragraph_of_an_unknown_field(tmp_path):
    template = broken_template(tmp_path, ["第一段", "第二段写了{{ report.nosuch }}字段"])
    engine = Engine(template, [builtin_dir()])
    context = context_of(EXAMPLE_FILES[0])
    with pytest.raises(TemplateError) as fast:
        engine.render(context)
    message = str(fast.value)
    assert "正文，第 2 段" in message and "第二段写了" in message and "“nosuch”" in message
    with pytest.raises(TemplateError) as reference:
        engine.render_reference(context)
    assert str(reference.value) == message


def test_fast_path_names_the_footer_and_syntax_errors(tmp_path):
    template = broken_template(tmp_path, ["正文{{ report.unit }}"], footer="页脚{{ report.unit | nofilter }}")
    engine = Engine(template, [builtin_dir()])
    with pytest.raises(TemplateError) as error:
        engine.render(context_of(EXAMPLE_FILES[0]))
    assert "页脚" in str(error.value) and "nofilter" in str(error.value)
