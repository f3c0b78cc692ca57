"""One YAML reading: libyaml (C) and its pure-Python twin give the same data for every
file, typed by sireport's own rules (issue 11 cases 10, 11, 14, 15, 17)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from conftest import EXAMPLES
from sireport.data import yaml_fast
from sireport.data.limits import MAX_DEPTH
from sireport.data.load import read_tree
from sireport.errors import DataError

TRICKY = """\
report: {unit: "007", year: 2019, date: 2020-09-10}
a: [92.80, -1.870, +5.20, .5, 0, -0, 12, ~, null, "", true, False, 1e3, 5.]
b: |
  多行
  文字
c: >-
  2019年，折叠
  文字
d: yes
e: 2019年
f: 'x: y'
g:
  - name: 保费收入
    actual: 117275
  -   {name: 利息收入, actual: 13.24}
h: !!str 117275
i: 117275.0000000000000001  # 注意!
base: &base {pay_day: 1, accuracy: 99}
targets: {<<: *base, accuracy: 98}
"""


class PureLoader(yaml.SafeLoader):
    def resolve(self, kind, value, implicit):
        return ""


def both(text: str, monkeypatch):
    fast = yaml_fast.plain_tree(text)
    with monkeypatch.context() as patch:
        patch.setattr(yaml_fast, "_UntaggedLoader", PureLoader)
        pure = yaml_fast.plain_tree(text)
    return (fast[0], dict(fast[1])), (pure[0], dict(pure[1]))


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: p.stem)
def test_examples_read_the_same_by_libyaml_and_pure_python(path, monkeypatch):
    fast, pure = both(path.read_text(encoding="utf-8"), monkeypatch)
    assert fast == pure


def test_tricky_scalars_are_typed_by_our_rules(monkeypatch):
    (data, positions), pure = both(TRICKY, monkeypatch)
    assert (data, positions) == pure
    assert data["a"][:3] == [Decimal("92.80"), Decimal("-1.870"), Decimal("5.20")]
    assert str(data["a"][0]) == "92.80" and data["a"][-2:] == [Decimal("1e3"), Decimal(5)]
    assert data["report"]["date"] == "2020-09-10"  # a date only where the schema wants one
    assert data["d"] == "yes" and data["report"]["unit"] == "007"
    assert data["h"] == "117275"  # !!str: text
    assert data["i"] == Decimal("117275.0000000000000001")  # never through a float, '!' or not
    assert data["targets"] == {"pay_day": 1, "accuracy": 98}  # merge key: own keys win
    assert positions[("g", 1)] == "15:7"


@pytest.mark.parametrize(("text", "words"), [
    ("a: 0117275\n", "无法确定“0117275”是数字还是文字"),  # YAML 1.1 octal
    ("%YAML 1.1\n---\na: 0117275\n", "无法确定“0117275”"),
    ("a: 12:30\n", "无法确定“12:30”"),  # sexagesimal
    ("a: .inf\n", "无法确定“.inf”"),
    ("a: 0x1F\n", "无法确定“0x1F”"),
    ("a: 1\na: 2\n", "键“a”重复"),
    ("a: !foo 5\n", "不支持的 YAML 标签“!foo”"),
    ("a: !!int x\n", "与标签“tag:yaml.org,2002:int”不符"),
    ("a: {<<: 5}\n", "合并键“<<”的值应为键值结构"),
])
def test_doubtful_input_is_refused_with_its_place(text, words):
    with pytest.raises(yaml_fast.Refused) as caught:
        yaml_fast.plain_tree(text)
    assert words in caught.value.message and caught.value.position


def test_dots_without_digits_are_text_as_our_writer_leaves_them():
    """``item_mark: .`` is how sireport's own YAML writer saves the 1. 2. mark: it reads back."""
    assert yaml_fast.plain_tree("a: .\nb: ..\n")[0] == {"a": ".", "b": ".."}


@pytest.mark.parametrize("text", ["١٢٣", "²", "１２３", "0", "000", "0123", "+5", "-0", "999999999999999", "1000000000000000",
                                  "9" * 5000, "1_000", "5.", "null", "True", "yes", "哈密"])
def test_every_scalar_is_typed_as_plain_kind_says_in_a_mapping_a_list_and_alone(text):
    """The reader's shortcut for text and whole numbers (yaml_fast._scalar_value) types a
    scalar as the rules of plain_kind do, wherever it stands."""
    kind = yaml_fast.plain_kind(text)
    if kind == "doubtful" or (kind == "int" and len(text) > 4300):
        for written in (f"a: {text}\n", f"- {text}\n", text):
            with pytest.raises(yaml_fast.Refused):
                yaml_fast.plain_tree(written)
        return
    read = {"str": str, "null": lambda _: None, "bool": yaml_fast.BOOLS.get, "float": Decimal, "int": int}[kind]
    expected = read(text)
    assert yaml_fast.plain_tree(f"a: {text}\nb: [{text}]\n")[0] == {"a": expected, "b": [expected]}
    assert yaml_fast.plain_tree(text)[0] == expected
    assert type(yaml_fast.plain_tree(f"- {text}\n")[0][0]) is type(expected)


def test_places_in_small_and_large_mappings_and_through_merge_keys():
    """A key's place is its first pair as the reader takes them (own keys before merged ones),
    whether its mapping is searched (a few keys) or indexed (many keys, or a merge key)."""
    lines = ["small: {a: 1, b: 2, a2: 3}", "big:", *(f"  k{i}: {i}" for i in range(40)),
             "base: &b {x: 1, y: 2}", "merged: {<<: *b, y: 3}"]
    positions = yaml_fast.plain_tree("\n".join(lines) + "\n")[1]

    def at(line: int, word: str) -> str:
        return f"{line + 1}:{lines[line].index(word) + 1}"

    assert positions[("small", "b")] == at(0, "b:") and positions[("small", "a2")] == at(0, "a2")
    assert positions[("big", "k39")] == at(41, "k39") and positions[("big", "k0")] == at(2, "k0")
    assert positions[("merged", "y")] == at(43, "y: 3") and positions[("merged", "x")] == at(42, "x")
    assert positions.get(("small", "c")) is None and positions.get(("big", "k40")) is None


def test_a_value_too_deep_beside_a_list_as_a_key_is_refused_at_its_place(tmp_path):
    """The place of a value past the depth limit is found in a mapping that also has a
    key that is not text (it was 内部错误: a list cannot be looked up by)."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 30 + "1" + "]" * 30 + "\n? [x]\n: 1\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_tree(path)
    assert str(caught.value).startswith(f"{path}:1:{len('a: ') + MAX_DEPTH + 1}：嵌套层数过多")
