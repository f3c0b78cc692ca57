"""The schema is the reference: CLI output, generated docs and field descriptions agree."""

from __future__ import annotations

import json
import zipfile

import pytest

from conftest import ROOT
from sireport.data.model import Report
from sireport.data.schema import _models, render_markdown
from tools.template_source import build


def test_schema_command_prints_json_schema(cli):
    result = cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert [branch["$ref"] for branch in schema["oneOf"]] == ["#/$defs/Report", "#/$defs/ProjectFile"]
    assert set(schema["$defs"]["Report"]["required"]) == {"report", "funds"}
    assert schema["$defs"]["ProjectFile"]["required"] == ["project"]
    assert "unit" in schema["$defs"]["Settings"]["properties"]


def test_every_field_has_a_chinese_description():
    missing = [f"{m.__name__}.{name}" for m in _models(Report)
               for name, field in m.model_fields.items()
               if not field.description or not any("\u4e00" <= ch <= "\u9fff" for ch in field.description)]
    assert missing == []


def test_data_format_doc_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "数据格式.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "docs/数据格式.md is stale: python -m sireport.data.schema > docs/数据格式.md"


@pytest.mark.parametrize("source", sorted((ROOT / "sireport" / "templates" / "source").glob("*.txt")), ids=lambda p: p.stem)
def test_committed_template_matches_its_source(source, tmp_path):
    built = tmp_path / f"{source.stem}.docx"
    build(source, built)
    committed = ROOT / "sireport" / "templates" / f"{source.stem}.docx"
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(committed) as old:
        parts = [n for n in new.namelist() if n.endswith(".xml") and not n.startswith("docProps/")]
        assert sorted(parts) == sorted(n for n in old.namelist() if n.endswith(".xml") and not n.startswith("docProps/"))
        for name in parts:
            assert new.read(name) == old.read(name), (
                f"sireport/templates/{source.stem}.docx differs from its source in {name}: "
                f"python -m tools.template_source {source.relative_to(ROOT)} templates/{source.stem}.docx")


def test_every_command_has_chinese_help(cli):
    from sireport.cli import main

    for name, command in main.commands.items():
        assert command.help and any("\u4e00" <= ch <= "\u9fff" for ch in command.help), name
        result = cli(name, "--help")
        assert result.exit_code == 0 and "用法：" in result.stdout, name
