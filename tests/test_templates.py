"""Template search path, list and export, the six-part variant, and LibreOffice opening both."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ARTIFACTS, EXAMPLES, ROOT, convert_to_pdf
from docxtext import full_text, paragraphs

EXAMPLE_FILES = [p for p in sorted(EXAMPLES.glob("*.yaml"))  # fund reports (project tables have their own template)
                 if not re.search(r"^project:", p.read_text(encoding="utf-8"), re.M)]
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def test_list_shows_both_builtin_templates(cli):
    result = cli("template", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("default\t内置模板") for line in lines)
    assert any(line.startswith("six-part\t内置模板") for line in lines)


def test_project_template_comes_before_the_builtin_one(cli):
    Path("templates").mkdir()
    shutil.copy(ROOT / "sireport" / "templates" / "six-part.docx", "templates/default.docx")
    lines = cli("template", "list").stdout.splitlines()
    assert lines[0].startswith("default\t项目 templates/ 目录")
    assert any(line.startswith("default\t内置模板") and line.endswith("（被前面的同名模板覆盖）") for line in lines)
    assert cli("render", EXAMPLES / "hami-2019.yaml", "-o", "r.docx").exit_code == 0
    assert "存在的问题和建议" in full_text(Path("r.docx"))  # the six-part copy won


def test_export_is_self_contained_and_editable(cli):
    result = cli("template", "export", "default", "mine")
    assert result.exit_code == 0, result.stderr
    assert Path("mine/default.docx").is_file() and Path("mine/phrases.j2").is_file()
    phrases = Path("mine/phrases.j2")
    phrases.write_text(phrases.read_text(encoding="utf-8").replace("完成年度预算的", "占年度预算的"), encoding="utf-8")
    assert cli("render", EXAMPLES / "hami-2019.yaml", "-t", "mine/default.docx", "-o", "r.docx").exit_code == 0
    text = full_text(Path("r.docx"))
    assert "占年度预算的99.39%" in text and "完成年度预算的" not in text


def test_export_does_not_overwrite(cli):
    assert cli("template", "export", "six-part", "a.docx").exit_code == 0
    again = cli("template", "export", "six-part", "a.docx")
    assert again.exit_code != 0 and "已存在" in again.stderr
    assert cli("template", "export", "six-part", "a.docx", "--force").exit_code == 0


def test_unknown_template_names_the_available_ones(cli):
    result = cli("template", "export", "seven-part", "x")
    assert result.exit_code != 0
    assert "找不到名为“seven-part”的模板" in result.stderr and "six-part" in result.stderr


@pytest.fixture(scope="module")
def six_part(tmp_path_factory):
    from sireport.run.render import render

    out = tmp_path_factory.mktemp("six")
    return {p.stem: render(p, out=out / f"{p.stem}.docx", template="six-part").path for p in EXAMPLE_FILES}


@pytest.mark.parametrize("example", [p.stem for p in EXAMPLE_FILES])
def test_six_part_structure(six_part, example):
    texts = paragraphs(six_part[example])
    parts = [t for t in texts if HEADING.match(t)]
    assert [p.split("、")[0] for p in parts] == ["一", "二", "三", "四", "五", "六"]
    assert parts[4] == "五、存在的问题和建议"
    first_part = texts.index(parts[0])
    title = next(i for i, t in enumerate(texts) if "社会保险基金支出绩效自评报告" in t.replace("\n", "") and "年度" in t)
    assert any(t.strip() for t in texts[title + 1:first_part]), "an opening paragraph comes before 一、"


def test_six_part_has_the_same_figures(six_part):
    text = full_text(six_part["hami-2019"])
    assert "总收入23.76亿元" in text
    assert "较上年增加1.19亿元，增长5.29%，完成年度预算的99.39%" in text


def test_numbering_stays_continuous_when_a_section_is_dropped(tmp_path):
    """docs/模板指南.md: drop a sub-section; the next one becomes （二）, not （三）."""
    from sireport.run.render import render
    from tools.template_source import build, expand_includes

    folder = ROOT / "sireport" / "templates" / "source"
    source = expand_includes((folder / "default.txt").read_text(encoding="utf-8"), folder)
    dropped = source.replace("h2: （{{ n.sub() }}）后续工作计划\n", "").replace(
        "{%p for para in text.plans|paras %}\np: {{ para }}\n{%p else %}\np: 无。\n{%p endfor %}\n", "")
    assert dropped != source
    (tmp_path / "dropped.txt").write_text(dropped, encoding="utf-8")
    build(tmp_path / "dropped.txt", tmp_path / "dropped.docx")
    shutil.copy(ROOT / "sireport" / "templates" / "phrases.j2", tmp_path / "phrases.j2")
    out = render(EXAMPLES / "hami-2019.yaml", out=tmp_path / "r.docx", template=str(tmp_path / "dropped.docx")).path
    texts = paragraphs(out)
    last_part = max(i for i, t in enumerate(texts) if HEADING.match(t))
    subs = [t[:3] for t in texts[last_part:] if t.startswith("（")]
    assert subs == ["（一）", "（二）"]


@pytest.mark.slow
@pytest.mark.parametrize("template", ["default", "six-part"])
def test_every_example_opens_in_libreoffice(tmp_path, template):
    """Each example rendered with each built-in template; page 1 kept as a PNG for a person to look at."""
    from sireport.run.render import render

    ARTIFACTS.mkdir(exist_ok=True)
    for example in EXAMPLE_FILES:
        docx = render(example, out=tmp_path / f"{example.stem}-{template}.docx", template=template).path
        pdf = convert_to_pdf(docx, tmp_path)
        text = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "社会保险基金" in text
        prefix = ARTIFACTS / f"{example.stem}-{template}-page1"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
                       check=True, capture_output=True, timeout=60)
        assert prefix.with_suffix(".png").stat().st_size > 5000
