"""The benchmark scripts still run and print their figures (on tiny inputs: not a timing test)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # starts subprocesses


def run(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_batch_speed_prints_ratio_rate_and_memory():
    out = run("batch_speed.py", "--sizes", "4", "--naive", "2")
    assert re.search(r"naive loop .*: [\d.]+ ms/report", out)
    assert re.search(r"batch -j 2, 4 counties: [\d.]+ s end to end = \d+ reports/s = [\d.]+x the naive loop; "
                     r"peak RSS \(process tree\) \d+ MB", out)


def test_pdf_speed_prints_ratio_rate_and_memory():
    out = run("pdf_speed.py", "--count", "3", "--cold", "1")
    assert re.search(r"cold soffice --convert-to pdf per file: [\d.]+ s/PDF = [\d.]+ PDFs/s; 3 files: \d+ s "
                     r"\(a sample of 1, extrapolated\); peak RSS \d+ MB", out)
    assert re.search(r"batch --pdf -j 2, 3 counties: [\d.]+ s end to end \(render \+ PDF\) = [\d.]+ PDFs/s = "
                     r"[\d.]+x the cold path; peak RSS \(process tree\) \d+ MB", out)
    assert "FandolFang-Regular" in out


@pytest.mark.parametrize("script, args, expected", [
    ("check_speed.py", ["5"], r"读取 \+ 检查（sireport check） [\d.]+ 秒 = 基线的 [\d.]+ 倍"),
    ("template_check.py", [], r"default: check \d+ ms, engine \(check \+ marks\) \d+ ms, render one report \d+ ms"),
    ("bench_evaluation.py", [], r"评分（4 张项目表）：[\d.]+ ms"),
    ("audit_speed.py", ["--no-pages"], r"sireport audit（带数据）：\d+ 毫秒（基线的 [\d.]+ 倍）"),
])
def test_other_benchmarks_print_their_figures(script, args, expected):
    assert re.search(expected, run(script, *args))
