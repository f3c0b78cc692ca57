"""The YAML reader's shortcut past the second walk of the limits (sireport.data.limits.Budget):
a tree the reader calls in bounds is one that :func:`inspect` finds nothing in, and every
value out of bounds still makes the reader say so (so the walk runs and words it)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import EXAMPLES
from sireport.data.limits import _FORBIDDEN, MAX_DEPTH, MAX_TEXT, MAX_VALUES, inspect
from sireport.data.load import read_tree
from sireport.errors import DataError

BAD_VALUES = [
    json.dumps("哈密\x01市"),  # an escaped control character
    json.dumps("哈密\ufffe市"),  # an escaped non-character
    json.dumps("哈密\U0001fffe市"),  # an escaped astral non-character (a surrogate pair)
    "x" * (MAX_TEXT + 1),
    "1000000000000000",  # 10¹⁵
    "-1e15",
    "1.00000000001",  # eleven decimal places
    "!!float 1e400",
]


def _read(tmp_path, text: str):
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return read_tree(path)


def _walked(raw, source) -> list:
    """What inspect finds when the reader's word is not taken."""
    return inspect(raw, dataclasses.replace(source, in_bounds=False))


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: p.stem)
def test_the_examples_are_read_in_bounds_and_the_walk_agrees(path):
    raw, source = read_tree(path)
    assert source.in_bounds
    assert _walked(raw, source) == [] and inspect(raw, source) == []


@pytest.mark.parametrize("value", BAD_VALUES, ids=range(len(BAD_VALUES)))
def test_a_value_out_of_bounds_is_never_in_bounds(tmp_path, value):
    raw, source = _read(tmp_path, f"report:\n  unit: {value}\n  year: 2019\n")
    assert not source.in_bounds
    problems = inspect(raw, source)
    assert len(problems) == 1 and f"{source.name}:2:3（report.unit）" == problems[0].where


@pytest.mark.parametrize("text", ["a: 'x\\y'\n", "a: \"x\\u00e9\"\n", "a: 1.0000000000\n", "a: 999999999999999\n"])
def test_an_escape_or_a_number_near_a_limit_leaves_the_decision_to_the_walk(tmp_path, text):
    raw, source = _read(tmp_path, text)
    assert source.in_bounds == ("\\" not in text)
    assert _walked(raw, source) == []


def test_the_forbidden_pattern_matches_exactly_the_forbidden_characters():
    forbidden = {*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), *range(0xFDD0, 0xFDF0),
                 0xFFFE, 0xFFFF, *(plane << 16 | low for plane in range(1, 17) for low in (0xFFFE, 0xFFFF))}
    found = {code for code in range(0x110000) if _FORBIDDEN.search(chr(code))}
    assert found == forbidden
    match = _FORBIDDEN.search("甲\U0002fffd乙\U0002fffe丙\x01")
    assert match is not None and match.start() == 3 and match.group() == "\U0002fffe"
    assert not _FORBIDDEN.search("𠮷\U0001fffd")


@pytest.mark.parametrize("nested", [MAX_DEPTH - 1, MAX_DEPTH])
@pytest.mark.parametrize(("opening", "closing", "column"), [
    ("{b: ", "}", lambda n: 4 * n + 1),  # the innermost key "b"
    ("[", "]", lambda n: len("a: ") + n + 1),  # the scalar, the innermost list's item
])
def test_a_scalar_one_level_too_deep_is_refused_at_its_place(tmp_path, nested, opening, closing, column):
    """A value may be MAX_DEPTH levels deep (the file's top level is 0): the scalar under
    ``nested`` mappings or lists below ``a`` is at level nested + 1."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + opening * nested + "1" + closing * nested + "\n", encoding="utf-8")
    if nested + 1 <= MAX_DEPTH:
        read_tree(path)
        return
    with pytest.raises(DataError) as caught:
        read_tree(path)
    assert str(caught.value).startswith(f"{path}:1:{column(nested)}：嵌套层数过多")


@pytest.mark.parametrize("items", [MAX_VALUES - 2, MAX_VALUES - 1])
@pytest.mark.parametrize("item", ["1", "x", "{}"])
def test_the_value_past_the_limit_is_refused_at_its_place(tmp_path, items, item):
    """The top mapping and the list count as values too: ``items`` items make items + 2."""
    path = tmp_path / "many.yaml"
    path.write_text("a: [" + ", ".join([item] * items) + "]\n", encoding="utf-8")
    if items + 2 <= MAX_VALUES:
        read_tree(path)
        return
    with pytest.raises(DataError) as caught:
        read_tree(path)
    last = len("a: [") + (len(item) + 2) * (items - 1) + 1  # the column of the last item
    assert str(caught.value).startswith(f"{path}:1:{last}：数据过大")
