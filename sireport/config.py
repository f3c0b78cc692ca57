"""Judgement thresholds: one documented configuration with shipped defaults.

A bureau overrides any of them under ``thresholds:`` in its data file. The template
turns the *codes* computed here (``risk``, ``low``, ``normal``, ``high``, ``excess``)
into words; no threshold is written into a sentence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field


class MonthsBand(BaseModel):
    """可支付月数判断区间（个月）：低于 risk_below 为支付风险，低于 low_below 为偏低，
    高于 high_above 为偏多，高于 excess_above 为过多。不填的界限不作判断。"""

    model_config = ConfigDict(extra="forbid")

    risk_below: Optional[Decimal] = Field(None, description="低于此月数：存在支付风险")
    low_below: Optional[Decimal] = Field(None, description="低于此月数：支撑能力偏弱")
    high_above: Optional[Decimal] = Field(None, description="高于此月数：结余偏多")
    excess_above: Optional[Decimal] = Field(None, description="高于此月数：结余过多")

    def judge(self, months: Optional[Decimal]) -> Optional[str]:
        """The band code of a months-payable figure, or None when it cannot be judged."""
        if months is None:
            return None
        if self.risk_below is not None and months < self.risk_below:
            return "risk"
        if self.low_below is not None and months < self.low_below:
            return "low"
        if self.excess_above is not None and months > self.excess_above:
            return "excess"
        if self.high_above is not None and months > self.high_above:
            return "high"
        return "normal"


def _band(**bounds: int) -> MonthsBand:
    return MonthsBand(**{key: Decimal(value) for key, value in bounds.items()})


DEFAULT_MONTHS = {
    "enterprise_pension": _band(risk_below=2),
    "public_pension": _band(risk_below=2),
    "resident_pension": _band(risk_below=2),
    "employee_medical": _band(risk_below=3, low_below=6, high_above=9, excess_above=15),
    "resident_medical": _band(risk_below=3, low_below=6, high_above=9, excess_above=15),
    "work_injury": _band(high_above=18, excess_above=24),
    "unemployment": _band(high_above=12, excess_above=24),
    "maternity": _band(risk_below=3),
}


class Thresholds(BaseModel):
    """判断阈值。数据文件中 thresholds: 下可覆盖任一项。"""

    model_config = ConfigDict(extra="forbid")

    months_payable: dict[str, MonthsBand] = Field(
        default_factory=lambda: dict(DEFAULT_MONTHS),
        description="各基金可支付月数区间，键为基金名称（中文）或内部键")
    execution_low: Decimal = Field(Decimal(90), description="执行率低于此值（%）视为明显偏低")
    execution_high: Decimal = Field(Decimal(110), description="执行率高于此值（%）视为明显超预算")
    execution_impossible: Decimal = Field(Decimal(200), description="执行率高于此值（%）视为不可能，报错")
    growth_band: Decimal = Field(Decimal(50), description="增幅绝对值超过此值（%）提示核实")
    magnitude_factors: list[int] = Field(default_factory=lambda: [10, 100, 10000],
                                         description="本年与上年/预算之比接近这些倍数时提示单位错误")
    magnitude_tolerance: Decimal = Field(Decimal("0.15"), description="倍数接近的相对容差")

    def months_band(self, fund_key: str, fund_name: str) -> MonthsBand:
        from .funds import resolve_fund

        for key, band in self.months_payable.items():
            kind = resolve_fund(key)
            if key == fund_key or (kind is not None and kind.key == fund_key) or key == fund_name:
                return band
        return MonthsBand()
