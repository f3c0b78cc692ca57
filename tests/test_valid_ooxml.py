"""Word and Excel open every output as it is: schema-valid .docx and .xlsx.

Each kind of file sireport writes is checked with openxml-audit (the Open XML SDK's schema
and semantic checks in pure Python) as ``openxml-audit -f microsoft365`` checks it: no
error, and the verdict for Word or Excel is "opens-clean" (not "repair-or-rewrite-likely",
the recover-the-contents prompt a clerk takes for a broken report). No finding is excused
as a validator false positive: there is none in these outputs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator, ValidationSeverity
from openxml_audit.verdict import AppPrediction, predict

from conftest import EXAMPLES, ROOT
from sireport import ooxml
from sireport.word.tables import CAPTION_PREFIX, TWIPS_PER_MM
from test_template_check import SPLIT
from wordlike import edit_document

VALIDATOR = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0)  # as -f microsoft365, unlimited
REPORTS = [p.stem for p in sorted(EXAMPLES.glob("*.yaml")) if not p.stem.startswith("bureau-")]
PROJECTS = [p.stem for p in sorted(EXAMPLES.glob("bureau-*.yaml"))]


def problems(path: Path) -> list[str]:
    """Every error the validator finds in ``path``, and its verdict unless the file opens cleanly."""
    result = VALIDATOR.validate(path)
    found = [f"{e.part_uri}: {e.description}" for e in result.errors if e.severity == ValidationSeverity.ERROR]
    verdict = predict(result)
    if verdict.prediction != AppPrediction.OPENS_CLEAN:
        found.append(f"{verdict.headline}: {'; '.join(verdict.basis)}")
    return found


def assert_valid(*paths: Path) -> None:
    for path in paths:
        assert path.is_file(), path
        assert problems(path) == [], path.name


def test_a_broken_file_is_caught(cli):
    """The check can fail: w:cantSplit w:val="true" and w:tblCellMar after w:tblLook, as before."""
    result = cli("render", EXAMPLES / "hami-2019.yaml", "-o", "r.docx")
    assert result.exit_code == 0, result.stdout + result.stderr
    broken = edit_document(Path("r.docx"), Path("broken.docx"),
                           lambda xml: xml.replace("<w:cantSplit/>", '<w:cantSplit w:val="true"/>'),
                           lambda xml: re.sub(r"(<w:tblCellMar>.*?</w:tblCellMar>)(<w:tblLook [^>]*/>)",
                                              r"\2\1", xml, count=1))
    found = problems(broken)
    assert any("Unexpected element 'tblCellMar'" in p for p in found)
    assert any("'true' is not in allowed values" in p for p in found)


@pytest.mark.parametrize("template", ["default", "six-part", "project-table"])
def test_builtin_template_opens_in_word_as_it_is(template):
    """Clerks open the templates in Word to edit them: no Jinja in an attribute Word checks
    (the 绩效自评表's vertical merges are {% vmerge %} cell tags, compiled by the engine)."""
    path = ROOT / "sireport" / "templates" / f"{template}.docx"
    assert_valid(path)


@pytest.mark.parametrize("template", ["default", "six-part"])
@pytest.mark.parametrize("example", REPORTS)
def test_report(cli, example, template):
    result = cli("render", EXAMPLES / f"{example}.yaml", "-t", template, "-o", "r.docx")
    assert result.exit_code == 0, result.stderr
    assert_valid(Path("r.docx"))


def test_appendix_workbook(cli):
    """The 附表 as Excel (render --xlsx, for data with an evaluation: section)."""
    result = cli("render", EXAMPLES / "hejing-2019.yaml", "-o", "r.docx", "--xlsx")
    assert result.exit_code == 0, result.stderr
    assert_valid(Path("r.xlsx"))


@pytest.mark.parametrize("example", PROJECTS)
def test_project_table_and_its_workbook(cli, example):
    result = cli("render", EXAMPLES / f"{example}.yaml", "-o", "p.docx", "--xlsx")
    assert result.exit_code == 0, result.stderr
    assert_valid(Path("p.docx"), Path("p.xlsx"))


def test_rollup_report(cli):
    counties = Path("counties")
    counties.mkdir()
    for name in ("hami-2019.yaml", "hejing-2019.yaml"):
        shutil.copy(EXAMPLES / name, counties / name)
    assert cli("rollup", counties, "-o", "region.yaml", "--unit", "某地区").exit_code == 0
    result = cli("render", "region.yaml", "-o", "region.docx")
    assert result.exit_code == 0, result.stderr
    assert_valid(Path("region.docx"))


def test_entry_workbooks(cli):
    """init --xlsx (all funds, and a few), init --from (next year) and convert write workbooks."""
    assert cli("init", "--xlsx", "blank.xlsx").exit_code == 0
    assert cli("init", "--xlsx", "two.xlsx", "--funds", "企业职工基本养老保险,失业保险").exit_code == 0
    assert cli("init", "--from", EXAMPLES / "hejing-2019.yaml", "-o", "next.xlsx").exit_code == 0
    assert cli("convert", EXAMPLES / "hami-2019.yaml", "hami.xlsx").exit_code == 0
    assert_valid(Path("blank.xlsx"), Path("two.xlsx"), Path("next.xlsx"), Path("hami.xlsx"))


@pytest.mark.slow  # batch writes the 问题清单 from a forked process
def test_batch_reports_summary_and_problem_list(cli):
    published = (EXAMPLES / "published" / "hami-2019.yaml").read_text(encoding="utf-8")
    Path("published.yaml").write_text(published.replace("unit: 哈密市", "unit: 哈密市原文", 1), encoding="utf-8")
    inputs = [EXAMPLES / f"{name}.yaml" for name in REPORTS] + [Path("published.yaml")]  # (a name of its own)
    result = cli("batch", *inputs, "-o", "out", "-j", "1")
    assert result.exit_code == 1  # the published 哈密 keeps its errors: a row in the 问题清单
    reports = sorted(Path("out").glob("*.docx"))
    assert len(reports) == len(REPORTS)
    assert_valid(*reports, Path("out/汇总表.xlsx"), Path("out/问题清单.xlsx"))


def clerks_edit(template: Path) -> None:
    """Edit an exported template as a clerk would in Word or WPS (here with python-docx): a new
    paragraph, and a new table of the funds with its first column fixed by its caption, whose
    cells carry no widths (as WPS writes them) and one a vertical alignment."""
    document = Document(str(template))
    document.add_paragraph("{{ report.unit }}各项基金支出情况见下表。")
    table = document.add_table(rows=4, cols=2)
    for row, texts in zip(table.rows, (["险种", "支出（万元）"], ["{%tr for f in funds %}", ""],
                                       ["{{ f.title }}", "{{ f.expense.actual|wan }}"], ["{%tr endfor %}", ""])):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    props = table._tbl.tblPr
    props.remove(props.find(qn("w:tblW")))
    props.find(qn("w:tblLook")).addnext(etree.fromstring(  # 表格属性 → 可选文字 → 标题
        f'<w:tblCaption xmlns:w="{ooxml.W}" w:val="{CAPTION_PREFIX}40"/>'))
    for width in table._tbl.iter(qn("w:tcW")):
        width.getparent().remove(width)
    table.rows[2].cells[1]._tc.tcPr.append(etree.fromstring(f'<w:vAlign xmlns:w="{ooxml.W}" w:val="center"/>'))
    document.save(str(template))


def test_a_clerks_edited_template_gives_valid_reports(cli):
    """Exported, edited, checked, rendered: the column widths the after-render fix adds to the
    clerk's table (w:tcW, w:tblW) land at their schema positions."""
    assert cli("template", "export", "default", "mine").exit_code == 0
    clerks_edit(Path("mine/default.docx"))
    check = cli("template", "check", "mine/default.docx")
    assert check.exit_code == 0, check.stdout + check.stderr
    result = cli("render", EXAMPLES / "hejing-2019.yaml", "-t", "mine/default.docx", "-o", "r.docx")
    assert result.exit_code == 0, result.stderr
    assert_valid(Path("r.docx"))
    table = Document("r.docx").tables[-1]
    assert [cell.text for cell in table.columns[0].cells][:2] == ["险种", "企业职工基本养老保险"]
    widths = [tc.tcPr.find(qn("w:tcW")) for tc in table._tbl.iter(qn("w:tc"))]
    assert all(w is not None and w.get(qn("w:type")) == "dxa" for w in widths)
    assert widths[0].get(qn("w:w")) == str(int(40 * TWIPS_PER_MM))
    assert table._tbl.tblPr.find(qn("w:tblW")) is not None


def test_a_template_word_left_split_gives_a_valid_fixed_copy_and_report(cli):
    """template check --fix and render both repair tags Word split over runs (proofErr, bookmarks
    between them): the fixed copy and the report are valid."""
    template = edit_document(ROOT / "sireport" / "templates" / "default.docx", Path("split.docx"), SPLIT)
    assert cli("template", "check", template, "--fix", "fixed.docx").exit_code == 0
    assert cli("render", EXAMPLES / "hami-2019.yaml", "-t", template, "-o", "r.docx").exit_code == 0
    assert_valid(Path("fixed.docx"), Path("r.docx"))


def test_the_indicator_table_merges_its_group_cells(cli):
    """{% vmerge %} gives each 一级/二级 cell of the 绩效自评表 its restart/continue merge."""
    assert cli("render", EXAMPLES / "hejing-2019.yaml", "-o", "r.docx").exit_code == 0
    table = Document("r.docx").tables[-1]._tbl
    merges = [tc.tcPr.find(qn("w:vMerge")).get(qn("w:val")) for tc in table.iter(qn("w:tc"))
              if tc.tcPr is not None and tc.tcPr.find(qn("w:vMerge")) is not None]
    assert merges.count("restart") >= 2 and merges.count("continue") >= 2
    assert "vmerge" not in etree.tostring(table, encoding="unicode")
