"""A small, internally consistent data set for the check tests, and ways to break it.

``clean()`` returns a fresh dict (two funds and a 合计) in which every identity holds and
every figure is plausible, so ``sireport check`` finds nothing at all. A test changes one
value with ``changed(path, value)`` and expects exactly the rule about it to fire.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sireport.data.load import LoadedReport, load_report
from sireport.data.save import yaml_text


def clean() -> dict:
    pension = {
        "name": "企业职工基本养老保险",
        "income": [
            {"name": "保费收入", "actual": 1000, "previous": 950, "budget": 1000},
            {"name": "利息收入", "actual": 50, "previous": 50, "budget": 50},
            {"name": "上级补助收入", "actual": 200, "previous": 200, "budget": 200},
        ],
        "expense": [
            {"name": "基本养老金支出", "actual": 900, "previous": 880, "budget": 920, "parts": [
                {"name": "基础养老金", "actual": 850, "previous": 830, "budget": 870},
                {"name": "丧葬抚恤补助", "actual": 50, "previous": 50, "budget": 50}]},
            {"name": "转移支出", "actual": 100, "previous": 100, "budget": 100},
        ],
        "income_total": {"actual": 1250, "previous": 1200, "budget": 1250},
        "expense_total": {"actual": 1000, "previous": 980, "budget": 1020},
        # 1250 − 200 上级补助收入 = 1050; +50 = 5.00% on 1000; 1050 / 1050 = 100.00%
        "income_subtotal": {"actual": 1050, "previous": 1000, "budget": 1050,
                            "stated": {"change": 50, "growth": 5.00, "execution": 100.00}},
        "treatment_total": {"actual": 900, "previous": 880, "budget": 920},
        "balance": {"current": 250, "previous_cumulative": 2750, "cumulative": 3000,
                    "parts": [{"name": "统筹基金", "amount": 1000}, {"name": "个人账户", "amount": 2000}]},
        "people": [{"name": "离退休人员", "actual": 1000, "previous": 980, "target": 1000},
                   {"name": "其中：本年新增", "actual": 50}],
        "targets": {"pay_day": 18, "accuracy": 99, "satisfaction": 95},
        "achieved": {"pay_day": 18, "accuracy": 100, "satisfaction": 96},
    }
    unemployment = {
        "name": "失业保险",
        "income": [{"name": "保费收入", "actual": 300, "previous": 290, "budget": 300}],
        "expense": [{"name": "失业保险金支出", "actual": 240, "previous": 230, "budget": 250},
                    {"name": "稳岗补贴支出", "actual": 60, "previous": 55, "budget": 60}],
        "balance": {"current": 0, "previous_cumulative": 500, "cumulative": 500},  # 20 months
    }
    return {
        "report": {"unit": "测试县", "year": 2019},
        "funds": [pension, unemployment],
        "totals": {"income_total": {"actual": 1550, "previous": 1490, "budget": 1550},
                   "current_balance": 250, "cumulative_balance": 3500},
    }


def changed(data: dict, path: str, value: Any) -> dict:
    """A copy of ``data`` with the value at ``funds.0.income.1.actual``-style ``path`` replaced
    (a path ending in ``+`` appends ``value`` to the list)."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
    if last == "+":
        node.append(value)
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


def write(data: dict, folder: Path, name: str = "data.yaml") -> Path:
    path = folder / name
    path.write_text(yaml_text(data), encoding="utf-8")
    return path


def loaded(data: dict, folder: Path, name: str = "data.yaml") -> LoadedReport:
    return load_report(write(data, folder, name))
