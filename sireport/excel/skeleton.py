"""An empty report for a clerk to fill: the funds in the standard order, each with its
standard income and expense items (docs/Excel填报说明.md), written as an Excel entry workbook.

The item lists are only a starting point: clerks delete, rename and add rows. Whether an
item is a transfer between levels or treatment expense is left blank (decided by the
item's name) except where the name alone would decide wrongly.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Optional

from sireport.data.funds import FUND_KINDS, resolve_fund
from sireport.data.model import Report
from sireport.errors import DataError
from sireport.excel.write import write_workbook

_INCOME = ("保险费收入", "财政补贴收入", "利息收入", "委托投资收益", "其他收入", "转移收入",
           "上级补助收入", "下级上解收入")
_INCOME_PLAIN = tuple(name for name in _INCOME if name != "委托投资收益")
_LEVELS = ("补助下级支出", "上解上级支出")

STANDARD_ITEMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "enterprise_pension": (
        (*_INCOME, "中央调剂金补助收入"),
        ("基本养老金支出", "丧葬抚恤补助支出", "转移支出", "其他支出", *_LEVELS, "上解中央调剂金支出")),
    "public_pension": (
        _INCOME,
        ("基本养老金支出", "丧葬抚恤补助支出", "转移支出", "其他支出", *_LEVELS)),
    "resident_pension": (
        ("个人缴费收入", "财政补贴收入", "集体补助收入", "利息收入", "委托投资收益", "其他收入", "转移收入",
         "上级补助收入", "下级上解收入"),
        ("基础养老金支出", "个人账户养老金支出", "丧葬抚恤补助支出", "转移支出", "其他支出", *_LEVELS)),
    "employee_medical": (
        _INCOME_PLAIN,
        ("基本医疗保险待遇支出", "生育保险待遇支出", "转移支出", "其他支出", *_LEVELS)),
    "resident_medical": (
        _INCOME_PLAIN,
        ("基本医疗保险待遇支出", "大病保险支出", "其他支出", *_LEVELS)),
    "work_injury": (
        _INCOME_PLAIN,
        ("工伤保险待遇支出", "劳动能力鉴定费支出", "工伤预防费支出", "转移支出", "其他支出", *_LEVELS)),
    "unemployment": (
        _INCOME_PLAIN,
        ("失业保险金支出", "代缴医疗保险费支出", "丧葬抚恤补助支出", "稳岗补贴支出", "技能提升补贴支出",
         "价格临时补贴支出", "转移支出", "其他支出", *_LEVELS)),
    "maternity": (
        _INCOME_PLAIN,
        ("生育医疗费用支出", "生育津贴支出", "其他支出", *_LEVELS)),
}
# Standard items whose name does not show that they are treatment expense.
TREATMENT_BY_NAME = frozenset({"大病保险支出", "生育津贴支出", "价格临时补贴支出"})

PLACEHOLDER = {"unit": "（待填）", "year": 2000}


def fund_keys(names: Optional[Iterable[str]]) -> list[str]:
    """Fund kinds for ``names`` (any accepted name), in the standard order; all eight if none."""
    if not names:
        return [kind.key for kind in FUND_KINDS]
    wanted = set()
    for name in names:
        kind = resolve_fund(name)
        if kind is None:
            raise DataError(f"未知的基金名称“{name}”。可用的名称：{'、'.join(k.name for k in FUND_KINDS)}")
        wanted.add(kind.key)
    return [kind.key for kind in FUND_KINDS if kind.key in wanted]


def blank_data(names: Optional[Iterable[str]] = None) -> dict:
    """Plain data (shaped like ``Report.model_dump()``) of an empty report; unit and year blank."""
    funds = []
    for key in fund_keys(names):
        kind = next(k for k in FUND_KINDS if k.key == key)
        income, expense = STANDARD_ITEMS[key]
        funds.append({
            "name": kind.name,
            "income": [{"name": name} for name in income],
            "expense": [{"name": name, **({"treatment": True} if name in TREATMENT_BY_NAME else {})}
                        for name in expense],
        })
    data = Report.model_validate({"report": PLACEHOLDER, "funds": funds}).model_dump()
    data["report"].update(unit=None, year=None)
    return data


def init_workbook(path: str | Path, names: Optional[Iterable[str]] = None, force: bool = False) -> Path:
    """Write an empty entry workbook for ``names`` (default: all eight funds) to ``path``."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise DataError(f"{path}：填报工作簿须以 .xlsx 结尾")
    return write_workbook(path, [blank_data(names)], force)
