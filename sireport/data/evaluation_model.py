"""The data format of the self-evaluation table (绩效自评表, docs/评分规则.md).

Two uses share these models: the optional ``evaluation:`` section of a fund report
(part 五、附表) and the stand-alone project table file whose root key is ``project:``
(项目支出绩效自评表). Nothing here parses a target or computes a score: that is
:mod:`sireport.figures.targets` and :mod:`sireport.figures.scoring`; :mod:`sireport.figures.evaluation` joins them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from pydantic import BeforeValidator, Field

from sireport.data.strict import Strict
from sireport.data.types import Flag, Whole

Grade = Literal["达成", "部分达成", "未达成"]


def _as_text(value: object) -> object:
    """A number written without quotes (96, 99.5) is kept as the text the clerk typed."""
    if isinstance(value, bool):
        return value  # rejected by the str validator
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return value


Value = Annotated[str, BeforeValidator(_as_text, json_schema_input_type=Union[str, float])]


class Indicator(Strict):
    """一个三级指标（表中一行）。"""

    name: str = Field(description="三级指标名称")
    target: Value = Field(description="指标值（年度指标值），如“≥95%”“≤1%”“≥90%或≤110%”“6-9个月”“282万人”"
                          "或文字；以比较符号开头的必须能解析（规则见 docs/评分规则.md）")
    actual: Optional[Value] = Field(None, description="实际完成值，如“96%”“323.18万人”或文字；"
                                    "填写 from 时可不填（同时填写则以此为准，须写明 override_reason）")
    source: Optional[str] = Field(
        None, alias="from", description="从基金数据取实际完成值，如 funds[企业职工基本养老保险].expense.execution"
        "（支出预算执行率%）或 funds[失业保险].people[领取失业保险金人员].actual（人数）")
    override_reason: str = Field("", description="同时填写 actual 和 from 时，改用 actual 的原因")
    unit: str = Field("", description="单位（指标值和实际完成值中未写单位时使用），如“%”“人”“个月”")
    kind: Optional[Literal["定量", "定性"]] = Field(
        None, description="指标类型；不填时自动判断（能解析为数值条件的为定量，其余为定性）")
    weight: Optional[Decimal] = Field(None, ge=0, description="分值；表内任一指标填写分值即按评分表处理，各项须都填写且合计 100")
    grade: Optional[Grade] = Field(None, description="定性评价：达成（80%–100%分值）、部分达成（60%–80%）、未达成（0–60%）")
    score: Optional[Decimal] = Field(None, ge=0, description="定性指标的得分（须在评价等级对应区间内）；达成且不填时为满分")
    reason: str = Field("", description="偏差原因分析及改进措施（未完全达到目标时必填）")
    stated_score: Optional[Decimal] = Field(None, description="原文写明的得分（仅供核对，渲染使用计算值）")


class SecondLevel(Strict):
    """二级指标（如数量指标、质量指标、时效指标、社会效益指标、满意度指标）。"""

    name: str = Field(description="二级指标名称")
    indicators: Annotated[list[Indicator], Field(min_length=1)] = Field(description="三级指标")


class FirstLevel(Strict):
    """一级指标（如产出指标、效益指标、满意度指标）。"""

    name: str = Field(description="一级指标名称")
    groups: Annotated[list[SecondLevel], Field(min_length=1)] = Field(description="二级指标")


class MoneyRow(Strict):
    """项目资金的一行（万元）。"""

    name: str = Field("年度资金总额", description="行名称，如“年度资金总额”“当年财政拨款”“上年结转资金”")
    initial: Optional[Decimal] = Field(None, description="年初预算数（万元）")
    budget: Optional[Decimal] = Field(None, description="全年预算数（万元）")
    executed: Optional[Decimal] = Field(None, description="全年执行数（万元）")
    stated_rate: Optional[Decimal] = Field(None, description="原文写明的执行率（%，仅供核对）")


class ProjectMoney(Strict):
    """项目资金：年度资金总额及其中各行；总额行按 预算执行率 = 全年执行数 / 全年预算数 评分。"""

    total: MoneyRow = Field(default_factory=MoneyRow, description="年度资金总额")
    parts: list[MoneyRow] = Field(default_factory=list, description="其中各行，如当年财政拨款、上年结转资金、其他资金")
    weight: Optional[Decimal] = Field(None, ge=0, description="预算执行率的分值（通常 10）；不填则不评分")
    stated_score: Optional[Decimal] = Field(None, description="原文写明的预算执行率得分（仅供核对）")


class Goals(Strict):
    """年度总体目标。"""

    expected: str = Field("", description="预期目标")
    actual: str = Field("", description="实际完成情况")


class EvaluationSettings(Strict):
    """评分设置。"""

    percent_decimals: Optional[Whole] = Field(None, ge=0, le=4, description="执行率显示的小数位数（不填时：报告附表用报告设置，项目表为 2）")
    round_rate_first: Flag = Field(False, description="先把执行率四舍五入到显示的小数位数再计算得分（如 144.5/150 显示 96% 得 9.6 分）")
    show_scores: Optional[Flag] = Field(None, description="是否显示分值、得分列；不填时有分值即显示")


class Evaluation(Strict):
    """绩效自评表（报告的“五、附表”或单独的项目支出绩效自评表）。"""

    title: str = Field("", description="表标题；不填时自动生成，如“和静县2019年社会保险支出绩效自评表”")
    project_name: str = Field("社会保险基金支出", description="项目名称")
    budget_unit: str = Field("", description="预算单位（和静县样式）；不填时用报告单位")
    department: str = Field("", description="主管部门")
    implementing_unit: str = Field("", description="实施单位")
    money: ProjectMoney = Field(default_factory=ProjectMoney, description="项目资金（万元）")
    goals: Goals = Field(default_factory=Goals, description="年度总体目标")
    indicators: Annotated[list[FirstLevel], Field(min_length=1)] = Field(description="绩效指标（一级 > 二级 > 三级）")
    settings: EvaluationSettings = Field(default_factory=EvaluationSettings, description="评分设置")
    stated_total: Optional[Decimal] = Field(None, description="原文写明的总分（仅供核对）")


class Project(Evaluation):
    """单独的项目支出绩效自评表。"""

    year: Whole = Field(ge=1990, le=2100, description="年度")
    project_name: str = Field(description="项目名称")


class ProjectFile(Strict):
    """项目支出绩效自评表数据文件（根键 project:）。"""

    project: Project = Field(description="项目支出绩效自评表")
