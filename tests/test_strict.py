"""``--strict`` means the same in ``render`` and ``batch``, for a fund report and for a
project table: warnings stop the document, which is not written."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES

# Both examples have warnings and no errors (sireport check lists them).
WITH_WARNINGS = ["hami-2019.yaml", "bureau-2019-project-yewu-zhuanxiang.yaml"]


def _folder(tmp_path, name):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / name, folder / name)
    return folder


@pytest.mark.parametrize("name", WITH_WARNINGS)
def test_render_strict_refuses_and_writes_nothing(cli, tmp_path, name):
    out = tmp_path / "out"
    result = cli("render", EXAMPLES / name, "-o", out, "--strict")
    assert result.exit_code != 0 and "警告" in result.stderr and "--strict" in result.stderr
    assert not list(tmp_path.rglob("*.docx"))
    assert cli("render", EXAMPLES / name, "-o", out).exit_code == 0  # without --strict: written
    assert len(list(out.glob("*.docx"))) == 1


@pytest.mark.parametrize("name", WITH_WARNINGS)
def test_batch_strict_refuses_and_writes_nothing(cli, tmp_path, name):
    folder, out = _folder(tmp_path, name), tmp_path / "out"
    result = cli("batch", folder, "-o", out, "-j", "1", "--strict")
    assert result.exit_code != 0 and "--strict" in result.stdout + result.stderr
    assert not list(out.glob("*.docx"))
    assert cli("batch", folder, "-o", out, "-j", "1").exit_code == 0  # without --strict: written
    assert len(list(out.glob("*.docx"))) == 1


def test_batch_lists_appendix_warnings_with_their_rule(cli, tmp_path):
    folder = _folder(tmp_path, "bureau-2019-project-yewu-zhuanxiang.yaml")
    result = cli("batch", folder, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0
    assert "：年度资金总额原文执行率92.80%" in result.stdout and "[evaluation." not in result.stdout
    verbose = cli("batch", "--verbose", folder, "-o", tmp_path / "again", "-j", "1")
    assert "[evaluation.stated_rate] 年度资金总额原文执行率92.80%" in verbose.stdout
