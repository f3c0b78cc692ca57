"""The sentence macros (phrases.j2) as a template calls them: the file, its macros' names
and parameters, and whether a call fits them.

The engine renders with the phrases.j2 found first along the template's search path
(beside the template, as ``template export`` puts it, then the built-in one);
:func:`read_phrases` finds the same file, so ``template check`` checks what a render uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

import jinja2
from jinja2 import nodes

from sireport.word.search import PHRASES


@dataclass(frozen=True)
class MacroSignature:
    """A macro's parameters: ``amount(value, big=false)`` → params (value, big), required 1."""

    name: str
    params: tuple[str, ...]
    required: int  # the leading parameters without a default
    varargs: bool  # the body uses ``varargs``: extra positional arguments are taken
    kwargs: bool  # the body uses ``kwargs``: unknown keyword arguments are taken

    def shown(self) -> str:
        return f"{self.name}({', '.join(self.params)})"

    def call_problem(self, call: nodes.Call, called: str) -> str | None:
        """What is wrong with ``call`` of this macro (Chinese), or None."""
        if call.dyn_args is not None or call.dyn_kwargs is not None:
            return None  # f(*xs) / f(**d): cannot be counted
        if len(call.args) > len(self.params) and not self.varargs:
            return (f"“{called}”最多接受 {len(self.params)} 个参数，这里给了 {len(call.args)} 个"
                    f"（phrases.j2 中的定义：{self.shown()}）")
        given = set(self.params[:len(call.args)])
        for keyword in call.kwargs:
            if keyword.key not in self.params and not self.kwargs:
                hint = get_close_matches(keyword.key, self.params, n=1, cutoff=0.6)
                return (f"“{called}”没有名为“{keyword.key}”的参数" + (f"，是否应为“{hint[0]}”？" if hint else "")
                        + f"（phrases.j2 中的定义：{self.shown()}）")
            if keyword.key in given:
                return f"“{called}”的参数“{keyword.key}”给了两次"
            given.add(keyword.key)
        missing = [name for name in self.params[:self.required] if name not in given]
        if missing:
            return f"“{called}”缺少参数“{'、'.join(missing)}”（phrases.j2 中的定义：{self.shown()}）"
        return None


def signature_of(macro: nodes.Macro) -> MacroSignature:
    used = {name.name for name in macro.find_all(nodes.Name) if name.ctx == "load"}
    return MacroSignature(macro.name, tuple(arg.name for arg in macro.args), len(macro.args) - len(macro.defaults),
                          "varargs" in used, "kwargs" in used)


@dataclass
class PhrasesFile:
    """phrases.j2 as found along the search path: its place, and its tree or syntax error."""

    shown: str  # the path a person finds it at (relative to the current folder when inside it)
    tree: nodes.Template | None = None
    error: jinja2.TemplateSyntaxError | None = None

    def macros(self) -> dict[str, MacroSignature]:
        """The macros by name (none when the file does not parse)."""
        if self.tree is None:
            return {}
        return {node.name: signature_of(node) for node in self.tree.body if isinstance(node, nodes.Macro)}


def read_phrases(env: jinja2.Environment) -> PhrasesFile | None:
    """The phrases.j2 a render with ``env`` uses, parsed (None if there is none)."""
    try:
        source, filename, _ = env.loader.get_source(env, PHRASES)
    except (jinja2.TemplateNotFound, OSError):
        return None
    found = PhrasesFile(_shown(filename or PHRASES))
    try:
        found.tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        found.error = exc
    return found


def _shown(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return os.path.normpath(filename)
