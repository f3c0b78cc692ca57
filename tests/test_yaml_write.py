"""The one YAML writer (sireport.data.save.yaml_text): the shipped examples' layout, and every
value reads back (sireport.data.yaml_fast) as written.

The layout is held to the writer it replaced (ruamel.yaml, rebuilt below as the oracle): the
same text, byte for byte, for the examples, generated units and synthetic counties.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

import units
from conftest import EXAMPLES
from sireport.data import save, yaml_fast
from sireport.data.load import load_report, read_tree, validate
from sireport.data.locate import Source
from tools import synthetic


def ruamel_text(data: dict, header: str = "") -> str:
    """The earlier writer: ruamel.yaml, lists indented under their key, short flat entries on one line."""
    yaml = YAML()
    yaml.allow_unicode, yaml.width = True, 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        Decimal, lambda rep, d: rep.represent_scalar("tag:yaml.org,2002:float", format(d, "f")))
    stream = io.StringIO()
    stream.write(save.SCHEMA_LINE + ("".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + "\n"
                                     if header else ""))
    yaml.dump(_commented(data, 0), stream)
    return stream.getvalue()


def _commented(value, depth):
    if isinstance(value, dict):
        out = CommentedMap((k, _commented(v, depth + 1)) for k, v in value.items())
        if depth >= 2 and value and save._is_flat(value) and save._width(str(value)) < save.FLOW_WIDTH:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        return CommentedSeq(_commented(v, depth + 1) for v in value)
    if isinstance(value, Decimal):
        return save._number(value)
    return LiteralScalarString(value) if isinstance(value, str) and "\n" in value else value


def samples():
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        yield path.name, read_tree(path)[0]
        if "project" not in path.name:
            yield f"{path.name} (as saved)", save.plain(load_report(path).report)
    for seed in range(40):
        yield f"unit {seed}", units.unit(seed)
        yield f"unit {seed} (as saved)", save.plain(validate(units.unit(seed), Source("u", {})).report)
    hami = load_report(EXAMPLES / "hami-2019.yaml").raw
    for index in range(0, 3000, 300):
        yield f"county {index}", synthetic.county(hami, index)


def test_the_layout_is_the_one_the_examples_and_the_earlier_writer_have():
    differing = [name for name, data in samples() if save.yaml_text(data, "标题\n\n说明") != ruamel_text(data, "标题\n\n说明")]
    assert differing == []


def test_lists_are_indented_under_their_key_and_text_blocks_move_with_them():
    data = {"funds": [{"name": "失业保险", "income": [{"name": "保费收入", "actual": Decimal("5.10")}],
                       "text": {"note": "第一行\n- 不是列表\n  key: 也不是键\n"}}]}
    assert save.yaml_text(data).split("\n", 1)[1] == (
        "funds:\n"
        "  - name: 失业保险\n"
        "    income:\n"
        "      - {name: 保费收入, actual: 5.10}\n"
        "    text:\n"
        "      note: |\n"
        "        第一行\n"
        "        - 不是列表\n"
        "          key: 也不是键\n")


TRICKY = ["yes", "No", "on", "null", "~", "", "true", "123", "-1.5", "1e3", "0o17", "0x1F", "0117", "12:30", ".inf",
          "NaN", ".", "2019-01-01", "- x", "a: b", "k:v", "#c", "a # b", " lead", "trail ", "'q'", '"d"', "@at", "`b",
          "%p", "!t", "&a", "*s", "[x]", "{y}", "?", ":", "-", "|", ">", "=", "99%以上", "≥95%", "—", "\u3000全角",
          "a\tb", "多行\n文本\n", "多行\n无结尾", "  缩进\n行", "x\n\n y\n", "a\r\nb", "行一\n- 条目\n  key:\n- 条目二",
          "\ufeffbom", "长" * 6000]


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_every_text_reads_back_as_written(text):
    data = {"report": {"unit": text, "year": 2019, "fill_date": dt.date(2020, 9, 10)},
            "funds": [{"name": text, "income": [{"name": text, "actual": Decimal("1.50")}], "notes": [text, {"k": [text]}]}],
            "text": {"overview": text}, "empty": None, "flags": {"a": {"b": {"none": None, "on": True, "text": text}}},
            "key " + text: [text]}
    expected = {**data, "report": {**data["report"], "fill_date": "2020-09-10"}}  # a date is read as text
    assert yaml_fast.plain_tree(save.yaml_text(data))[0] == expected
