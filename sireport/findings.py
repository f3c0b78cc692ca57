"""One finding about the data: what ``check`` lists, what a render prints as a warning, what
the 问题清单 workbook shows. Every rule family (sireport.checks) and the 绩效自评表
(sireport.figures.evaluation) report through this one type; docs/检查规则.md lists the codes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sireport.errors import Problem, path_of, place_of

LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
RANK = {"error": 0, "warning": 1, "info": 2}

# The Chinese name of every rule code, as the 问题清单 shows it to a clerk (the code itself
# is for programs: --format json, --verbose). A test keeps it complete: every code any rule
# can emit (sireport.checks, the 附表, the prose linter, audit, batch) has a name here.
NAMES: dict[str, str] = {
    "data.invalid": "数据无法读取或格式不符",
    "rounding": "尾差",
    "sum.missing": "合计数缺失",
    "sum.items_over": "合计小于各项目之和",
    "sum.items_under": "合计大于各项目之和",
    "sum.parts_over": "明细之和大于项目",
    "sum.parts_under": "明细之和小于项目",
    "sum.part_over_whole": "部分大于整体",
    "sum.subtotal": "小计与合计减上下级往来不符",
    "sum.treatment": "待遇支出与各项目之和不符",
    "sum.balance_parts": "结余组成之和不符",
    "sum.totals": "合计栏与各基金之和不符",
    "balance.current": "当期结余不符",
    "balance.cumulative": "滚存结余不符",
    "stated.change": "写明的增减额不符",
    "stated.growth": "写明的增幅不符",
    "stated.execution": "写明的执行率不符",
    "stated.inconsistent": "几处写明的数不一致",
    "stated.line": "写明数所指的行不存在",
    "people.repeated": "人数重复且不同",
    "people.parts": "人数明细之和大于总数",
    "people.per_capita": "人均待遇相差过大",
    "magnitude.unit": "单位混淆（约差一万倍）",
    "magnitude.factor": "数量级可疑（约差十倍、百倍）",
    "execution.impossible": "预算执行率不可能",
    "execution.band": "预算执行率超出合理区间",
    "growth.band": "增幅过大",
    "negative.amount": "金额为负数",
    "negative.people": "人数为负数",
    "months.band": "可支付月数超出区间",
    "copies.block": "疑为复制了另一项基金的数字",
    "copies.title": "基金标题与数字不符",
    "targets.unmet": "目标未完成且未说明原因",
    "template.missing": "模板所需字段未填写",
    "units.sum": "汇总数与下级单位之和不符",
    "units.fund_missing": "基金在汇总与下级单位间缺失",
    "units.year": "下级单位年度不同",
    "rollup.partial": "部分单位缺数未汇总",
    "evaluation.error": "绩效自评表有误",
    "evaluation.no_reason": "未填写偏差原因",
    "evaluation.no_actual": "未填写实际完成值",
    "evaluation.stated_rate": "自评表写明的执行率不符",
    "evaluation.stated_score": "自评表写明的得分不符",
    "evaluation.stated_total": "自评表写明的总分不符",
    "prose.signed": "比较句中带负号",
    "prose.empty_figure": "句中缺少数字",
    "prose.punctuation": "标点重复或为空",
    "prose.latin": "正文中的半角标点",
    "prose.literal": "正文中的程序字样",
    "prose.repeated_word": "词语重复",
    "prose.repeated_figure": "数字重复",
    "prose.empty_heading": "空标题",
    "prose.contradiction": "判断与数字矛盾",
    "audit.change": "增减额与数字不符",
    "audit.growth": "增幅与数字不符",
    "audit.execution": "执行率与数字不符",
    "audit.share": "占比与数字不符",
    "audit.balance": "结余与数字不符",
    "audit.months": "可支付月数与数字不符",
    "audit.items": "项目之和与合计不符",
    "audit.total": "合计与各项之和不符",
    "audit.score": "得分与数字不符",
    "audit.mismatch": "同一数字前后不一致",
    "audit.unit": "计量单位写错",
    "audit.unit_repeated": "计量单位重复",
    "audit.per_capita": "人均数与数字不符",
    "audit.copied": "疑为复制的段落",
    "audit.heading": "标题有误",
    "audit.data": "与数据文件不符",
    "batch.duplicate": "单位重名",
    "batch.copied": "疑为复制了其他单位的工作簿",
    "batch.year": "年度与本批不同",
    "unit.failed": "未生成报告",
    "unit.error": "生成报告时出错",
}


@dataclass
class Finding:
    """One thing found: rule code, severity, place, Chinese message, the two values compared."""

    code: str
    severity: str  # 'error' | 'warning' | 'info'
    where: str
    message: str
    expected: str | None = None
    found: str | None = None

    @property
    def label(self) -> str:
        """错误 / 警告 / 提示"""
        return LABELS[self.severity]

    @property
    def rule(self) -> str:
        """The rule's Chinese name (:data:`NAMES`); the code itself when it has none."""
        return NAMES.get(self.code, self.code)

    @property
    def place(self) -> str:
        """Where a clerk finds it: file:line:column or sheet!cell, without the key path."""
        return place_of(self.where)

    @property
    def path(self) -> str:
        """The key path of the data (``funds[失业保险].income_total.actual``), if known."""
        return path_of(self.where)

    def as_dict(self) -> dict:
        return {**asdict(self), "where": str(self.where), "label": self.label, "place": self.place,
                "path": self.path}

    def said(self) -> str:
        """``message（应为 …，实际 …）``: the clerk's line, no rule code."""
        values = []
        if self.expected is not None:
            values.append(f"应为{self.expected}")
        if self.found is not None:
            values.append(f"实际{self.found}")
        tail = f"（{'，'.join(values)}）" if values else ""
        return f"{self.message}{tail}"

    def detail(self) -> str:
        """``[code] message（应为 …，实际 …）``"""
        return f"[{self.code}] {self.said()}"

    def located(self, verbose: bool = False) -> str:
        """``place：message…``; verbose: ``place（key path）：[code] message…``."""
        return f"{self.where}：{self.detail()}" if verbose else f"{self.place}：{self.said()}"

    def text(self, verbose: bool = False) -> str:
        """``错误 place：message…``; verbose adds the key path and the rule code."""
        return f"{self.label} {self.located(verbose)}"

    def problem(self) -> Problem:
        """This finding as a Problem of an error (the code kept for --verbose)."""
        return Problem(self.where, self.said(), self.code, self.label)

    def __str__(self) -> str:  # the full form, for logs and programs; the CLI shows text(verbose=False)
        return self.text(verbose=True)
