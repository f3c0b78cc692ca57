"""The package's import graph: no cycles, and dependencies point one way.

Every import counts, at any depth (inside functions too), read from the source with ast:
``from sireport.a import b`` is an edge to the module ``sireport.a.b`` when there is one,
else to the package ``sireport.a`` (its ``__init__``).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sireport"


def module_names() -> dict[str, Path]:
    """Dotted name → file of every module in the package."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _absolute(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = name.split(".") if is_package else name.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules that ``name`` imports, anywhere in its source."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, name, path.name == "__init__.py")
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # an attribute of a module: the module
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read():
    edges = graph()
    assert "sireport.figures.calc" in edges["sireport.figures.compute"]
    assert "sireport.checks.base" in edges["sireport.checks.identities"]  # relative import
    assert "sireport.checks" in edges["sireport.checks.present"]  # a name from the package __init__


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert cycles(graph()) == []


def deferred_imports_without_a_reason() -> list[str]:
    """Imports inside a function whose block carries no comment saying why they wait."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not _commented(lines, node.lineno):
                    found.add(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return sorted(found)


def _commented(lines: list[str], lineno: int) -> bool:
    """The import's line, or the first line of its run of imports, has a comment."""
    while True:
        if "#" in lines[lineno - 1]:
            return True
        previous = lines[lineno - 2].strip() if lineno > 1 else ""
        if not previous.startswith(("import ", "from ")):
            return False
        lineno -= 1


def test_every_deferred_import_says_why():
    assert deferred_imports_without_a_reason() == []


# The layers, bottom up: a module may import only from its own layer or a lower one.
# ``cli → sireport (the library API) → run → (word, excel, checks, prose, audit, pdf) → figures → data``,
# with the shared leaves (errors, files, findings, ooxml) and the templates' package data at the bottom.
LAYERS = [
    {"errors", "files", "findings", "ooxml", "templates"},
    {"data"},
    {"figures"},
    {"word", "excel", "checks", "prose", "audit", "pdf"},
    {"run"},
    {""},  # sireport/__init__.py: the library API
    {"cli", "__main__"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
# (importer, imported). The one exception: a data file is read and written by its suffix, and the
# Excel entry workbook is one of the suffixes; its reader and writer live in excel/ beside the other
# workbooks and share their helpers (excel/cells, layout, package), while excel/ needs figures/ for
# the 附表 and 汇总表. The two imports wait inside the function until a workbook is met.
ALLOWED_UPWARD = {
    ("sireport.data.load", "sireport.excel.read"),
    ("sireport.data.save", "sireport.excel.write"),
}


def layer(module: str) -> str:
    """``sireport.word.text`` → ``word``; ``sireport.cli`` → ``cli``; ``sireport`` → ``""``."""
    return module.split(".")[1] if "." in module else ""


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{importer} → {imported}" for importer, targets in edges.items() for imported in targets
                  if RANK[layer(imported)] > RANK[layer(importer)] and (importer, imported) not in ALLOWED_UPWARD)


def test_every_folder_has_a_layer():
    assert {layer(name) for name in module_names()} == set(RANK)


def test_an_upward_import_is_found():
    assert upward_imports({"sireport.figures.x": {"sireport.word.y", "sireport.data.z"}}) == [
        "sireport.figures.x → sireport.word.y"]


def test_dependencies_point_down():
    assert upward_imports(graph()) == []
