"""Generated units for property tests: ``unit(seed)`` is a whole data file (a plain dict) that
loads and checks without errors, built to reach the edges a real bureau's data reaches.

Edges, each drawn with a fixed probability from the seed: 4 to 8 funds; tiny (under 100 万元)
and huge (over 10 亿元) funds; a missing previous year or budget; equal values (持平, 100%
of budget); zero, negative and pooled (统筹) balances; every target met or missed, with
and without a reason; achieved values with comparators (“99%以上”); per-capita amounts;
every wording option (万元/亿元, 万人, budget in the execution sentence, heading mark).

Rates are drawn so that two different lines of one paragraph never print the same figure
by chance (the treatment item lowest, the other items above it, the transfers highest: the
totals fall strictly between), so that a repeated figure in the text is the template's fault.
Deterministic: the same seed gives the same unit on every machine.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

FUNDS = ("企业职工基本养老保险", "机关事业单位基本养老保险", "城乡居民基本养老保险", "城镇职工基本医疗保险",
         "城乡居民基本医疗保险", "工伤保险", "失业保险", "生育保险")
TEXTS = ("基金收支总体平稳，各项待遇按时足额发放。", "支出增长主要是享受待遇人数增加、待遇标准提高。",
         "严格执行基金财务制度，实行收支两条线管理。", "加强基金监管，防范基金运行风险。")
PEOPLE = (("离退休人员", "人"), ("享受待遇人员", "人"), ("住院就医", "人次"), ("领取失业保险金人员", "人"))


def unit(seed: int) -> dict[str, Any]:
    """One generated data file (as YAML or JSON would hold it)."""
    rng = random.Random(seed)
    names = rng.sample(FUNDS, rng.randint(4, 8))
    settings = {
        "unit": f"生成县{seed:05d}", "year": 2019,
        "percent_decimals": rng.choice([0, 1, 2, 2, 2]), "amount_decimals": rng.choice([0, 0, 0, 1, 2]),
        "prose_unit": rng.choice(["万元", "亿元"]),
        "people_unit": rng.choice(["人", "万人"]), "budget_in_execution": rng.random() < 0.3,
        "item_mark": rng.choice([".", ".", "．", "、"]),
    }
    if rng.random() < 0.5:
        settings["fund_unit"] = rng.choice(["万元", "亿元"])
    data: dict[str, Any] = {"report": settings, "funds": [_fund(name, rng) for name in names]}
    data["text"] = {key: rng.choice(TEXTS) for key in ("overview", "management", "plans", "experience")
                    if rng.random() < 0.5}
    return data


def _money(value: float, rng: random.Random) -> Decimal:
    """An amount with 0 or 2 decimals (always 2 below 1000 万元, so that rates stay distinct)."""
    return Decimal(str(round(value, 2 if abs(value) < 1000 else rng.choice([0, 0, 2]))))


def _fund(name: str, rng: random.Random) -> dict[str, Any]:
    scale = rng.choice([rng.uniform(20, 90), rng.uniform(2000, 90000), rng.uniform(200000, 900000)])
    has_previous, has_budget = rng.random() > 0.2, rng.random() > 0.2
    flat = rng.random() < 0.08  # 持平: every line equal to last year
    # treatment lowest, the others above, the transfers highest, the income items higher still
    growth = sorted(rng.sample(range(-30, 40, 7), 3))
    execution = sorted(rng.sample(range(80, 125, 9), 3))
    if rng.random() < 0.15:
        execution[0] = 100  # equal to its budget
    shares = (0.5, 0.3, 0.2)
    expense = [_item("待遇支出", scale * shares[0], growth[0], execution[0], has_previous, has_budget, flat, rng),
               _item("其他支出", scale * shares[1], growth[1], execution[1], has_previous, has_budget, flat, rng),
               _item("补助下级支出", scale * shares[2], growth[2], execution[2], has_previous, has_budget, flat, rng)]
    income_scale = scale * rng.uniform(0.8, 1.2)
    # income items above every expense rate: the two totals of one paragraph never print alike
    income = [_item(item, income_scale * share, growth[2] + step, execution[2] + step, has_previous, has_budget,
                    flat, rng)
              for item, share, step in (("保险费收入", 0.6, 5.3), ("利息收入", 0.15, 11.6), ("上级补助收入", 0.25, 17.9))]
    fund: dict[str, Any] = {"name": name, "income": income, "expense": expense}
    fund["balance"] = _balance(sum(i["actual"] for i in income) - sum(e["actual"] for e in expense), scale, rng)
    people, unit_word = rng.choice(PEOPLE)
    count = rng.choice([rng.randint(50, 900), rng.randint(2000, 90000), rng.randint(100000, 900000)])
    person: dict[str, Any] = {"name": people, "actual": count, "unit": unit_word}
    if has_previous:
        person["previous"] = count if flat else int(count / rng.uniform(1.02, 1.3))
    met = rng.random() < 0.6
    person["target"] = count if met else count + rng.randint(1, 50)
    if rng.random() < 0.3:
        person["per_capita_item"] = "待遇支出"
    if rng.random() < 0.3:
        monthly = float(expense[0]["actual"]) * 10000 / count / 12
        person.update(per_capita_label="待遇", per_capita_actual=Decimal(str(round(monthly * rng.uniform(0.8, 1.2), 2))))
        if rng.random() < 0.5:
            person["per_capita_budget"] = Decimal(str(round(monthly, 2)))
    fund["people"] = [person]
    fund["targets"], fund["achieved"] = _targets(rng, met)
    if not met and rng.random() < 0.5:
        fund["text"] = {"unmet": "受参保人员流动影响，实际享受待遇人数略低于预期。"}
    elif rng.random() < 0.3:
        fund["text"] = {"reasons": rng.choice(TEXTS)}
    return fund


def _item(name: str, actual: float, growth: float, execution: float, has_previous: bool, has_budget: bool,
          flat: bool, rng: random.Random) -> dict[str, Any]:
    value = _money(actual, rng)
    item: dict[str, Any] = {"name": name, "actual": value}
    if has_previous:
        item["previous"] = value if flat else _money(float(value) / (1 + growth / 100), rng)
    if has_budget:
        item["budget"] = value if execution == 100 else _money(float(value) * 100 / execution, rng)
    return item


def _balance(current: Decimal, scale: float, rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(["normal", "normal", "normal", "zero", "negative", "pooled"])
    if kind == "zero":
        return {"previous_cumulative": -current}
    if kind == "negative":
        return {"previous_cumulative": _money(-scale * rng.uniform(0.5, 2), rng) - current}
    balance: dict[str, Any] = {"previous_cumulative": _money(scale * rng.uniform(0.1, 3), rng)}
    if kind == "pooled":
        balance["pooled"] = rng.choice(["州级", "地区级", "自治区级"])
    return balance


def _targets(rng: random.Random, met: bool) -> tuple[dict, dict]:
    targets = {"execution_rate": rng.choice([90, 95]), "pay_day": 18, "accuracy": 99, "satisfaction": 95,
               "settlement_days": 20}
    if met:
        achieved = {"pay_day": rng.choice([15, 18]), "accuracy": rng.choice([99, 100, "99%以上"]),
                    "satisfaction": rng.choice([95, 98, "95%以上"]),
                    "settlement_days": rng.choice([20, 15, "不超过20个工作日"])}
    else:
        achieved = {"pay_day": rng.choice([18, 25]), "accuracy": rng.choice([98, "98%以上"]),
                    "satisfaction": rng.choice([95, 90]), "settlement_days": rng.choice([20, 30])}
    return targets, achieved
