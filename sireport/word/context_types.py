"""What a template may name: the render context as types, and a walk that checks names.

The render context (:func:`sireport.run.render.build_context`) is described here by the
types of its values — pydantic models of :mod:`sireport.data.model`, dataclasses of
:mod:`sireport.figures.compute` — so that a template can be checked without data:
``f.income.actul`` inside ``{% for f in funds %}`` is reported as an unknown field of
a fund's income with the suggestion ``actual``. Loop variables get the element type of
the list they walk; ``{% set %}`` names get the type of their value; anything whose
type cannot be known is not checked (never a false alarm).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from decimal import Decimal
from difflib import get_close_matches
from typing import Any, Optional, Union

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from sireport.data.model import ReportText, Settings
from sireport.data.thresholds import Thresholds
from sireport.figures.compute import FundFigures, Totals
from sireport.figures.evaluation import Table
from sireport.word.filters import Numbering
from sireport.word.macros import MacroSignature, read_phrases, signature_of

ANY = typing.Any
BLOCKED = object()  # the type after a reported problem: the rest of the chain is not reported again


class Macros:
    """The ``p`` module: the sentence macros of phrases.j2, by name."""

    def __init__(self, names: dict[str, MacroSignature]):
        self.names = names


@dataclasses.dataclass(frozen=True)
class Returns:
    """Something callable and what calling it gives."""

    result: Any


class LoopContext:
    """Jinja's ``loop`` inside a for block."""

    index: int
    index0: int
    revindex: int
    revindex0: int
    first: bool
    last: bool
    length: int
    depth: int
    depth0: int
    previtem: Any
    nextitem: Any
    cycle: Returns
    changed: Returns


# The render context, name by name (kept equal to render.build_context by a test).
CONTEXT: dict[str, Any] = {
    "report": Settings,
    "text": ReportText,
    "funds": list[FundFigures],
    "counted": list[FundFigures],
    "totals": Totals,
    "columns": list[Union[FundFigures, Totals]],
    "thresholds": Thresholds,
    "evaluation": Optional[Table],
}
# phrases.j2 is made a module with the report's settings only (engine.Engine._full_context).
PHRASES_CONTEXT: dict[str, Any] = {"report": Settings}
# A 项目支出绩效自评表 (sireport.run.render) is rendered with the scored table only.
PROJECT_CONTEXT: dict[str, Any] = {"report": Table, "t": Table}
_REPORT_ONLY = {"funds", "counted", "columns", "totals", "text", "thresholds", "evaluation"}
GLOBALS: dict[str, Any] = {"numbering": Returns(Numbering), "range": Returns(list[int]),
                           "dict": Returns(dict), "namespace": Returns(ANY)}
CONTEXT_DESCRIPTIONS = {
    "report": "报告设置（单位、年度、小数位数等）", "text": "全报告文字部分", "funds": "全部基金（按数据顺序）",
    "counted": "计入合计的基金", "totals": "合计", "columns": "收支分析表的列：计入合计的基金，最后是合计",
    "thresholds": "判断阈值", "evaluation": "附表（绩效自评表）", "p": "句式宏（phrases.j2）", "numbering": "连续编号：numbering() 得到 n，再用 n.part()/n.sub()/n.item()",
}

# Filters whose result type is known (others: unknown type, not checked further).
_TEXT_FILTERS = {"wan", "cell", "yi", "money", "pct", "dec", "num", "plain", "cn", "daxie", "cn_date", "join",
                 "string", "trim", "upper", "lower", "replace", "format", "e", "escape", "safe", "title",
                 "capitalize", "center", "indent", "truncate", "wordwrap", "striptags", "urlencode"}
_SAME_FILTERS = {"list", "sort", "unique", "reverse", "selectattr", "rejectattr", "select", "reject", "batch",
                 "slice", "absolute", "abs", "round"}


def context_for(trees: list[nodes.Template]) -> dict[str, Any]:
    """The context a template is written for: a fund report's, or a project table's (uses ``t``
    and none of the report's names)."""
    names = {node.name for tree in trees for node in tree.find_all(nodes.Name) if node.ctx == "load"}
    return PROJECT_CONTEXT if "t" in names and not names & _REPORT_ONLY else CONTEXT


def check_names(tree: nodes.Template, env: jinja2.Environment, context: dict[str, Any] = CONTEXT,
                macros: dict[str, MacroSignature] | None = None) -> tuple[list[tuple[int, str]], set[str]]:
    """Unknown names, fields and filters in ``tree`` as (line, Chinese message), and calls of
    the sentence macros (``macros``: those of phrases.j2, read from ``env`` if not given)
    that do not fit their parameters; and the paths the template needs: those it uses
    without testing them first (``if x``) and not as the list of a ``for`` (an empty list
    just writes nothing)."""
    walker = _Walker(env)
    macros = phrase_macros(env) if macros is None else macros
    scope = {name: (kind, name) for name, kind in context.items()}
    scope.update({name: (kind, "") for name, kind in GLOBALS.items()})
    if context is PHRASES_CONTEXT:  # phrases.j2 itself: its macros call each other by name
        scope.update({name: (signature, "") for name, signature in macros.items()})
    else:
        scope["p"] = (Macros(macros), "")
    walker.body(tree.body, scope)
    needed = {path for path in walker.paths if path not in walker.walked
              and not any(path == g or path.startswith(g + ".") for g in walker.guarded)}
    return walker.problems, needed


def phrase_macros(env: jinja2.Environment) -> dict[str, MacroSignature]:
    """The macros of phrases.j2 by name (none if it cannot be read: ``template check`` says why)."""
    phrases = read_phrases(env)
    return phrases.macros() if phrases is not None else {}


def attribute_names(kind: Any) -> list[str]:
    """Public attributes a template may use on a value of type ``kind``."""
    kind = _strip_optional(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return [*kind.model_fields, *(n for n in _public(kind) if isinstance(getattr(kind, n, None), property))]
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return [f.name for f in dataclasses.fields(kind)] + [n for n in _public(kind) if n not in
                                                             {f.name for f in dataclasses.fields(kind)}]
    if kind is LoopContext:
        return list(_hints(kind))
    if isinstance(kind, type):
        return _public(kind)
    origin = typing.get_origin(kind)
    return _public(origin) if isinstance(origin, type) else []


def attribute_type(kind: Any, name: str) -> Any:
    """Type of ``value.name`` for a value of type ``kind``; KeyError if it has no such attribute."""
    kind = _strip_optional(kind)
    if kind is ANY or kind is BLOCKED or isinstance(kind, Returns):
        return ANY
    if typing.get_origin(kind) is Union:
        found = [attribute_type(k, name) for k in typing.get_args(kind)]
        return found[0] if len(set(map(repr, found))) == 1 else ANY
    if isinstance(kind, type) and issubclass(kind, BaseModel) and name in kind.model_fields:
        return kind.model_fields[name].annotation
    if isinstance(kind, type) and (dataclasses.is_dataclass(kind) or kind is LoopContext):
        hints = _hints(kind)
        if name in hints:
            return hints[name]
    owner = typing.get_origin(kind) or kind
    if isinstance(owner, type) and not name.startswith("_") and hasattr(owner, name):
        member = getattr(owner, name)
        if isinstance(member, property):
            return _hints(member.fget).get("return", ANY)
        if callable(member):
            return Returns(_hints(member).get("return", ANY))
        return ANY
    raise KeyError(name)


def element_type(kind: Any) -> Any:
    kind = _strip_optional(kind)
    args = typing.get_args(kind)
    if typing.get_origin(kind) in (list, tuple, set, frozenset) and args:
        return args[0]
    return ANY


def _hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except Exception:  # an annotation that cannot be resolved: treat as unknown
        return {}


def _public(kind: type) -> list[str]:
    return [n for n in dir(kind) if not n.startswith("_") and not n.startswith("model_")]


def _strip_optional(kind: Any) -> Any:
    if typing.get_origin(kind) is Union:
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        return args[0] if len(args) == 1 else Union[tuple(args)]
    return kind


_LEAVES = (str, int, float, bool, Decimal, dt.date)
KIND_NAMES = {str: "文字", int: "整数", float: "数字", bool: "是/否", Decimal: "数字", dt.date: "日期"}


class _Walker:
    """Walks a Jinja AST with a scope of name → (type, context path)."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.problems: list[tuple[int, str]] = []
        self.paths: set[str] = set()
        self.guarded: set[str] = set()  # paths tested before use (if x): they and all below them
        self.walked: set[str] = set()  # lists a for loop walks: empty just means nothing is written

    def guard(self, node: nodes.Node, scope: dict) -> tuple[Any, str]:
        """Evaluate a condition; the paths it tests (not those it passes to a macro) are guarded."""
        self.guarded |= {path for path in (_chain_path(n, scope) for n in _tested(node)) if path}
        return self.expr(node, scope)

    def body(self, body: list[nodes.Node], scope: dict) -> None:
        for node in body:
            self.stmt(node, scope)

    def stmt(self, node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            self.walked |= {p for p in (_chain_path(n, scope) for n in _tested(node.iter)) if p}
            kind, path = self.expr(node.iter, scope)
            inner = dict(scope)
            self.bind(node.target, (element_type(kind), path), inner)
            inner["loop"] = (LoopContext, "")
            if node.test is not None:
                self.guard(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, scope)
            self.bind(node.target, (str, ""), scope)
        elif isinstance(node, nodes.Macro):
            scope[node.name] = (signature_of(node), "")
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = (ANY, "")
            inner.update({"varargs": (ANY, ""), "kwargs": (ANY, ""), "caller": (Returns(str), "")})
            self.body(node.body, inner)
        elif isinstance(node, (nodes.Import, nodes.FromImport)):
            names = [node.target] if isinstance(node, nodes.Import) else \
                [n if isinstance(n, str) else n[-1] for n in node.names]
            for name in names:
                scope[name] = (ANY, "")
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value, scope), inner)
            self.body(node.body, inner)
        elif isinstance(node, nodes.If):
            self.guard(node.test, scope)
            self.body(node.body, scope)
            for branch in node.elif_:
                self.stmt(branch, scope)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child, scope)
                else:
                    self.stmt(child, scope)

    def bind(self, target: nodes.Node, value: tuple, scope: dict) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, (ANY, ""), scope)

    def expr(self, node: nodes.Node, scope: dict) -> tuple[Any, str]:
        """The (type, context path) of an expression; records problems on the way."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                kind, path = scope[node.name]
                if path:
                    self.paths.add(path)
                return kind, path
            hint = get_close_matches(node.name, list(scope), n=1, cutoff=0.6)
            self.problem(node, f"未知变量“{node.name}”" + (f"，是否应为“{hint[0]}”？" if hint else
                         "（模板可用的变量见 docs/模板指南.md）"))
            return BLOCKED, ""
        if isinstance(node, nodes.Getattr):
            return self.attribute(node, node.node, node.attr, scope)
        if isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.attribute(node, node.node, node.arg.value, scope)
            kind, path = self.expr(node.node, scope)
            self.expr(node.arg, scope)
            return (BLOCKED if kind is BLOCKED else element_type(kind)), path
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        if isinstance(node, nodes.Test):
            if node.name not in self.env.tests:
                self.problem(node, f"没有名为“{node.name}”的判断（is 后面）")
            if node.name not in ("defined", "undefined"):
                self.expr(node.node, scope)
            self.children(node, scope, skip=node.node)
            return bool, ""
        if isinstance(node, nodes.Call):
            kind, _ = self.expr(node.node, scope)
            self.children(node, scope, skip=node.node)
            if isinstance(kind, MacroSignature):
                problem = kind.call_problem(node, _describe(node.node))
                if problem:
                    self.problem(node, problem)
                return str, ""
            if isinstance(kind, Returns):
                return kind.result, ""
            if kind is BLOCKED:
                return BLOCKED, ""
            return (str if isinstance(kind, Macros) else ANY), ""
        if isinstance(node, nodes.CondExpr):
            self.guard(node.test, scope)
            self.expr(node.expr1, scope)
            if node.expr2 is not None:
                self.expr(node.expr2, scope)
            return ANY, ""
        self.children(node, scope)
        if isinstance(node, nodes.Const):
            return type(node.value), ""
        if isinstance(node, (nodes.Concat, nodes.TemplateData)):
            return str, ""
        return ANY, ""

    def children(self, node: nodes.Node, scope: dict, skip: nodes.Node | None = None) -> None:
        for child in node.iter_child_nodes():
            if child is not skip:
                self.expr(child, scope)

    def attribute(self, node: nodes.Node, owner: nodes.Node, name: str, scope: dict) -> tuple[Any, str]:
        kind, path = self.expr(owner, scope)
        if kind is BLOCKED:
            return BLOCKED, ""
        if name.startswith("_") or name.startswith("model_") or name == "mro":
            self.problem(node, f"已被安全沙箱拒绝：不允许访问内部属性“{name}”（模板只能使用报告数据）")
            return BLOCKED, ""
        if isinstance(kind, Macros):
            if kind.names and name not in kind.names:
                hint = get_close_matches(name, sorted(kind.names), n=1, cutoff=0.6)
                self.problem(node, f"句式宏文件 phrases.j2 中没有“{name}”" +
                             (f"，是否应为“p.{hint[0]}”？" if hint else ""))
            return kind.names.get(name, Returns(str)), ""
        try:
            result = attribute_type(kind, name)
        except KeyError:
            self.unknown_attribute(node, owner, kind, name)
            return BLOCKED, ""
        child = f"{path}.{name}" if path else ""
        if child:
            self.paths.add(child)
        return result, child

    def unknown_attribute(self, node: nodes.Node, owner: nodes.Node, kind: Any, name: str) -> None:
        shown = _describe(owner)
        leaf = _strip_optional(kind)
        if leaf in KIND_NAMES:
            self.problem(node, f"“{shown}”是{KIND_NAMES[leaf]}，没有“{name}”这一项")
            return
        hint = get_close_matches(name, attribute_names(kind), n=1, cutoff=0.6)
        self.problem(node, f"模板引用了数据中没有的字段“{shown}.{name}”" +
                     (f"，是否应为“{shown}.{hint[0]}”？" if hint else "（可用的字段见 docs/模板指南.md）"))

    def filter(self, node: nodes.Filter, scope: dict) -> tuple[Any, str]:
        kind, path = self.expr(node.node, scope) if node.node is not None else (ANY, "")
        self.children(node, scope, skip=node.node)
        name = node.name
        if name not in self.env.filters:
            hint = get_close_matches(name, sorted(self.env.filters), n=1, cutoff=0.6)
            self.problem(node, f"没有名为“{name}”的过滤器" + (f"，是否应为“{hint[0]}”？" if hint else
                         "（可用的过滤器见 docs/模板指南.md）"))
            return ANY, ""
        if name == "attr" and node.args and isinstance(node.args[0], nodes.Const) \
                and str(node.args[0].value).startswith("_"):
            self.problem(node, f"已被安全沙箱拒绝：不允许访问内部属性“{node.args[0].value}”（模板只能使用报告数据）")
        attribute = next((kw.value.value for kw in node.kwargs if kw.key == "attribute"
                          and isinstance(kw.value, nodes.Const)), None)
        if name in ("selectattr", "rejectattr", "map") and attribute is None and node.args \
                and isinstance(node.args[0], nodes.Const) and name != "map":
            attribute = node.args[0].value
        if attribute is not None and isinstance(attribute, str):
            element = element_type(kind)
            try:
                for part in attribute.split("."):
                    element = attribute_type(element, part)
                    path = f"{path}.{part}" if path else ""
                    if path:
                        self.paths.add(path)
            except KeyError:
                hint = get_close_matches(attribute.split(".")[-1], attribute_names(element), n=1, cutoff=0.6)
                self.problem(node, f"“{_describe(node.node)}”的元素没有“{attribute}”这一项" +
                             (f"，是否应为“{hint[0]}”？" if hint else ""))
                return ANY, ""
            return (list[element] if name == "map" else kind), path
        if name in _TEXT_FILTERS:
            return str, ""
        if name == "paras":
            return list[str], ""
        if name in ("first", "last", "random"):
            return element_type(kind), path
        if name in ("length", "count", "int", "sum"):
            return int, ""
        if name in _SAME_FILTERS or name == "default":
            return kind, path
        return ANY, ""

    def problem(self, node: nodes.Node, message: str) -> None:
        self.problems.append((node.lineno, message))


def _tested(node: nodes.Node) -> list[nodes.Node]:
    """The name or attribute chains a condition tests: ``a and not b.c``, ``x is none``, ``y|length > 0``."""
    if isinstance(node, (nodes.And, nodes.Or)):
        return _tested(node.left) + _tested(node.right)
    if isinstance(node, (nodes.Not, nodes.Test, nodes.Filter)):
        return _tested(node.node) if node.node is not None else []
    if isinstance(node, nodes.Compare):
        return _tested(node.expr) + [n for op in node.ops for n in _tested(op.expr)]
    if isinstance(node, (nodes.Name, nodes.Getattr)):
        return [node]
    return []


def _chain_path(node: nodes.Node, scope: dict) -> str:
    """The context path of ``f.income.actual`` (``funds.income.actual``), or '' if not from the context."""
    if isinstance(node, nodes.Name):
        return scope.get(node.name, (None, ""))[1]
    if isinstance(node, nodes.Getattr):
        parent = _chain_path(node.node, scope)
        return f"{parent}.{node.attr}" if parent else ""
    return ""


def _describe(node: nodes.Node) -> str:
    """Source-like text of a name or attribute chain, e.g. ``f.income``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_describe(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter):
        return f"{_describe(node.node)}|{node.name}" if node.node is not None else node.name
    return "…"


def known(path: str) -> bool:
    """True if a dotted context path (``funds.income.actual``; list levels implicit) exists."""
    head, *rest = path.split(".")
    kind = CONTEXT.get(head) or GLOBALS.get(head)
    if kind is None:
        return False
    for name in rest:
        while typing.get_origin(_strip_optional(kind)) in (list, tuple):
            kind = element_type(kind)
        try:
            kind = attribute_type(kind, name)
        except KeyError:
            return False
    return True

