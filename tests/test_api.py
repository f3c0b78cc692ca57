"""The library API (``import sireport``): one call per command, keyword-only flags,
results returned."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import sireport
from conftest import EXAMPLES, ROOT
from sireport.findings import Finding


def test_render_returns_the_path_and_the_warnings(tmp_path):
    rendered = sireport.render(EXAMPLES / "hejing-2019.yaml", out=tmp_path, xlsx=True)
    assert rendered.path.parent == tmp_path and rendered.path.is_file()
    assert rendered.workbook == rendered.path.with_suffix(".xlsx") and rendered.workbook.is_file()
    assert rendered.findings and all(isinstance(f, Finding) and f.severity == "warning" for f in rendered.findings)


def test_check_returns_one_result_per_file():
    results = sireport.check([EXAMPLES / "hami-2019.yaml", EXAMPLES / "bureau-2019-project-daibanyuan.yaml"])
    assert [r.path for r in results] == [str(EXAMPLES / "hami-2019.yaml"),
                                         str(EXAMPLES / "bureau-2019-project-daibanyuan.yaml")]
    assert results[0].findings and results[1].findings == []


@pytest.mark.parametrize("name", sireport.__all__)
def test_flags_are_keyword_only_and_documented(name):
    function = getattr(sireport, name)
    assert function.__doc__
    flags = [p for p in inspect.signature(function).parameters.values() if p.default is not p.empty]
    assert all(p.kind is p.KEYWORD_ONLY for p in flags), name


def test_positional_flags_are_refused():
    with pytest.raises(TypeError):
        sireport.render(EXAMPLES / "hami-2019.yaml", None, "out.docx")


@pytest.mark.slow
def test_importing_the_package_and_the_cli_stays_light():
    code = "import sys, sireport, sireport.cli; print(sorted({'docxtpl', 'pydantic', 'openpyxl'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
