"""PDF output: render --pdf, batch --pdf, the converter pool (restart, hang, kill), fonts.

The tests that start LibreOffice are marked slow; .ci/run installs LibreOffice,
python3-uno and the stand-in fonts, so they run in CI.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES
from sireport.pdf.fonts import embedded_fonts, template_faces
from sireport.pdf.pool import ConverterPool
from sireport.run.batch import describe, run_batch
from sireport.word.search import builtin_template_paths

HAMI = EXAMPLES / "hami-2019.yaml"
# the stand-ins of sireport/pdf/fonts.conf, as PostScript names in the PDF
STAND_INS = {"FandolFang-Regular", "GBZenKai-Medium", "LiberationSerif"}


def _report(cli, tmp_path: Path, name: str = "report.docx", data: Path = HAMI) -> Path:
    result = cli("render", data, "-o", tmp_path / name)
    assert result.exit_code == 0, result.stderr
    return tmp_path / name


def _pdffonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) of each font line of poppler's pdffonts."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [(line.split()[0], line.split()[-5]) for line in lines[2:]]


@pytest.mark.slow
def test_render_pdf_embeds_the_stand_in_fonts(cli, tmp_path):
    result = cli("render", HAMI, "-o", tmp_path / "哈密.docx", "--pdf")
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "哈密.pdf"
    assert f"已生成 PDF：{pdf}" in result.stdout
    assert (tmp_path / "哈密.docx").is_file()
    fonts = _pdffonts(pdf)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    names = {name.split("+", 1)[1] for name, _ in fonts}
    assert names >= STAND_INS
    assert any(name.startswith("NotoSerifCJK") for name in names)  # 宋体 and 小标宋
    assert any(name.startswith("NotoSansCJK") for name in names)  # 黑体
    assert set(embedded_fonts(pdf)) == names  # our reader agrees with poppler
    for name in embedded_fonts(pdf):
        assert name in result.stdout  # the command lists them


def test_render_pdf_without_libreoffice_says_how_to_install_and_keeps_the_docx(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SIREPORT_SOFFICE", str(tmp_path / "没有这个程序"))
    result = cli("render", HAMI, "-o", tmp_path / "r.docx", "--pdf")
    assert result.exit_code == 1
    assert (tmp_path / "r.docx").is_file() and not (tmp_path / "r.pdf").exists()
    assert "已生成报告" in result.stdout
    assert "未找到 LibreOffice" in result.stderr and "apt-get install libreoffice-writer-nogui python3-uno" in result.stderr
    assert "Windows" in result.stderr and "Traceback" not in result.stderr


def test_batch_pdf_without_libreoffice_writes_every_docx(tmp_path, monkeypatch):
    monkeypatch.setenv("SIREPORT_SOFFICE", str(tmp_path / "没有这个程序"))
    result = run_batch([HAMI, EXAMPLES / "region-2018.yaml"], tmp_path / "out", jobs=1, progress=False, pdf=True)
    assert len(result.rendered) == 2 and all(Path(u.output).is_file() for u in result.rendered)
    assert not list((tmp_path / "out").glob("*.pdf"))
    assert "未生成 PDF（报告 .docx 均已生成）：未找到 LibreOffice" in describe(result)


@pytest.mark.slow
def test_batch_pdf_writes_each_pdf_and_lists_the_fonts(tmp_path):
    inputs = [HAMI, EXAMPLES / "hejing-2019.yaml", EXAMPLES / "bureau-2019-project-daibanyuan.yaml"]
    result = run_batch(inputs, tmp_path / "out", jobs=2, progress=False, pdf=True)
    assert not result.failed and not result.pdf_failed
    for unit in result.units:
        assert Path(unit.pdf) == Path(unit.output).with_suffix(".pdf") and Path(unit.pdf).is_file()
        assert unit.fonts and (set(unit.fonts) >= STAND_INS or "项目支出" in unit.output)
    summary = describe(result)
    assert "PDF：已生成 3 份，嵌入字体：" in summary and "FandolFang-Regular" in summary
    assert not list((tmp_path / "out").glob(".~*"))  # no temporary file left


@pytest.mark.slow
def test_converter_restarts_after_n_documents(cli, tmp_path):
    docx = _report(cli, tmp_path)
    with ConverterPool(1, restart_after=2) as pool:
        results = [pool.convert(docx, tmp_path / f"{n}.pdf") for n in range(5)]
        converter = pool.converters[0]
        assert all(r.ok for r in results), [r.error for r in results]
        assert converter.starts == 3  # documents 1-2, 3-4, 5


def _office_of(converter) -> list[int]:
    """The soffice.bin process that a converter drives."""
    pids = [pid for pid in converter.pids if Path(f"/proc/{pid}/comm").read_text().strip() == "soffice.bin"]
    assert pids, "the converter's LibreOffice was not found"
    return pids


@pytest.mark.slow
def test_a_hung_converter_costs_only_its_document(cli, tmp_path):
    docx = _report(cli, tmp_path)
    with ConverterPool(1, timeout=20) as pool:
        assert pool.convert(docx, tmp_path / "1.pdf").ok
        for pid in _office_of(pool.converters[0]):
            os.kill(pid, signal.SIGSTOP)  # LibreOffice stops answering
        hung = pool.convert(docx, tmp_path / "2.pdf")
        after = pool.convert(docx, tmp_path / "3.pdf")
    assert not hung.ok and "超过 20 秒仍未完成" in hung.error and not (tmp_path / "2.pdf").exists()
    assert after.ok and (tmp_path / "3.pdf").is_file()
    assert not list(tmp_path.glob(".~*"))


@pytest.mark.slow
def test_a_converter_killed_mid_batch_costs_only_the_unit_it_held(cli, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for n in range(6):  # six counties: the example under six names
        text = HAMI.read_text(encoding="utf-8").replace("unit: 哈密市", f"unit: 测试{n}县")
        (source / f"c{n}.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_after_first_pdf() -> None:
        deadline = time.monotonic() + 120
        while not list(out.glob(".~batch-*/*.pdf")) and time.monotonic() < deadline:  # (in the run's stage)
            time.sleep(0.05)
        for pid in _descendants_named("soffice.bin"):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    killer = threading.Thread(target=kill_after_first_pdf)
    killer.start()
    result = run_batch([source], out, jobs=1, progress=False, pdf=True)
    killer.join()
    assert killed, "no LibreOffice was killed"
    assert len(result.rendered) == 6 and all(Path(u.output).is_file() for u in result.units)
    assert len(result.pdf_failed) == 1, [u.pdf_error for u in result.units]
    assert "LibreOffice 转换进程意外退出" in result.pdf_failed[0].pdf_error
    assert len(list(out.glob("*.pdf"))) == 5


def _descendants_named(name: str) -> list[int]:
    """Processes under this one (any depth) whose command name is ``name``."""
    parents = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    mine, found = {os.getpid()}, []
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in mine and pid not in mine:
                mine.add(pid)
                changed = True
    for pid in mine - {os.getpid()}:
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == name:
                found.append(pid)
        except OSError:
            continue
    return found


def test_template_faces_are_the_official_ones():
    faces = template_faces(next(p for p in builtin_template_paths() if p.stem == "default"))
    for face in ("方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体", "Times New Roman"):
        assert face in faces
    assert "Title" in faces["方正小标宋简体"] and "Normal" in faces["仿宋_GB2312"]


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is Linux's; .ci/run has it")
def test_fonts_command_names_each_stand_in(cli):
    result = cli("fonts")
    assert result.exit_code == 0, result.stderr
    rows = {line.split("\t")[0]: line for line in result.stdout.splitlines()[1:] if "\t" in line}
    assert "FandolFang" in rows["仿宋_GB2312"]
    assert "AR PL KaitiM GB" in rows["楷体_GB2312"]
    assert "Noto Sans CJK SC" in rows["黑体"]
    assert "Noto Serif CJK SC Bold" in rows["方正小标宋简体"]
    assert "Noto Serif CJK SC" in rows["宋体"]
    assert "Liberation Serif" in rows["Times New Roman"]
    # styles as Word and WPS name them in Chinese: 正文 for Normal, the template's own 封面标题
    assert rows["方正小标宋简体"].split("\t")[3] == "标题、封面标题"
    assert "正文" in rows["仿宋_GB2312"].split("\t")[3] and "Normal" not in result.stdout
