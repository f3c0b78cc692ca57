"""sireport audit: the references' known errors are found and located, nothing else is."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

import audit_units
from conftest import EXAMPLES
from reference_docx import build_all
from sireport.audit import annotate, audit_blocks, audit_document
from sireport.cli import main
from sireport.data.load import load_report
from sireport.run.render import make_engine, prepare
from sireport.word.text import read_docx

# Every finding on each reference, reviewed one by one: each is a real error of the document.
EXPECTED = {
    "hami-2019": {
        ("audit.unit", "段落 9"),  # 687万名死亡人员 beside 687名 (段落 43)
        ("audit.balance", "段落 27"),  # 失业 当期结余 1068, income − expense = 1168
        ("audit.growth", "段落 29"),  # 职工医保 降幅1.48%: 994 ÷ 67539 = 1.47%
        ("audit.growth", "段落 32"),  # 城乡居民医保 降幅9.62%: 2852 ÷ 29625 = 9.63%
        ("audit.heading", "段落 31"),  # the second 职工医疗保险（含生育） heading is over 城乡居民医保's figures
        ("audit.balance", "段落 33"),  # 城乡居民医保 当期结余 569, 26773 − 24624 = 2149
        ("audit.mismatch", "段落 52"),  # 基本医疗保险基金支出 65884 where 总支出 is 66545
        ("audit.growth", "段落 52"),  # 降幅1.48% again: 994 ÷ 66878 = 1.49%
        ("audit.balance", "段落 52"),  # 569 again
        ("audit.total", "表 1 行 2 列 7"),  # 预算收入合计 239010, the funds sum to 239551
        ("audit.mismatch", "表 1 行 10 列 7"),  # 99.17% in the table, 99.39% in the overview
        ("audit.execution", "表 1 行 10 列 7"),  # 237563 ÷ 239010 = 99.39%
    },
    "hejing-2019": {
        ("audit.mismatch", "表 1 行 9 列 7"),  # 养老 96%: the three pension funds together ≈ 106%
        ("audit.mismatch", "表 1 行 10 列 7"),  # 医疗 103%: the two medical funds together ≈ 101%
        ("audit.mismatch", "表 1 行 11 列 7"),  # 生育 110%, the narrative says 101%
        ("audit.mismatch", "表 1 行 12 列 7"),  # 工伤 100%, the narrative says 175%
        ("audit.copied", "段落 45"),  # 生育 opens with 失业's 2255 / 1379
    },
    "bureau-2019": {
        ("audit.growth", "段落 39"),  # 减少483.08万元，降低17%: 483.08 ÷ 2988.25 = 16%
        ("audit.share", "段落 42"),  # 2433.62 ÷ 2505.17 = 97.1%, stated 97.2%
        ("audit.growth", "段落 67"),  # 减少20.53万元，降低51%: 20.53 ÷ 40.94 = 50%
        ("audit.execution", "表 4 行 5 列 7"),  # 592.14 ÷ 637.5 = 92.88%, stated 92.80%
        ("audit.score", "表 4 行 5 列 8"),  # 92.88% × 10 = 9.29, stated 9.28
    },
    "region-2018": {
        ("audit.mismatch", "段落 31"),  # 失业保险待遇支出 1372 in 二, 138 a paragraph before
        ("audit.mismatch", "段落 44"),  # 机关事业 基金总支出 353457, 543175 in 二
        ("audit.mismatch", "段落 53"),  # 1372 again
    },
}


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("references"))


def found(path: Path) -> set[tuple[str, str]]:
    return {(f.code, f.where) for f in audit_document(path).findings}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reference_findings_are_exactly_the_known_errors(references, name):
    assert found(references[name]) == EXPECTED[name]


def test_hami_findings_quote_the_sentence_and_give_the_right_figure(references):
    findings = {(f.code, f.where): f for f in audit_document(references["hami-2019"]).findings}
    balance = findings[("audit.balance", "段落 27")]
    assert "【1068万元】" in balance.message and balance.expected == "1168万元" and balance.found == "1068万元"
    table = findings[("audit.execution", "表 1 行 10 列 7")]
    assert table.expected == "99.39%" and table.found == "99.17%"
    assert "段落 4" in findings[("audit.mismatch", "表 1 行 10 列 7")].message
    assert "【687万名】" in findings[("audit.unit", "段落 9")].message


def test_bureau_execution_rate_and_score(references):
    findings = {(f.code, f.where): f for f in audit_document(references["bureau-2019"]).findings}
    assert findings[("audit.execution", "表 4 行 5 列 7")].expected == "92.88%"
    assert findings[("audit.score", "表 4 行 5 列 8")].expected == "9.29"


def test_hejing_copied_block_names_the_original(references):
    findings = {(f.code, f.where): f for f in audit_document(references["hejing-2019"]).findings}
    copied = findings[("audit.copied", "段落 45")]
    assert copied.severity == "warning" and "段落 41" in copied.message
    assert ("audit.mismatch", "表 1 行 13 列 7") not in findings  # 失业 97% agrees with the narrative


def paragraph_doc(path: Path, *texts: str) -> Path:
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_unit_written_twice_and_a_correct_sentence(tmp_path):
    wrong = paragraph_doc(tmp_path / "a.docx", "（一）工伤保险基金", "基金当期结余-912万元，滚存结余6912亿元元。")
    assert found(wrong) == {("audit.unit_repeated", "段落 2")}
    right = paragraph_doc(tmp_path / "b.docx", "（一）工伤保险基金", "基金总收入9860万元，较上年减少688万元，下降6.52%。")
    assert found(right) == set()


def test_growth_at_printed_precision(tmp_path):
    # 688 ÷ (9860 + 688) = 6.5226…%; with both figures rounded to 万元 anything in 6.5178…6.5273% holds
    for stated, ok in (("6.52%", True), ("6.53%", True), ("6.5%", True), ("7%", True), ("6.55%", False),
                       ("6%", False), ("6.51%", False)):
        path = paragraph_doc(tmp_path / f"{stated}.docx", f"基金总收入9860万元，较上年减少688万元，下降{stated}。")
        assert (found(path) == set()) is ok, stated


def rendered(tmp_path: Path, index: int, engine) -> tuple[Path, object]:
    source = tmp_path / f"unit{index}.yaml"
    source.write_text(audit_units.dump(audit_units.unit(index)), encoding="utf-8")
    prepared = prepare(load_report(source))  # checks pass: the generated data is consistent
    target = tmp_path / f"unit{index}.docx"
    target.write_bytes(engine.render(prepared.context))
    return target, prepared.scored.figures


def test_2000_generated_reports_audit_clean(tmp_path):
    engine = make_engine(None)
    engine.compile()
    dirty = []
    for index in range(2000):
        path, figures = rendered(tmp_path, index, engine)
        blocks = read_docx(path)
        for against in (None, figures):
            findings = audit_blocks(blocks, against).findings
            if findings:
                dirty.append((index, against is not None, [str(f) for f in findings[:3]]))
        path.unlink()
    assert dirty == []


# A bureau's own wording (phrases.j2 edited as docs/模板指南.md describes): what changes, into what.
WORDINGS = {  # name: (replacements in phrases.j2, words the report then contains)
    "比上年": ([("，较上年", "，比上年")], "比上年"),
    "增幅、预算执行率": ([("'增长' if line.trend == 'up' else '下降'", "'增幅' if line.trend == 'up' else '降幅'"),
                   ("，完成年度预算的", "，预算执行率")], "预算执行率"),
    "多、少": ([("'增加' if line.trend == 'up' else '减少'", "'多' if line.trend == 'up' else '少'")], "较上年多"),
    "本年收支结余、年末累计结余": ([("基金当期结余", "本年收支结余"), ("滚存结余", "年末累计结余")], "年末累计结余"),
    "。其中，": ([("，其中：", "。其中，")], "。其中，"),
}


@pytest.mark.parametrize("wording", sorted(WORDINGS))
def test_reports_in_a_bureaus_own_wording_audit_clean(tmp_path, wording):
    assert CliRunner().invoke(main, ["template", "export", "default", str(tmp_path / "tpl")]).exit_code == 0
    phrases = tmp_path / "tpl" / "phrases.j2"
    text = phrases.read_text(encoding="utf-8")
    replacements, marker = WORDINGS[wording]
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    phrases.write_text(text, encoding="utf-8")
    engine = make_engine(str(tmp_path / "tpl" / "default.docx"))
    engine.compile()
    claims, worded = 0, 0
    for index in range(0, 60, 2):
        path, figures = rendered(tmp_path, index, engine)
        blocks = read_docx(path)
        worded += marker in "".join(block.text for block in blocks)
        for against in (None, figures):
            result = audit_blocks(blocks, against)
            assert result.findings == [], (index, [str(f) for f in result.findings])
            claims += result.claims
    assert worded >= 10 and claims > 3000  # the new wording is there, and the figures are still read


def test_a_changed_figure_is_found_against_the_data(tmp_path):
    engine = make_engine(None)
    engine.compile()
    path, figures = rendered(tmp_path, 0, engine)
    fund = figures.funds[0]
    fund.income.actual += 7  # the data now says something else than the report
    findings = audit_blocks(read_docx(path), figures).findings
    assert findings and {f.code for f in findings} == {"audit.data"}
    assert all(f.where.startswith("段落") for f in findings)


def test_annotated_copy_has_a_comment_on_each_finding(references, tmp_path):
    result = audit_document(references["hami-2019"])
    target = annotate(references["hami-2019"], tmp_path / "批注.docx", result.marks())
    comments = list(Document(str(target)).comments)
    assert len(comments) == len(result.findings)
    assert any("1168万元" in comment.text for comment in comments)
    assert audit_document(target).findings == result.findings  # the text itself is unchanged


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_libreoffice_opens_the_annotated_copy_with_its_comments(references, tmp_path):
    result = audit_document(references["bureau-2019"])
    target = annotate(references["bureau-2019"], tmp_path / "批注.docx", result.marks())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(target)],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "批注.odt") as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == len(result.findings)
    assert "9.29" in content and "92.88%" in content


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and poppler")
def test_pdf_prose_is_audited_too(references, tmp_path):
    engine = make_engine(None)
    engine.compile()
    generated, figures = rendered(tmp_path, 0, engine)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(generated), str(references["hami-2019"])],
                   check=True, capture_output=True, timeout=300)
    clean = audit_document(generated.with_suffix(".pdf"), figures=figures)
    assert clean.findings == [] and clean.claims > 100
    hami = {(f.code, f.message.split("：")[0]) for f in audit_document(tmp_path / "hami-2019.pdf").findings}
    assert ("audit.balance", "当期结余与基金收入10300 万元减基金支出9132 万元不符") in hami


def test_cli_text_json_exit_codes_and_annotate(references, tmp_path):
    runner = CliRunner()
    clean = paragraph_doc(tmp_path / "clean.docx", "基金总收入9860万元，较上年减少688万元，下降6.52%。")
    result = runner.invoke(main, ["audit", str(clean)])
    assert result.exit_code == 0 and "未发现问题" in result.output
    result = runner.invoke(main, ["audit", str(references["hami-2019"]), "--format", "json"])
    assert result.exit_code == 2
    document = json.loads(result.output)
    assert document["counts"]["error"] == 11
    assert {"code", "severity", "where", "message", "expected", "found", "label"} <= set(document["files"][0]["findings"][0])
    target = tmp_path / "批注.docx"
    result = runner.invoke(main, ["audit", str(references["hejing-2019"]), "--annotate", str(target)])
    assert result.exit_code == 2 and target.exists() and "5 条批注" in result.output
    result = runner.invoke(main, ["audit", str(references["hejing-2019"]), "--annotate", str(target)])
    assert result.exit_code == 2 and "已存在" in result.output  # never overwritten without --force
    result = runner.invoke(main, ["audit", str(clean), "a.yaml", "b.yaml"])
    assert result.exit_code == 2 and "只能给一个数据文件" in result.output


def test_cli_with_data_file(tmp_path):
    runner = CliRunner()
    report = tmp_path / "哈密.docx"
    assert runner.invoke(main, ["render", str(EXAMPLES / "hami-2019.yaml"), "-o", str(report)]).exit_code == 0
    result = runner.invoke(main, ["audit", str(report), str(EXAMPLES / "hami-2019.yaml"), "--verbose"])
    # the data's own 合计 (239010) is not the sum of its funds (239551): check warns, audit finds it in the table
    assert result.exit_code == 2 and "[audit.total]" in result.output and "[audit.data]" not in result.output


def test_not_a_word_file(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_text("not a zip")
    result = CliRunner().invoke(main, ["audit", str(bad)])
    assert result.exit_code == 2 and "不是可读取的 Word 文档" in result.output and "Traceback" not in result.output


def test_every_code_is_documented():
    from sireport.audit.rules import CODES

    text = (EXAMPLES.parent / "docs" / "审核.md").read_text(encoding="utf-8")
    assert {code for code in CODES if f"`{code}`" in text} == set(CODES)
