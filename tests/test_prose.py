"""The prose linter (sireport.prose): each rule finds its fault, located by paragraph, in Chinese;
the shipped examples rendered with the built-in templates read clean."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

import pytest

import sireport.prose as prose
from conftest import EXAMPLES
from sireport.prose import CODES, _touched, lint_docx, lint_text
from sireport.prose.rules import GATES, PARAGRAPH_RULES, SEPARATOR, WrittenTwice

FAULT_CASES = [
    ("保费收入5454万元，较上年减少132万元，下降-2.36%。", "prose.signed"),
    ("基金总支出—万元，完成年度预算的95%。", "prose.empty_figure"),
    ("其中：保费收入万元。", "prose.empty_figure"),
    ("基金当期结余3526万元，，滚存结余122431万元。", "prose.punctuation"),
    ("基金当期结余3526万元，。", "prose.punctuation"),
    ("基金当期结余3526万元,滚存结余122431万元。", "prose.latin"),
    ("滚存结余None万元。", "prose.literal"),
    ("可支付{{ f.months.value }}个月。", "prose.literal"),
    ("绩效目标为执行目标95%以上。", "prose.repeated_word"),
    ("基金总支出10772万元，完成年度预算的95.88%。支出预算执行率95.88%，达到95%以上的目标。", "prose.repeated_figure"),
    ("支出预算执行率89.02%，达到95%以上的目标。", "prose.contradiction"),
    ("支出预算执行率96%，未达到95%以上的目标。", "prose.contradiction"),
    ("较上年增加132万元，下降2.36%。", "prose.contradiction"),
    ("较上年减少132万元，增长2.36%。", "prose.contradiction"),
    ("可支付0.00个月，基金支撑能力处于合理区间。", "prose.contradiction"),
    ("可支付-1.50个月，基金结余偏多。", "prose.contradiction"),
    ("可支付+0个月，基金结余过多。", "prose.contradiction"),
    ("可支付0,000个月，基金支撑能力处于合理区间。", "prose.contradiction"),
    ("基金当期结余1168万元，当期收不抵支。", "prose.contradiction"),
]


@pytest.mark.parametrize("text, code", FAULT_CASES)
def test_each_rule_finds_its_fault(text, code):
    findings = lint_text(["2019年，哈密市各项社会保险基金运行平稳。", text])
    assert [f.code for f in findings] == [code]
    assert findings[0].where == "段落 2" and findings[0].severity == "warning"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in findings[0].message)


CLEAN = [
    "基金总支出10772万元，较上年增加778万元，增长7.78%，完成年度预算的95.88%，其中：待遇支出6233万元。",
    "下级上解收入17102万元，上级补助收入27618万元；上解上级支出17102万元。",  # two items that happen to be equal
    "放宽技能提升补贴申领条件，继续实施技能提升补贴和稳岗补贴政策。",  # parallel words
    "基金总支出2255万元，完成年度预算的101%，其中：待遇支出1379万元，完成年度预算的101%。",  # whole percents
    "支出预算执行率89%，未达到95%以上的目标。",
    "较上年减少132万元，下降2.36%；较上年增加5万元，增长1.20%。",
    "可支付0.01个月，基金支撑能力较弱，存在支付风险；可支付10.00个月，基金支撑能力处于合理区间。",
    "失业保险基金：待遇发放时间目标为每月18日前，实际为每月25日前。【未完成原因待填写】",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_sentences_are_not_flagged(text):
    assert lint_text([text]) == []


def test_every_code_is_documented():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "检查规则.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in doc for code in CODES)


def test_empty_heading_is_found_by_paragraph(cli, tmp_path):
    source = tmp_path / "t.txt"
    source.write_text("h1: 一、总体情况\nh2: （一）基金收支\np: 正文。\nh2: （二）空的一节\nh1: 二、其他\np: 无。\n",
                      encoding="utf-8")
    from tools.template_source import build

    build(source, tmp_path / "t.docx")
    findings = lint_docx(tmp_path / "t.docx")
    assert [(f.code, f.where) for f in findings] == [("prose.empty_heading", "段落 4")]


@pytest.mark.parametrize("name", ["hami-2019", "hejing-2019"])
@pytest.mark.parametrize("template", ["default", "six-part"])
def test_examples_read_clean_and_render_prints_what_the_linter_finds(cli, name, template):
    result = cli("render", EXAMPLES / f"{name}.yaml", "-t", template, "-o", "r.docx")
    assert result.exit_code == 0, result.stderr
    assert lint_docx(Path("r.docx")) == []
    assert "段落" not in result.stderr.replace("段落 N", "")


def test_render_warns_about_a_clerks_template(cli, tmp_path):
    assert cli("template", "export", "default", "mine").exit_code == 0
    phrases = Path("mine/phrases.j2")
    phrases.write_text(phrases.read_text(encoding="utf-8").replace("，完成年度预算的", "，，完成年度预算的"),
                       encoding="utf-8")
    result = cli("render", EXAMPLES / "hami-2019.yaml", "-t", "mine/default.docx", "-o", "r.docx")
    assert result.exit_code == 0
    assert "段落 61：标点重复或为空：“，，”" in result.stderr


NEIGHBOURS = ["", "基金", "95.88", "None", "x", "，", "增长", "万元", "（", "\n", "\t"]
FAULTS = [text for text, _ in FAULT_CASES]


@pytest.mark.parametrize("rule", list(GATES), ids=lambda rule: rule.__name__)
def test_a_gate_finds_a_text_among_others_as_it_finds_it_alone(rule):
    """The linter runs a rule only on the texts its gate matches in, found in all the texts joined
    (sireport.prose._touched): a fault at a text's very start or end is still read."""
    gate = GATES[rule]
    for text in FAULTS + [f[:cut] for f in FAULTS for cut in (2, 5, -2)] + [f[cut:] for f in FAULTS for cut in (2, 5)]:
        if not gate.search(text):
            continue
        for before in NEIGHBOURS:
            for after in NEIGHBOURS:
                texts = [before, text, after]
                starts = list(accumulate((len(t) + 1 for t in texts), initial=0))
                assert 1 in _touched(gate, SEPARATOR.join(texts), starts), (text, before, after)


def _skeleton(text: str) -> str:
    return re.sub("[1-9]", "0", text)


@pytest.mark.parametrize("rule", [rule for rule, gate in GATES.items() if isinstance(gate, re.Pattern)],
                         ids=lambda rule: rule.__name__)
def test_a_gate_matches_a_text_as_it_matches_its_skeleton(rule):
    """The linter keeps which gates match in a text by the text's digits written as 0 (_GATED)."""
    gate = GATES[rule]
    rng = random.Random(rule.__name__)
    texts = FAULTS + CLEAN + ["可支付1.25个月，基金支撑能力处于合理区间。", "增长-0", "1,234.5%", "9.9%", "目标12目标"]
    for text in texts + [re.sub(r"\d", lambda _: rng.choice("0123456789"), t) for t in texts * 5]:
        assert bool(gate.search(text)) == bool(gate.search(_skeleton(text))), text


@pytest.mark.parametrize("first, then, code", [
    ("支出预算执行率96%，达到95%以上的目标。", "支出预算执行率89%，达到95%以上的目标。", "prose.contradiction"),
    ("可支付1.00个月，基金支撑能力处于合理区间。", "可支付0.00个月，基金支撑能力处于合理区间。", "prose.contradiction"),
    ("完成年度预算的95.88%，执行率95.87%。", "完成年度预算的95.88%，执行率95.88%。", "prose.repeated_figure"),
    ("增长12.5%。", "增长-2.5%。", None),  # another skeleton (the sign): read afresh
])
def test_a_text_of_a_skeleton_met_before_is_read_for_its_own_figures(monkeypatch, first, then, code):
    monkeypatch.setattr(prose, "_GATED", {})
    assert lint_text([first]) == []
    assert [f.code for f in lint_text([then])] == [code or "prose.signed"]
    assert _skeleton(first) in prose._GATED[PARAGRAPH_RULES] or code is None


def test_a_text_read_before_is_not_read_again_and_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(prose, "_KNOWN", {})
    monkeypatch.setattr(prose, "_GATED", {})
    monkeypatch.setattr(prose, "_KNOWN_MAX", 6)
    paragraphs = ["2019年，哈密市各项社会保险基金运行平稳。", *FAULTS]
    first = lint_text(paragraphs)
    assert [f.code for f in first] == [code for _, code in FAULT_CASES]
    calls = []
    monkeypatch.setattr(prose, "_read", lambda texts, rules: calls.append(texts) or [()] * len(texts))
    assert lint_text(paragraphs[-3:]) == [replace(f, where=f"段落 {n}") for n, f in enumerate(first[-3:], 1)]
    assert calls == [[], []]  # every text known already (none of the cells: there are none)
    assert all(len(known) <= 6 + len(paragraphs) for known in prose._KNOWN.values())
    lint_text([f"第{n}段。" for n in range(40)])
    assert all(len(known) <= 6 + 40 for known in prose._KNOWN.values())
    lint_text([f"第{'一' * n}段。" for n in range(40)])  # 40 skeletons not met before
    assert all(0 < len(gated) <= 6 + 40 for gated in prose._GATED.values())


def test_a_full_memory_keeps_the_texts_of_the_report_read_last(monkeypatch):
    """The read texts are forgotten when there are too many, but not the last report's: a batch's
    fixed texts (headings, fixed sentences) are never read again, its data texts are not kept."""
    monkeypatch.setattr(prose, "_KNOWN", {})
    monkeypatch.setattr(prose, "_GATED", {})
    monkeypatch.setattr(prose, "_KNOWN_MAX", 10)
    fixed = ["一、总体情况", "各项社会保险基金运行平稳。"]
    for unit in range(6):  # 8 texts a report, 6 of them its own: the memory is full every other report
        lint_text(fixed + [f"第{unit}县第{n}段数据。" for n in range(6)])
    read = []
    real = prose._read
    monkeypatch.setattr(prose, "_read", lambda texts, rules: read.extend(texts) or real(texts, rules))
    lint_text([*fixed, "新的一段。"])
    assert read == ["新的一段。"]
    assert all(len(known) <= 10 + 8 for known in [*prose._KNOWN.values(), *prose._GATED.values()])


def test_no_gate_reads_across_the_texts_it_is_run_over():
    """The gates run over a document's texts joined by SEPARATOR: a match that ran across one
    would read on through every later text (an unclosed {{, a 较上年增加 without a comma in
    data text: quadratic in the number of such texts)."""
    whole = SEPARATOR.join(["数据写着{{ 未闭合", "后面的段落}}", "较上年增加一些", "，增长5%", "{% 另一个", "%}结束",
                            "None", "个月"])
    for rule, gate in GATES.items():
        if isinstance(gate, WrittenTwice):  # read text by text: a run in two texts is not written twice
            assert gate.touched(["95.88%", "执行率95.88%", "2019年，2019年"]) == {2}
            continue
        spans = [match.group(0) for match in gate.finditer(whole) if SEPARATOR in match.group(0)]
        assert spans == [], (rule.__name__, spans)


def test_a_long_text_is_read_but_not_kept():
    """The texts read are kept for the next report (bounded in number), but not a long one: a
    batch of long data texts would keep them all."""
    long, short = "很长的说明，" * 400, "固定的一句话。"
    lint_text([long, short])
    kept = {text for known in prose._KNOWN.values() for text in known}
    assert short in kept and long not in kept


def test_a_text_holding_the_separator_is_read_as_one_text():
    """lint_text takes any strings: one holding the SEPARATOR itself is still one text, and the
    texts after it keep their own findings (review: the skeletons were cut at every SEPARATOR)."""
    found = lint_text([f"a{SEPARATOR}b", "增长-1%"])
    assert [(finding.code, finding.where) for finding in found] == [("prose.signed", "段落 2")]
