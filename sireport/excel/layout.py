"""The layout of the Excel entry workbook, derived from the data model.

Both :mod:`sireport.excel.write` (writing) and :mod:`sireport.excel.read` (reading) use
this one description, so the two cannot disagree. Sheets, columns, labels and help
texts come from the pydantic models (:mod:`sireport.data.model`) and their Chinese field
descriptions; :data:`PLAN` only says where the big parts go. A model field that no
sheet of the plan claims gets a place automatically: scalars and single sub-models of
a fund become columns of the 基金 sheet, lists become a sheet of their own, so a new
section of the model (for example performance indicators) appears in the workbook
without touching this module.

Sheet modes:

``fields``  one object, one row per field: 项目 | 值 | 说明 (with 基金 first when the
            object belongs to each fund).
``list``    one row per list entry (with 基金 first when the list belongs to each fund);
            ``tree`` names a recursive list (an item's ``parts``) filled through a
            所属项目 column.
``record``  one row per fund, columns from the fund's sub-objects.
``named``   per fund, one row per named sub-object (收入合计, 支出小计, …): 基金 | 行 | …
``keyed``   one row per entry of a mapping: 键 | …

A workbook holding several units has a 单位 column first on every sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sireport.data import model as model_module
from sireport.data.figure import Figure
from sireport.data.funds import resolve_fund
from sireport.data.labels import short_label
from sireport.data.model import Report

UNIT_HEADER = "单位"
FUND_HEADER = "基金"
ITEM_HEADER = "项目"
VALUE_HEADER = "值"
HELP_HEADER = "说明"
ROW_HEADER = "行"
KEY_HEADER = "键"
PARENT_HEADER = "所属项目"
IGNORED_SHEET_PREFIXES = ("说明", "备注")

# Short labels where a field's description is too long for a column header. Keyed by
# (model class name, field); looked up along the class hierarchy. "" = no prefix.
LABELS: dict[tuple[str, str], str] = {
    ("Amounts", "actual"): "本年",
    ("Amounts", "previous"): "上年",
    ("Amounts", "budget"): "预算",
    ("Amounts", "stated"): "",
    ("Stated", "change"): "原文增减额",
    ("Stated", "growth"): "原文增幅（%）",
    ("Stated", "execution"): "原文执行率（%）",
    ("Stated", "at"): "原文位置",
    ("Statement", "line"): "哪一行",
    ("Item", "name"): "项目名称",
    ("Item", "transfer"): "上下级往来",
    ("Item", "treatment"): "待遇支出",
    ("Item", "keep_zero"): "为0时列出",
    ("Fund", "name"): "基金",
    ("Fund", "title"): "报告中名称",
    ("Fund", "short_title"): "收支分析表列标题",
    ("Fund", "in_totals"): "计入合计",
    ("Fund", "balance"): "",
    ("Fund", "targets"): "",
    ("Fund", "achieved"): "",
    ("Fund", "months_basis"): "可支付月数口径",
    ("Fund", "pension_adjustment"): "养老金调整",
    ("Balance", "current"): "当期结余",
    ("Balance", "cumulative"): "滚存结余",
    ("Balance", "previous_cumulative"): "上年滚存结余",
    ("MonthsBasis", "name"): "口径名称",
    ("MonthsBasis", "balance"): "结余",
    ("MonthsBasis", "expense"): "年度支出",
    ("PensionAdjustment", "monthly_increase"): "人均月增加（元）",
    ("PensionAdjustment", "rate"): "调整幅度（%）",
    ("People", "name"): "名称",
    ("People", "actual"): "本年人数",
    ("People", "previous"): "上年人数",
    ("People", "target"): "目标人数",
    ("People", "unit"): "计量单位",
    ("People", "per_capita_item"): "人均待遇所用支出项目",
    ("BalancePart", "name"): "名称",
    ("BalancePart", "amount"): "金额",
    ("Targets", "execution_rate"): "执行率目标（%）",
    ("Targets", "pay_day"): "发放日目标（每月几日前）",
    ("Targets", "accuracy"): "准确率目标（%）",
    ("Targets", "satisfaction"): "满意率目标（%）",
    ("Targets", "settlement_days"): "结算工作日目标",
    ("Achieved", "pay_day"): "实际发放日",
    ("Achieved", "accuracy"): "实际准确率（%）",
    ("Achieved", "satisfaction"): "实际满意率（%）",
    ("Achieved", "settlement_days"): "实际结算工作日",
    ("FundText", "budget_items"): "预算支出主要内容",
    # the self-evaluation table (绩效自评表)
    ("Evaluation", "money"): "项目资金",
    ("Evaluation", "settings"): "评分设置",
    ("ProjectMoney", "total"): "年度资金总额",
    ("ProjectMoney", "weight"): "预算执行率分值",
    ("ProjectMoney", "stated_score"): "原文预算执行率得分",
    ("MoneyRow", "name"): "行名称",
    ("MoneyRow", "initial"): "年初预算数",
    ("MoneyRow", "budget"): "全年预算数",
    ("MoneyRow", "executed"): "全年执行数",
    ("MoneyRow", "stated_rate"): "原文执行率（%）",
    ("FirstLevel", "name"): "一级指标",
    ("SecondLevel", "name"): "二级指标",
    ("Indicator", "name"): "三级指标",
    ("Indicator", "target"): "指标值",
    ("Indicator", "actual"): "实际完成值",
    ("Indicator", "source"): "取数来源",
    ("Indicator", "override_reason"): "改用实际完成值的原因",
    ("Indicator", "unit"): "计量单位",
    ("Indicator", "kind"): "指标类型",
    ("Indicator", "weight"): "分值",
    ("Indicator", "grade"): "定性评价",
    ("Indicator", "score"): "得分",
    ("Indicator", "reason"): "偏差原因分析及改进措施",
    ("Indicator", "stated_score"): "原文得分",
    ("FundText", "reasons"): "收支变动原因",
    ("FundText", "capacity"): "基金支撑能力",
    ("FundText", "management"): "社会保险管理情况",
    ("FundText", "performance"): "绩效目标完成情况",
    ("Settings", "people_wan_from"): "写作万人的起点",
    ("People", "per_capita_actual"): "写明的本年人均待遇（元）",
    ("Settings", "empty_sections"): "没有填写的文字部分",
}

# Help texts for the workbook where the model's description (written for the data file)
# names keys such as ``prose_unit`` or ``from``: the clerk knows the workbook's Chinese labels.
HELPS: dict[tuple[str, str], str] = {
    ("Settings", "fund_unit"): "各基金段落中金额使用的单位；不填时与“正文中金额使用的单位”相同",
    ("Settings", "people_unit"): "正文中人数的写法：人，或人数达到“写作万人的起点”时写作万人（万人次）",
    ("Settings", "people_wan_from"): "“正文中人数的写法”为万人时，人数达到此值才写作万人",
    ("People", "per_capita_actual"): "写明的本年人均待遇（元），每月还是每年见“写明的人均待遇是每月（月）还是每年（年）”一列",
    ("FundText", "unmet"): "三（三）本基金绩效目标未完成的原因；有未完成的目标而不填时，报告中留有待填写的标记，检查时提示",
    ("Fund", "in_totals"): "是否计入总体情况和收支分析表（如医保基金由医保局另行报告时填“否”）",
    ("Thresholds", "severity"): "按规则代码调整检查结果的级别，一般不用填写（写法见 docs/检查规则.md）",
    ("Statement", "line"): "哪一行数字，写法同“绩效指标”表的取数来源：funds[失业保险].expense（基金支出）、"
                           "funds[企业职工基本养老保险].income_sub（收入小计）、funds[失业保险].expense_items[失业保险金支出]、"
                           "totals.income（合计收入）、totals.expense_sub（合计支出小计）、totals.treatment（合计待遇支出）",
    ("Indicator", "actual"): "实际完成值，如“96%”“323.18万人”或文字；填写了取数来源时可不填"
                             "（两者都填时以此为准，并须填写“改用实际完成值的原因”）",
    ("Indicator", "override_reason"): "同时填写实际完成值和取数来源时，改用实际完成值的原因",
}

# Labels of earlier workbooks, still read: old label -> current label (a header, or an item of a
# 项目 | 值 sheet). A workbook filled before a label changed keeps working without a word.
FORMER_LABELS: dict[str, str] = {
    "哪一行（写法同 from）": "哪一行",
    "取数来源（from）": "取数来源",
    "people_unit 为万人时": "写作万人的起点",
    "写明的本年人均待遇（元，按 per_capita_period 每月或每年）": "写明的本年人均待遇（元）",
    KEY_HEADER: FUND_HEADER,  # 可支付月数阈值 names its funds in a 基金 column
}

# People counts: numbers shown as entered (34962, or 2.40 when the unit is 万人), not as amounts.
COUNTS = {("People", column): "count" for column in ("actual", "previous", "target")}

# Numbers that cannot be negative (data validation ≥ 0 in the workbook).
NONNEGATIVE_MODELS = ("Item", "Amounts", "People", "Targets", "Achieved", "PensionAdjustment")


@dataclass(frozen=True)
class Column:
    """One value cell kind: where it goes in the object, its header and how to read it."""

    path: tuple[str, ...]
    label: str
    help: str
    kind: str  # decimal | count | int | bool | text | date | choice | list | figure (a stated figure, kept as text)
    choices: tuple[str, ...] = ()
    default: Any = None
    blank_is_none: bool = False  # optional with a non-empty default: a blank cell means "none"
    nonnegative: bool = False
    group: tuple[str, ...] = ()  # path of the optional sub-object this column belongs to
    long_text: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    mode: str  # fields | list | record | named | keyed
    path: tuple  # from the report root; "*" = every fund
    columns: tuple[Column, ...]
    help: str
    tree: Optional[str] = None
    named: tuple[tuple[str, str, str], ...] = ()  # (field, row label, help) for mode "named"
    levels: tuple[tuple[str, tuple[Column, ...]], ...] = ()  # mode "list": outer entries of nested lists

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return tuple(c for _, level in self.levels for c in level) + self.columns

    @property
    def per_fund(self) -> bool:
        return len(self.path) > 1 and self.path[0] == "funds" and self.path[1] == "*"

    @property
    def defines_funds(self) -> bool:
        return self.path == ("funds",)

    def key_headers(self) -> list[str]:
        """Headers before the value columns (not counting 单位)."""
        heads = [FUND_HEADER] if self.per_fund else []
        if self.mode == "fields":
            return heads + [ITEM_HEADER]
        if self.mode == "named":
            return heads + [ROW_HEADER]
        if self.mode == "keyed":
            return [FUND_HEADER if self.path in FUND_KEYED else KEY_HEADER]
        return heads

    def value_headers(self) -> list[str]:
        if self.mode == "fields":
            return [VALUE_HEADER]
        labels = [c.label for c in self.all_columns]
        if self.tree:  # after the columns of the entry itself, before optional sub-objects
            labels.insert(sum(1 for c in self.columns if not c.group), PARENT_HEADER)
        return labels

    def headers(self) -> list[str]:
        extra = [HELP_HEADER] if self.mode == "fields" else []
        return self.key_headers() + self.value_headers() + extra

    def column(self, label: str) -> Optional[Column]:
        """The column of a header or item label (also as an earlier workbook labelled it)."""
        return next((c for c in self.all_columns if c.label == label), None) or \
            next((c for c in self.all_columns if c.label == FORMER_LABELS.get(label)), None)

    def current(self, header: str) -> str:
        """A header as this sheet now names it: an earlier workbook's label is read as today's."""
        new = FORMER_LABELS.get(header)
        headers = self.headers()
        return new if new is not None and new in headers and header not in headers else header

    def shown_key(self, key: str) -> str:
        """A keyed sheet's key as the clerk reads it: a fund's Chinese name for fund keys."""
        kind = resolve_fund(key) if self.path in FUND_KEYED else None
        return kind.name if kind is not None else key


# ---------------------------------------------------------------------------- model walk

def _help(model: type[BaseModel], name: str) -> str:
    for cls in model.__mro__:
        if (cls.__name__, name) in HELPS:
            return HELPS[(cls.__name__, name)]
    return model.model_fields[name].description or ""


def _label(model: type[BaseModel], name: str) -> str:
    for cls in model.__mro__:
        if (cls.__name__, name) in LABELS:
            return LABELS[(cls.__name__, name)]
    return short_label(model.model_fields[name].description or name)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner annotation, optional?) with Optional/Annotated removed."""
    optional = False
    while True:
        if isinstance(annotation, (str, typing.ForwardRef)):  # list["BalancePart"]
            name = annotation if isinstance(annotation, str) else annotation.__forward_arg__
            annotation = eval(name, vars(model_module))  # noqa: S307 - our own model's annotation
            continue
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            numbers = [a for a in args if a in (Decimal, int)]
            # a number or a text with a comparator ("99%以上"): read as the number; a text passes through
            annotation = args[0] if len(args) == 1 else numbers[0] if numbers and str in args else str
            continue
        return annotation, optional


def shape(annotation: Any) -> tuple[str, Any, bool]:
    """Classify a field type: (kind, target model or choices, optional)."""
    inner, optional = _unwrap(annotation)
    origin = typing.get_origin(inner)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "model", inner, optional
    if origin is list:
        item, _ = _unwrap(typing.get_args(inner)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "list_model", item, optional
        return "list", None, optional
    if origin is dict:
        value, _ = _unwrap(typing.get_args(inner)[1])
        return ("dict_model", value, optional) if isinstance(value, type) and issubclass(value, BaseModel) \
            else ("mapping", None, optional)
    if origin is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(inner)), optional
    kinds = {Decimal: "decimal", int: "int", bool: "bool", str: "text", dt.date: "date", Figure: "figure"}
    return kinds.get(inner, "text"), None, optional


def _default(info: Any) -> Any:
    if info.default_factory is not None:
        return info.default_factory()
    return None if info.default is PydanticUndefined else info.default


@dataclass
class _Walk:
    columns: list[Column] = field(default_factory=list)
    children: list[tuple[tuple[str, ...], str, type[BaseModel]]] = field(default_factory=list)


def walk(model: type[BaseModel], skip: frozenset = frozenset(), prefix: tuple = (), label: str = "",
         group: tuple = (), out: Optional[_Walk] = None) -> _Walk:
    """Flatten ``model`` into columns; lists and mappings of models are returned as children."""
    out = out if out is not None else _Walk()
    names = list(model.model_fields)
    if "name" in names:
        names.remove("name")
        names.insert(0, "name")
    for name in names:
        path = (*prefix, name)
        if path in skip:
            continue
        info = model.model_fields[name]
        kind, target, optional = shape(info.annotation)
        kind = COUNTS.get((model.__name__, name), kind)
        own = _label(model, name)
        if kind == "model":
            sub_group = group or (path if optional else ())
            walk(target, skip, path, f"{label}{own}：" if own else label, sub_group, out)
        elif kind in ("list_model", "dict_model"):
            out.children.append((path, kind, target))
        else:
            default = _default(info)
            out.columns.append(Column(
                path=path, label=label + own, help=_help(model, name), kind=kind,
                choices=target if kind == "choice" else (),
                default=default, blank_is_none=optional and default is not None,
                group=group,
                nonnegative=kind in ("decimal", "count", "int") and model.__name__ in NONNEGATIVE_MODELS,
                # the free-text sections (FundText, ReportText) get wide, wrapped cells
                long_text=kind == "text" and default == "" and model.__name__.endswith("Text"),
            ))
    out.columns.sort(key=lambda column: bool(column.group))  # optional sub-objects last
    return out


# ---------------------------------------------------------------------------- the plan

FUND_TOTALS = ("income_total", "expense_total", "income_subtotal", "expense_subtotal", "treatment_total")

# (sheet, mode, path, help); paths are relative to the report root, "*" = every fund.
PLAN: tuple[tuple[str, str, tuple, str], ...] = (
    ("设置", "fields", ("report",), "报告设置：单位、年度、金额单位、小数位数、封面等"),
    ("基金", "list", ("funds",), "本报告包含的基金（按报告中的顺序，每行一项）及其结余、口径等"),
    ("收入", "list", ("funds", "*", "income"), "各基金的收入项目（按报告中列举的顺序）"),
    ("支出", "list", ("funds", "*", "expense"), "各基金的支出项目（按报告中列举的顺序）"),
    ("合计", "named", ("funds", "*"), "各基金的收入合计、支出合计、小计和待遇支出（可不填，由项目计算）"),
    ("结余构成", "list", ("funds", "*", "balance", "parts"), "滚存结余的组成，如基础养老金、个人账户"),
    ("人数", "list", ("funds", "*", "people"), "各基金的享受待遇人数、参保人数等"),
    ("绩效目标", "record", ("funds", "*"), "各基金的绩效目标和实际完成值"),
    ("总计", "fields", ("totals",), "全部基金的合计（可不填，由各基金相加）"),
    ("基金文字", "fields", ("funds", "*", "text"), "各基金的文字部分"),
    ("文字", "fields", ("text",), "全报告的文字部分"),
    ("阈值", "fields", ("thresholds",), "判断阈值（一般不用修改）"),
    ("可支付月数阈值", "keyed", ("thresholds", "months_payable"), "各基金可支付月数的判断区间（一般不用修改）"),
)
# Names of sheets the generic rule adds for sections outside PLAN (default: the field's label).
SHEET_NAMES: dict[tuple, str] = {
    ("statements",): "原文其他各处写法",
    ("evaluation",): "绩效自评表",
    ("evaluation", "indicators"): "绩效指标",
    ("evaluation", "money", "parts"): "项目资金明细",
}
# Sheet help texts where the section's description names keys (see HELPS).
SHEET_HELPS: dict[tuple, str] = {
    ("statements",): "同一行数字在原文其他位置的写法（一行数字在原文几处写明时填写），供检查时核对",
}
# The first column of a keyed sheet whose keys are funds: 基金, filled with the fund's name.
FUND_KEYED = {("thresholds", "months_payable")}
RECORD_FIELDS = {"绩效目标": ("targets", "achieved")}
NAMED_FIELDS = {"合计": FUND_TOTALS}


def _model_at(path: tuple) -> type[BaseModel]:
    model: type[BaseModel] = Report
    for key in path:
        if key == "*":
            continue
        _, model, _ = shape(model.model_fields[key].annotation)
    return model


def _claimed() -> set[tuple]:
    claimed = set()
    for name, mode, path, _ in PLAN:
        if mode == "record":
            claimed |= {(*path, f) for f in RECORD_FIELDS[name]}
        elif mode == "named":
            claimed |= {(*path, f) for f in NAMED_FIELDS[name]}
        else:
            claimed.add(path)
    return claimed


@lru_cache(maxsize=1)
def layout() -> tuple[Sheet, ...]:
    """Every data sheet of the entry workbook, in workbook order."""
    claimed = _claimed()
    sheets: list[Sheet] = []
    pending: list[tuple[str, str, tuple, str]] = list(PLAN)
    for top, info in Report.model_fields.items():  # unclaimed top-level sections
        if (top,) not in claimed:
            kind, _, _ = shape(info.annotation)
            mode = {"model": "fields", "list_model": "list", "dict_model": "keyed"}[kind]
            name = SHEET_NAMES.get((top,)) or short_label(info.description or top)
            pending.append((name, mode, (top,), SHEET_HELPS.get((top,)) or info.description or ""))
    while pending:
        name, mode, path, help_text = pending.pop(0)
        sheet, extra = _sheet(sheet_name(name), mode, path, help_text, claimed)
        sheets.append(sheet)
        pending.extend(extra)
    return tuple(sheets)


def _sheet(name: str, mode: str, path: tuple, help_text: str, claimed: set) -> tuple[Sheet, list]:
    model = _model_at(path)
    if mode == "record":
        result = _Walk()
        for sub in RECORD_FIELDS[name]:
            _, target, _ = shape(model.model_fields[sub].annotation)
            own = _label(model, sub)
            walk(target, frozenset(), (sub,), f"{own}：" if own else "", (), result)
        return Sheet(name, mode, path, tuple(result.columns), help_text), []
    if mode == "named":
        fields = NAMED_FIELDS[name]
        _, target, _ = shape(model.model_fields[fields[0]].annotation)
        rows = tuple((f, short_label(model.model_fields[f].description or f),
                      model.model_fields[f].description or "") for f in fields)
        return Sheet(name, mode, path, tuple(walk(target).columns), help_text, named=rows), []
    base = (*path, "*") if mode == "list" else path
    skip = frozenset(p[len(base):] for p in claimed if len(p) > len(base) and p[:len(base)] == base)
    result = walk(model, skip)
    tree, extra, levels = None, [], []
    while True:
        nested = []
        for child_path, kind, target in result.children:
            if target is model and mode == "list" and len(child_path) == 1 and not levels:
                tree = child_path[0]
            elif mode == "list" and path != ("funds",):
                nested.append((child_path, kind, target))
            else:
                label = SHEET_NAMES.get((*base, *child_path)) or short_label(
                    _model_at((*base, *child_path[:-1])).model_fields[child_path[-1]].description or child_path[-1])
                extra.append((label, "list" if kind == "list_model" else "keyed", (*base, *child_path), label))
        if not nested:
            break
        child_path, kind, target = nested[0]
        if len(nested) > 1 or kind != "list_model" or len(child_path) != 1 or tree:
            raise NotImplementedError(f"sheet {name}: only one nested list per level is supported")
        levels.append((child_path[0], tuple(result.columns)))  # outer entries repeat on every row
        model, result = target, walk(target)
    return Sheet(name, mode, path, tuple(result.columns), help_text, tree=tree,
                 levels=tuple(levels)), extra


def sheet_name(label: str) -> str:
    """A valid Excel sheet name from a label: no bracketed remarks, no []:*?/\\, at most 31 characters."""
    name = re.sub(r"（[^）]*）|\([^)]*\)", "", label)
    name = re.sub(r"[\[\]:*?/\\]", "", name).strip("' ")
    return name[:31] or "数据"
