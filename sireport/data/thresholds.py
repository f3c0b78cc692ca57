"""Judgement thresholds: one documented configuration with shipped defaults.

A bureau overrides any of them under ``thresholds:`` in its data file. The template
turns the *codes* computed here (``risk``, ``low``, ``normal``, ``high``, ``excess``)
into words; no threshold is written into a sentence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from pydantic import Field, field_validator

from sireport.data.funds import resolve_fund
from sireport.data.strict import Strict
from sireport.data.types import Whole


class MonthsBand(Strict):
    """可支付月数判断区间（个月）：低于 risk_below 为支付风险，低于 low_below 为偏低，
    高于 high_above 为偏多，高于 excess_above 为过多。不填的界限不作判断。"""

    risk_below: Optional[Decimal] = Field(None, description="低于此月数：存在支付风险")
    low_below: Optional[Decimal] = Field(None, description="低于此月数：支撑能力偏弱")
    high_above: Optional[Decimal] = Field(None, description="高于此月数：结余偏多")
    excess_above: Optional[Decimal] = Field(None, description="高于此月数：结余过多")

    def judge(self, months: Optional[Decimal]) -> Optional[str]:
        """The band code of a months-payable figure, or None when it cannot be judged."""
        if months is None:
            return None
        if months <= 0:
            return "risk"  # nothing or less left to pay with is a payment risk for every fund, whatever its bounds
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


class Thresholds(Strict):
    """判断阈值。数据文件中 thresholds: 下可覆盖任一项。"""

    months_payable: dict[str, MonthsBand] = Field(
        default_factory=lambda: dict(DEFAULT_MONTHS),
        description="各基金可支付月数区间，键为基金名称（中文）或内部键")
    execution_low: Decimal = Field(Decimal(90), description="执行率低于此值（%）视为明显偏低")
    execution_high: Decimal = Field(Decimal(110), description="执行率高于此值（%）视为明显超预算")
    execution_impossible: Decimal = Field(Decimal(200), description="执行率高于此值（%）视为不可能，报错")
    growth_band: Decimal = Field(Decimal(50), description="增幅绝对值超过此值（%）提示核实")
    magnitude_factors: list[Whole] = Field(default_factory=lambda: [10, 100, 10000, 100000000],
                                         description="本年与上年/预算之比接近这些倍数时提示单位错误")
    magnitude_tolerance: Decimal = Field(Decimal("0.15"), description="倍数接近的相对容差")
    magnitude_error_from: Whole = Field(10000, description="倍数达到此值（如 10000：万元与元混淆）时报错，较小的倍数只警告")
    magnitude_min: Decimal = Field(Decimal(10), description="两数中较大者小于此值时不作倍数判断（小额项目的正常波动）")
    rounding_slack: Decimal = Field(Decimal("0.5"), description="尾差容差：每个参与运算的数最多相差其末位的这么多个单位")
    copy_min_figures: Whole = Field(2, ge=1, description="两项基金收入或支出合计相同、且相同的非零本年数达到此个数时，视为复制粘贴")
    severity: dict[str, Literal["error", "warning", "info", "off"]] = Field(
        default_factory=dict,
        description="按规则代码调整检查结果的级别，如 {copies.block: error}；off 为不检查（见 docs/检查规则.md）")

    @field_validator("months_payable")
    @classmethod
    def _keep_other_defaults(cls, bands: dict[str, MonthsBand]) -> dict[str, MonthsBand]:
        """Overriding one fund, or one bound of it, keeps the shipped values of the rest."""
        merged = dict(DEFAULT_MONTHS)
        for name, band in bands.items():
            kind = resolve_fund(name)
            key = kind.key if kind is not None else name
            merged[key] = merged.get(key, MonthsBand()).model_copy(update=band.model_dump(exclude_unset=True))
        return merged

    def execution_band(self, shown: Decimal) -> Optional[str]:
        """``low`` or ``high`` when an execution rate (%, as shown: rounded to the report's
        decimals) is outside execution_low～execution_high, else None. The check
        ``execution.band`` and the 汇总表's fills judge by this one rule."""
        if shown < self.execution_low:
            return "low"
        if shown > self.execution_high:
            return "high"
        return None

    def months_band(self, fund_key: str, fund_name: str) -> MonthsBand:
        for key, band in self.months_payable.items():
            kind = resolve_fund(key)
            if key in (fund_key, fund_name) or (kind is not None and kind.key == fund_key):
                return band
        return MonthsBand()
