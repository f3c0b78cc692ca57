"""Seeded random county data for the audit's property test (no false alarms).

Each unit starts from one of the examples and varies every figure independently (items,
previous year, budget, people), with random percent decimals and prose unit, and funds
dropped at random. Totals, subtotals, balances and the 合计 are left for sireport to
compute, so the data is consistent and ``check`` lets it render; the 绩效自评表 is left
out (its indicator texts are entered, not computed, and would no longer match).
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

EXAMPLES = Path(__file__).parent.parent / "data_examples"
BASES = ("hami-2019.yaml", "region-2018.yaml", "hejing-2019.yaml")
COMPUTED = ("income_total", "expense_total", "income_subtotal", "expense_subtotal", "treatment_total",
            "months_basis")
_cache: dict[str, Any] = {}


def base(name: str) -> Any:
    if name not in _cache:
        _cache[name] = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return _cache[name]


def unit(index: int, seed: int = 2026) -> dict:
    rng = random.Random(seed * 100003 + index)
    data = _copy(base(BASES[index % len(BASES)]))
    data.pop("evaluation", None)
    data.pop("totals", None)
    settings = data["report"]
    settings.update(unit=f"合成县{index:04d}", percent_decimals=rng.choice([0, 1, 2, 2]),
                    prose_unit=rng.choice(["万元", "亿元"]),
                    fund_unit=rng.choice(["万元", "亿元"]))  # 亿元: amounts below yi_from stay in 万元
    settings.pop("cover", None)
    funds = [fund for fund in data["funds"] if rng.random() > 0.2] or data["funds"][:1]
    data["funds"] = [_fund(fund, rng) for fund in funds]
    return data


def _fund(fund: dict, rng: random.Random) -> dict:
    items = fund.get("income") or fund.get("expense")
    for key in COMPUTED:
        if items or key == "months_basis":
            fund.pop(key, None)
    for side in ("income", "expense"):
        for item in fund.get(side) or []:
            _vary(item, rng)
            item.pop("parts", None)
    for key in ("income_total", "expense_total", "treatment_total", "income_subtotal", "expense_subtotal"):
        if key in fund:
            _vary(fund[key], rng)
    balance = fund.get("balance") or {}
    balance.pop("current", None)
    balance.pop("parts", None)
    for key in ("cumulative", "previous_cumulative"):
        if balance.get(key) is not None:
            balance[key] = _scaled(balance[key], rng)
    for people in fund.get("people") or []:
        people.pop("stated", None)
        for key in ("actual", "previous", "target"):
            if people.get(key) is not None:
                people[key] = max(1, int(people[key] * rng.uniform(0.5, 1.5)))
    return fund


RELATIVE = {"previous": (0.75, 1.15), "budget": (0.8, 1.2)}  # to this year's figure: rates stay plausible


def _vary(amounts: dict, rng: random.Random) -> None:
    amounts.pop("stated", None)
    if amounts.get("actual") is None:
        return
    amounts["actual"] = _scaled(amounts["actual"], rng)
    for key, bounds in RELATIVE.items():
        if amounts.get(key) is None:
            continue
        if rng.random() < 0.15:
            amounts.pop(key)
        else:
            amounts[key] = _scaled(amounts["actual"], rng, bounds)


def _scaled(value: Any, rng: random.Random, bounds: tuple = (0.5, 1.5)) -> Any:
    places = max(0, -Decimal(str(value)).as_tuple().exponent)
    scaled = Decimal(str(value)) * Decimal(str(round(rng.uniform(*bounds), 4)))
    result = scaled.quantize(Decimal(1).scaleb(-places))
    return int(result) if places == 0 else float(result)


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
