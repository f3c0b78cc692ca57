"""The libyaml fast path reads every file exactly as the ruamel path does, or declines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ruamel.yaml import YAML

from conftest import EXAMPLES
from sireport.data import yaml_fast
from sireport.data.load import _plain

TRICKY = """\
report: {unit: "007", year: 2019, date: 2020-09-10}
a: [92.80, -1.870, +5.20, .5, 0, -0, 12, ~, null, "", true, False]
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
"""


def both(text: str):
    slow_positions: dict = {}
    fast, fast_positions = yaml_fast.plain_tree(text)
    slow = _plain(YAML(typ="rt", pure=True).load(text), (), slow_positions)
    return (fast, dict(fast_positions)), (slow, slow_positions)


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: p.stem)
def test_examples_read_the_same(path):
    fast, slow = both(path.read_text(encoding="utf-8"))
    assert fast == slow


def test_tricky_scalars_read_the_same():
    (fast, positions), slow = both(TRICKY)
    assert (fast, positions) == slow
    assert fast["a"][:3] == [Decimal("92.80"), Decimal("-1.870"), Decimal("5.20")]
    assert str(fast["a"][0]) == "92.80" and fast["report"]["date"] == dt.date(2020, 9, 10)
    assert fast["d"] == "yes" and fast["report"]["unit"] == "007"
    assert positions[("g", 1)] == "15:7"


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "a: !!str 5\n", "a: 1e3\n", "a: 5.\n", "a: [1\n",
                                  "a: 12:30\n", "x: &x {b: 1}\ny:\n  <<: *x\n", "a: 1\n---\nb: 2\n"])
def test_doubtful_input_is_left_to_ruamel(text):
    assert yaml_fast.plain_tree(text) is yaml_fast.UNSUPPORTED
