"""The batch loader reads every file exactly as the normal loader does, with the same messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import EXAMPLES
from sireport.datakind import is_project, load_data
from sireport.errors import DataError
from sireport.fastload import load_fast
from sireport.loader import load_report
from sireport.synthetic import write_counties

BASE = "report: {unit: 甲县, year: 2019}\nfunds:\n  - name: 失业保险\n    expense:\n      - {name: 失业保险金支出, actual: %s}\n"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_load_the_same(example):
    fast, normal = load_fast(example), load_data(example)
    assert fast.report == normal.report and fast.raw == normal.raw
    assert is_project(fast) == example.stem.startswith("bureau-")  # project tables too


def test_synthetic_counties_load_the_same(tmp_path):
    for path in write_counties(EXAMPLES / "hejing-2019.yaml", tmp_path, 5):
        assert load_fast(path).report == load_report(path).report


@pytest.mark.parametrize("written, value", [
    ("1234.50", Decimal("1234.5")), ("0", Decimal(0)), ("-12", Decimal(-12)),
    ("0x10", Decimal(16)), ("1_000", Decimal(1000)), ("1e3", Decimal(1000)), ("'77'", Decimal(77)),
])
def test_numbers_in_every_form_read_as_the_normal_loader_reads_them(tmp_path, written, value):
    path = tmp_path / "a.yaml"
    path.write_text(BASE % written, encoding="utf-8")
    fast = load_fast(path).report.funds[0].expense[0].actual
    assert fast == load_report(path).report.funds[0].expense[0].actual == value


def test_yes_is_text_and_dates_are_dates(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(BASE % "1" + "text: {other: yes}\nthresholds: {}\n", encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2019}", "year: 2019, date: 2020-09-10}"),
                    encoding="utf-8")
    loaded = load_fast(path)
    assert loaded.report.text.other == "yes" and loaded.report.report.date == dt.date(2020, 9, 10)


@pytest.mark.parametrize("content, words", [
    (BASE % "一百", "a.yaml:5:25"),
    (BASE % "1" + "report: {unit: 乙县, year: 2019}\n", "键重复"),
    ("report: [\n", "YAML 格式错误"),
])
def test_problems_get_the_normal_located_message(tmp_path, content, words):
    path = tmp_path / "a.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as fast:
        load_fast(path)
    with pytest.raises(DataError) as normal:
        load_report(path)
    assert str(fast.value) == str(normal.value) and words in str(fast.value)


def test_positions_are_found_when_asked_for(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(BASE % "5", encoding="utf-8")
    loaded = load_fast(path)
    assert loaded.where(("funds", 0, "expense", 0, "actual")).startswith(f"{path}:5:")
    assert "funds[失业保险].expense[失业保险金支出].actual" in loaded.where(("funds", 0, "expense", 0, "actual"))
