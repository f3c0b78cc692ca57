"""``from:`` references: a figure of the fund data named by a path, so it is not typed twice.

``funds[失业保险].expense.execution`` (or the dot form ``funds.失业保险.expense.execution``,
which YAML flow style ``{…}`` accepts unquoted) walks the computed figures of
:mod:`sireport.figures.compute`: list entries are chosen by name (funds also by any of their
names), attributes by their English names. Pure: no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Optional

from sireport.data.funds import resolve_fund

_SEGMENT = re.compile(r"^([A-Za-z_]+)(?:\[([^\]]+)\])?$")
UNITS = {
    "execution": "%", "growth": "%", "execution_rate": "%", "accuracy": "%", "satisfaction": "%", "rate": "%",
    "settlement_days": "个工作日", "pay_day": "日", "value": "个月",
    "actual": "万元", "previous": "万元", "budget": "万元", "change": "万元",
    "current_balance": "万元", "cumulative_balance": "万元", "per_capita": "元",
}


class BadReference(ValueError):
    """The path does not name a figure; the message is Chinese."""


def resolve(path: str, figures: Any) -> tuple[Optional[Decimal], str]:
    """The value and unit ``path`` names; value None when the data does not give that figure.

    Units: a people entry's own unit; ``%`` for rates; 个工作日/日/个月 for the targets and
    months payable; 万元 for amounts.
    """
    node, owner, last = _walk(path, figures)
    if node is None:
        return None, _unit(owner, last)
    if isinstance(node, int) and not isinstance(node, bool):
        node = Decimal(node)
    if not isinstance(node, Decimal):
        raise BadReference(f"引用“{path}”不是一个数值（应以 actual、budget、execution 等结尾）")
    return node, _unit(owner, last)


def resolve_object(path: str, figures: Any) -> Any:
    """The object ``path`` names (a line of figures such as ``funds[失业保险].expense``), or None."""
    return _walk(path, figures)[0]


def _walk(path: str, figures: Any) -> tuple[Any, Any, str]:
    """(the node ``path`` names or None, its owner, the last attribute name)."""
    node: Any = {"funds": figures.funds, "totals": figures.totals}
    owner, last = None, ""
    for segment in (s.strip() for s in path.split(".")):
        if isinstance(node, list):  # dot form: the segment names a list entry
            node = _entry(node, segment, path, "")
            continue
        found = _SEGMENT.match(segment)
        if not found:
            raise BadReference(f"引用“{path}”写法有误（“{segment}”），应如 funds[企业职工基本养老保险].expense.execution")
        name, key = found.groups()
        owner, last = node, name
        node = _attribute(node, name, path)
        if node is None:
            return None, owner, last
        if key is not None:
            node = _entry(node, key.strip(), path, name)
    return node, owner, last


def _unit(owner: Any, name: str) -> str:
    if isinstance(getattr(owner, "unit", None), str):
        return owner.unit  # people: 人, 人次, 户 …
    return UNITS.get(name, "")


def _attribute(node: Any, name: str, path: str) -> Any:
    known = name in node if isinstance(node, dict) else (not name.startswith("_") and hasattr(node, name))
    if not known:
        raise BadReference(f"引用“{path}”无效：没有“{name}”")
    return node[name] if isinstance(node, dict) else getattr(node, name)


def _entry(items: Any, key: str, path: str, owner: str) -> Any:
    kind = resolve_fund(key)
    for item in items if isinstance(items, list) else []:
        if getattr(item, "name", None) == key or getattr(item, "title", None) == key or (
                kind is not None and getattr(item, "key", None) == kind.key):
            return item
    where = f"“{owner}”中" if owner else ""
    raise BadReference(f"引用“{path}”无效：{where}没有“{key}”")
