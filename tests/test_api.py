"""The library API (``import sireport``): one call per command, keyword-only flags,
results returned."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sireport
from conftest import EXAMPLES, ROOT
from sireport.errors import SireportError
from sireport.findings import Finding
from sireport.word.search import builtin_dir


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


def test_no_subpackage_hides_a_function_of_the_api():
    """``import sireport.audit`` sets the attribute ``sireport.audit``: an API function of that name would be lost."""
    for module in pkgutil.iter_modules(sireport.__path__):
        if module.name != "__main__":
            importlib.import_module(f"sireport.{module.name}")
    assert [name for name in sireport.__all__ if not inspect.isfunction(getattr(sireport, name))] == []


def test_positional_flags_are_refused():
    with pytest.raises(TypeError):
        sireport.render(EXAMPLES / "hami-2019.yaml", None, "out.docx")


@pytest.mark.slow
def test_importing_the_package_and_the_cli_stays_light():
    code = "import sys, sireport, sireport.cli; print(sorted({'docxtpl', 'pydantic', 'openpyxl'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_audit_returns_one_result_per_report_and_the_annotated_copy(tmp_path):
    report = sireport.render(EXAMPLES / "hejing-2019.yaml", out=tmp_path).path
    results = sireport.audit_reports([report], data=EXAMPLES / "hejing-2019.yaml", annotate=tmp_path / "批注.docx")
    assert [r.path for r in results] == [str(report)] and results[0].claims > 100
    assert results[0].annotated == tmp_path / "批注.docx" and results[0].annotated.is_file()
    with pytest.raises(SireportError, match="只能为一份报告写出"):
        sireport.audit_reports([report, report], annotate=tmp_path / "两份.docx")
    assert not (tmp_path / "两份.docx").exists()


def test_rollup_returns_the_file_the_count_and_the_findings(tmp_path):
    rolled = sireport.rollup([EXAMPLES / "hami-2019.yaml", EXAMPLES / "hejing-2019.yaml"], out=tmp_path / "地区.yaml",
                             unit="测试地区")
    assert rolled.path == tmp_path / "地区.yaml" and rolled.path.is_file() and rolled.units == 2
    assert all(isinstance(f, Finding) for f in rolled.findings)


def test_templates_lists_the_built_in_ones_in_search_order():
    """A project's templates/ folder is looked up before the built-in templates, and its
    ``default`` shadows the built-in one of that name."""
    Path("templates").mkdir()
    shutil.copyfile(builtin_dir() / "default.docx", Path("templates") / "default.docx")
    entries = sireport.list_templates()
    assert [(e.name, e.origin, e.shadowed) for e in entries[:1]] == [("default", "项目 templates/ 目录", False)]
    built_in = entries[1:]
    assert {e.name for e in built_in} == {"default", "six-part", "project-table"}
    assert {e.origin for e in built_in} == {"内置模板"}
    assert [e.shadowed for e in built_in if e.name == "default"] == [True]
