"""The data format: one unit's year of social insurance fund accounts.

This module is the reference of the format. Every field has a Chinese description;
``sireport schema`` prints the JSON Schema built from these models and
``docs/数据格式.md`` is tested against it. Amounts are ``Decimal`` (万元 unless
``report.amount_unit`` says 元); nothing here computes or formats.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from sireport.data.evaluation_model import Evaluation
from sireport.data.figure import AMOUNT_UNITS, PERCENT_UNITS, Figure, StatedFigure, in_wan
from sireport.data.funds import fund_name_pattern, resolve_fund, valid_fund_names
from sireport.data.strict import Strict
from sireport.data.thresholds import Thresholds
from sireport.data.types import Day, Flag, Whole

Amount = Optional[Decimal]

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_FOLD_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def _join_folded_lines(text: str) -> str:
    """Drop spaces between Chinese characters: YAML's folded style (>) joins lines with a space."""
    return _FOLD_SPACE.sub("", text)


Prose = Annotated[str, AfterValidator(_join_folded_lines)]


class Stated(Strict):
    """报告原文中写明的增减额、增幅、执行率（仅供 check 核对，渲染时一律使用计算值）。

    照原文写，连同原文的小数位数和单位：如 1.19亿元、-108、99.17、103.20%；核对时把计算值换算到
    写明的单位、四舍五入到写明的小数位数，与写明的数相同即为一致。"""

    change: Optional[StatedFigure] = Field(None, description="原文写明的增减额，可带单位：元、万元、亿元（不带时为数据的金额单位），如 1.19亿元")
    growth: Optional[StatedFigure] = Field(None, description="原文写明的增幅（%），如 5.29 或 5.29%")
    execution: Optional[StatedFigure] = Field(None, description="原文写明的预算执行率（%），如 99.39 或 103.20%")
    at: str = Field("", description="原文中写明这些数的位置，如“一（一）”“三（二）”“收支分析表”")

    @field_validator("change")
    @classmethod
    def _amount_unit(cls, figure: Optional[Figure]) -> Optional[Figure]:
        return _unit_in(figure, AMOUNT_UNITS)

    @field_validator("growth", "execution")
    @classmethod
    def _percent_unit(cls, figure: Optional[Figure]) -> Optional[Figure]:
        return _unit_in(figure, PERCENT_UNITS)


class Statement(Stated):
    """同一行数字在原文另一处写明的增减额、增幅、执行率。原文在几处写明同一行数字（如一（一）和三（二）、
    正文和收支分析表）时，第一处写在该行的 stated 中，其余各处逐条写在这里，每条注明位置（at）；
    check 逐条核对，并指出各处所述不一致的地方。"""

    line: str = Field(description="哪一行数字，写法同附表的 from：funds[失业保险].expense（基金支出）、"
                      "funds[企业职工基本养老保险].income_sub（收入小计）、funds[失业保险].expense_items[失业保险金支出]、"
                      "totals.income（合计收入）、totals.expense_sub、totals.treatment")


def _unit_in(figure: Optional[Figure], units: dict) -> Optional[Figure]:
    if figure is not None and figure.unit and figure.unit not in units:
        raise ValueError(f"unit:{figure.unit}:{'、'.join(units)}")
    return figure


class Amounts(Strict):
    """一行数字：本年决算数、上年决算数、本年预算数。缺少的值留空，相关比较自动省略。"""

    actual: Amount = Field(None, description="本年决算数（万元）")
    previous: Amount = Field(None, description="上年决算数（万元）")
    budget: Amount = Field(None, description="本年预算数（万元）")
    stated: Optional[Stated] = Field(None, description="原文写明的增减额、增幅、执行率，供核对")


class Item(Amounts):
    """一个收入或支出项目，按填写顺序出现在“其中：……”列举中。"""

    name: str = Field(description="项目名称，如“保险费收入”“基本养老金支出”")
    transfer: Optional[Flag] = Field(
        None, description="是否上下级往来（不计入小计）；不填时按名称判断：下级上解收入、"
        "上级补助收入、补助下级支出、上解上级支出")
    treatment: Optional[Flag] = Field(
        None, description="是否待遇支出；不填时按名称判断（含“待遇”“养老金”“医疗”等）")
    keep_zero: Flag = Field(False, description="本年数为0时是否仍在列举中写出")
    parts: list[Item] = Field(default_factory=list, description="明细（如待遇支出的组成部分）")


class BalancePart(Strict):
    """滚存结余的一个组成部分。"""

    name: str = Field(description="名称，如“基础养老金”")
    amount: Decimal = Field(description="金额（万元）")


class Balance(Strict):
    """结余。填写的数会与计算值核对（check）。"""

    current: Amount = Field(None, description="本年当期结余（万元）；不填时=收入合计−支出合计")
    cumulative: Amount = Field(None, description="年末滚存（累计）结余（万元）；不填时=上年滚存结余+当期结余")
    previous_cumulative: Amount = Field(None, description="上年末滚存结余（万元）")
    pooled: str = Field("", description="结余由上级统筹管理时填写统筹层级，如“州级”“自治区级”；"
                        "填写后报告写明统筹层级，不计算、不判断可支付月数")
    parts: list[BalancePart] = Field(
        default_factory=list, description="滚存结余的组成，如基础养老金结余、个人账户结余")


class MonthsBasis(Strict):
    """可支付月数的计算口径（如职工医保按统筹基金）。不填时用基金滚存结余和本年支出合计。"""

    name: str = Field("", description="口径名称，如“统筹基金”")
    balance: Decimal = Field(description="用于计算的结余（万元）")
    expense: Decimal = Field(description="用于计算的年度支出（万元）")


class StatedPeople(Strict):
    """原文对这项人数的写法，仅供 check 核对：所用单位与 unit 不同时（如原文写作“687万名”）写明单位；
    原文写明的人数增幅照原文写（如 3.36%）。"""

    actual_unit: Optional[str] = Field(None, description="原文本年人数的单位，如“万名”")
    previous_unit: Optional[str] = Field(None, description="原文上年人数的单位")
    target_unit: Optional[str] = Field(None, description="原文预算（目标）人数的单位")
    growth: Optional[StatedFigure] = Field(None, description="原文写明的人数增幅（%），如 3.36 或 3.36%")
    at: str = Field("", description="原文中写明这些数的位置，如“三（二）”")

    @field_validator("growth")
    @classmethod
    def _percent_unit(cls, figure: Optional[Figure]) -> Optional[Figure]:
        return _unit_in(figure, PERCENT_UNITS)


class People(Strict):
    """一项人数（享受待遇人数、参保人数等）。单位为万人、万名等时人数照原文写小数（如 2.40），否则为整数。"""

    model_config = ConfigDict(**Strict.model_config, json_schema_extra=lambda schema, _: schema.update(WHOLE_UNLESS_WAN))

    name: str = Field(description="名称，如“离退休人员”“领取失业保险金人员”")
    unit: str = Field("人", description="单位：人、人次、户，或万人、万名、万人次等（人数可带小数，照原文的小数位数）")
    actual: Optional[Decimal] = Field(None, description="本年人数")
    previous: Optional[Decimal] = Field(None, description="上年人数")
    target: Optional[Decimal] = Field(None, description="预算（目标）人数")
    per_capita_item: Optional[str] = Field(
        None, description="计算人均月待遇所用的支出项目名称（须为本基金支出项目之一）")
    per_capita_label: str = Field("", description="写明的人均待遇的名称，如“领取失业金”，报告写作“人均月领取失业金960.13元”")
    per_capita_actual: Amount = Field(None, description="写明的本年人均待遇（元，按 per_capita_period 每月或每年）")
    per_capita_budget: Amount = Field(None, description="写明的预算人均待遇（元），写在绩效目标设定一段")
    per_capita_period: Literal["月", "年"] = Field("月", description="写明的人均待遇是每月（月）还是每年（年）")
    stated: Optional[StatedPeople] = Field(None, description="原文对人数的写法（单位、增幅），供核对")

    @field_validator("actual", "previous", "target")
    @classmethod
    def _whole_unless_wan(cls, value: Optional[Decimal], info: ValidationInfo) -> Optional[Decimal]:
        unit = info.data.get("unit", "人")
        if value is not None and not in_wan(unit) and value != value.to_integral_value():
            raise ValueError(f"people_whole:{unit}")
        return value


_WHOLE = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\s*[+-]?\d+(\.0*)?\s*$"}, {"type": "null"}]}
WHOLE_UNLESS_WAN = {  # the JSON Schema of _whole_unless_wan
    "if": {"required": ["unit"], "properties": {"unit": {"type": "string", "pattern": r"^\s*万"}}},
    "else": {"properties": {column: _WHOLE for column in ("actual", "previous", "target")}},
}


class Targets(Strict):
    """绩效目标（预期值）。不填的目标在报告中不出现。"""

    execution_rate: Amount = Field(Decimal(95), description="支出预算执行率目标（%，以上）")
    pay_day: Optional[Whole] = Field(None, description="每月几日前足额发放待遇")
    accuracy: Amount = Field(None, description="首次待遇发放准确率目标（%，以上）")
    satisfaction: Amount = Field(None, description="参保群众满意率目标（%，以上）")
    settlement_days: Optional[Whole] = Field(None, description="业务申报后几个工作日内完成结算拨付")


def _comparable(value: object) -> object:
    """An achieved value written as text ("99%以上", "不超过20个工作日") must hold a number to compare."""
    if isinstance(value, str) and not re.search(r"\d", value):
        raise ValueError("achieved_text")
    return value


def _number_text(value: object) -> object:
    """A bare number written as text (a workbook cell, a quoted YAML value) is that number."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
        return Decimal(value.strip())
    return value


def _whole_days(value: object) -> object:
    return int(value) if isinstance(value, Decimal) and value == value.to_integral_value() else value


_WITH_DIGIT = {"type": "string", "pattern": "[0-9]"}
Comparable = Annotated[Optional[Union[Decimal, str]], BeforeValidator(_number_text), AfterValidator(_comparable),
                       WithJsonSchema({"anyOf": [{"type": "number"}, _WITH_DIGIT, {"type": "null"}]})]
Days = Annotated[Optional[Union[Whole, str]], BeforeValidator(lambda v: _whole_days(_number_text(v))),
                 AfterValidator(_comparable), WithJsonSchema({"anyOf": [{"type": "integer"}, _WITH_DIGIT, {"type": "null"}]})]


class Achieved(Strict):
    """绩效目标的实际完成值：数字，或带比较词的文字（如“99%以上”“不超过20个工作日”），报告照原样写出。"""

    pay_day: Days = Field(None, description="实际每月几日前足额发放（数字，或如“25日前”）")
    accuracy: Comparable = Field(None, description="实际首次发放准确率（%；数字，或如“99%以上”）")
    satisfaction: Comparable = Field(None, description="实际满意率（%；数字，或如“95%以上”）")
    settlement_days: Days = Field(None, description="实际结算拨付工作日数（数字，或如“不超过20个工作日”）")


class PensionAdjustment(Strict):
    """养老金调整。"""

    monthly_increase: Decimal = Field(description="人均月增加养老金（元）")
    rate: Amount = Field(None, description="调整幅度（%）")


class FundText(Strict):
    """一个基金的文字部分（可多段，空行分段）。"""

    budget_items: Prose = Field("", description="一（二）中预算支出的主要内容补充说明")
    reasons: Prose = Field("", description="二 中收支变动的主要原因")
    capacity: Prose = Field("", description="二 中对基金支撑能力的补充说明")
    management: Prose = Field("", description="三（一）社会保险管理情况")
    performance: Prose = Field("", description="三（二）绩效目标完成情况的补充说明")
    unmet: Prose = Field("", description="三（三）本基金绩效目标未完成的原因；有未完成的目标而不填时，报告中留待填写的标记，check 提示")


class Fund(Strict):
    """一项社会保险基金的年度收支、结余、人数、目标和文字。"""

    name: str = Field(description="基金名称（中文），如“企业职工基本养老保险”；可用常见简称",
                      json_schema_extra={"pattern": fund_name_pattern(), "examples": valid_fund_names()})
    title: Optional[str] = Field(None, description="报告中使用的名称（不填时用标准全称）")
    short_title: Optional[str] = Field(None, description="收支分析表列标题（不填时用标准简称）")
    in_totals: Flag = Field(True, description="是否计入总体情况和收支分析表（如医保基金由医保局另行报告时填 false）")
    income: list[Item] = Field(default_factory=list, description="收入项目，按报告中列举顺序")
    expense: list[Item] = Field(default_factory=list, description="支出项目，按报告中列举顺序")
    income_total: Optional[Amounts] = Field(None, description="基金收入合计（填写时优先使用，并与项目之和核对）")
    expense_total: Optional[Amounts] = Field(None, description="基金支出合计（同上）")
    income_subtotal: Optional[Amounts] = Field(None, description="收入小计（不含上下级往来）")
    expense_subtotal: Optional[Amounts] = Field(None, description="支出小计（不含上下级往来）")
    treatment_total: Optional[Amounts] = Field(None, description="待遇支出（不填时为标记为待遇支出的项目之和）")
    balance: Balance = Field(default_factory=Balance, description="结余")
    months_basis: Optional[MonthsBasis] = Field(None, description="可支付月数口径（不填时用滚存结余/本年支出合计）")
    people: list[People] = Field(default_factory=list, description="人数")
    targets: Targets = Field(default_factory=Targets, description="绩效目标")
    achieved: Achieved = Field(default_factory=Achieved, description="绩效目标实际完成值")
    pension_adjustment: Optional[PensionAdjustment] = Field(None, description="养老金调整（养老保险）")
    text: FundText = Field(default_factory=FundText, description="文字部分")

    @field_validator("name")
    @classmethod
    def _known_fund(cls, value: str) -> str:
        if resolve_fund(value) is None:
            raise ValueError("unknown_fund")
        return value


class Cover(Strict):
    """封面（填写时生成封面页）。"""

    project_name: str = Field("社会保险基金", description="项目名称")
    implementing_unit: str = Field(description="实施单位（公章）")
    competent_department: str = Field(description="主管部门（公章）")
    responsible_person: str = Field("", description="负责人（签章）")
    fill_date: Optional[Day] = Field(None, description="填报时间，如 2020-09-10")


class Settings(Strict):
    """报告设置。"""

    unit: str = Field(description="单位（地区）名称，如“哈密市”“和静县”")
    prefecture: str = Field("", description="上级地区前缀，如“巴州”，用于标题")
    year: Whole = Field(ge=1990, le=2100, description="报告年度，如 2019")
    amount_unit: Literal["万元", "元"] = Field("万元", description="数据文件中金额的单位；元会换算为万元")
    prose_unit: Literal["万元", "亿元"] = Field("万元", description="正文中金额使用的单位（总体情况和各基金段落）")
    fund_unit: Optional[Literal["万元", "亿元"]] = Field(
        None, description="各基金段落中金额使用的单位；不填时与 prose_unit 相同")
    yi_from: Decimal = Field(Decimal(10000), ge=0, description="各基金段落以亿元表述时，绝对值小于此数（万元）的金额仍写作万元，"
                             "如劳动能力鉴定费“13万元”而不是“0.00亿元”；填 0 则全部写作亿元")
    people_unit: Literal["人", "万人"] = Field("人", description="正文中人数的写法：人，或达到 people_wan_from 时写作万人（万人次）")
    people_wan_from: Whole = Field(10000, ge=1, description="people_unit 为万人时，人数达到此值才写作万人")
    people_decimals: Whole = Field(2, ge=0, le=4, description="以万人表述的人数的小数位数")
    per_capita: Flag = Field(True, description="是否写出人均待遇句（数据写明或可计算时）")
    budget_in_execution: Flag = Field(False, description="执行率句是否写出预算数，如“完成全年预算11.48亿元的98.06%”")
    item_mark: Literal[".", "．", "、"] = Field(".", description="三级标题序号后的符号：1. 或 1． 或 1、（其后不留空格）")
    empty_sections: Literal["无", "省略"] = Field(
        "无", description="只有文字的部分（管理情况、后续工作计划、经验做法、存在问题、其他）没有填写时：写“无。”，"
                         "或连同标题省略（汇总生成的地区数据用“省略”）")
    amount_decimals: Whole = Field(0, ge=0, le=4, description="万元金额显示的小数位数")
    yi_decimals: Whole = Field(2, ge=0, le=4, description="亿元金额显示的小数位数")
    percent_decimals: Whole = Field(2, ge=0, le=4, description="百分比显示的小数位数")
    thousands_separator: Flag = Field(False, description="表格金额是否使用千位分隔符（正文从不使用）")
    date: Optional[Day] = Field(None, description="报告日期")
    cover: Optional[Cover] = Field(None, description="封面；不填则不生成封面页")


class ReportText(Strict):
    """全报告的文字部分（可多段，空行分段）；不填的部分按模板处理（省略或写“无”）。"""

    opening: Prose = Field("", description="开篇段落（报告最前）")
    overview: Prose = Field("", description="一（一）总体情况的开头段落")
    targets: Prose = Field("", description="一（二）绩效目标设定情况的总体说明")
    management: Prose = Field("", description="三（一）社会保险管理情况的总体说明")
    performance: Prose = Field("", description="三（二）绩效目标完成情况的总体说明")
    unmet: Prose = Field("", description="三（三）绩效目标未完成原因分析的总体说明；没有未完成的目标且不填时写“无”")
    plans: Prose = Field("", description="四（一）后续工作计划")
    experience: Prose = Field("", description="四（二）主要经验及做法")
    problems: Prose = Field("", description="存在问题和建议")
    other: Prose = Field("", description="四（三）其他；不填写“无”")


class ReportTotals(Strict):
    """合计（各项基金之和）。填写时优先使用，并与各基金之和核对（check）；不填时自动求和。"""

    income_total: Optional[Amounts] = Field(None, description="基金收入合计")
    expense_total: Optional[Amounts] = Field(None, description="基金支出合计")
    income_subtotal: Optional[Amounts] = Field(None, description="收入小计（不含上下级往来）")
    expense_subtotal: Optional[Amounts] = Field(None, description="支出小计（不含上下级往来）")
    treatment_total: Optional[Amounts] = Field(None, description="待遇支出合计")
    current_balance: Amount = Field(None, description="当期结余合计（万元）")
    cumulative_balance: Amount = Field(None, description="滚存结余合计（万元）")


class Report(Strict):
    """一个单位一个年度的数据文件（YAML 或 JSON，结构相同）。"""

    report: Settings = Field(description="报告设置")
    funds: Annotated[list[Fund], Field(min_length=1)] = Field(description="各项基金，按报告中的顺序")
    totals: ReportTotals = Field(default_factory=ReportTotals, description="合计（可不填，自动求和）")
    text: ReportText = Field(default_factory=ReportText, description="全报告文字部分")
    thresholds: Thresholds = Field(default_factory=Thresholds, description="判断阈值的覆盖（见 docs/阈值配置.md）")
    statements: list[Statement] = Field(
        default_factory=list, description="同一行数字在原文其他位置的写法（一行数字在原文几处写明时填写），供 check 核对")
    evaluation: Optional[Evaluation] = Field(None, description="五、附表：绩效自评表（见 docs/评分规则.md）；不填则报告到第四部分为止")

    @field_validator("funds")
    @classmethod
    def _no_duplicate_fund(cls, funds: list[Fund]) -> list[Fund]:
        seen: dict[str, str] = {}
        for fund in funds:
            kind = resolve_fund(fund.name)
            if kind is not None and kind.key in seen:
                raise ValueError(f"duplicate_fund:{fund.name}:{seen[kind.key]}")
            if kind is not None:
                seen[kind.key] = fund.name
        return funds


def fund_names_hint() -> str:
    return "、".join(valid_fund_names())
