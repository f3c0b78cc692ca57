"""A template by name, ready to render: found on the search path, checked (errors stop
here), safely repaired, compiled once. The template is unzipped once and one sandboxed
environment is built, both shared by the check and the engine."""

from __future__ import annotations

import logging

from sireport.word.engine import Engine, make_environment
from sireport.word.lint import prepare_template
from sireport.word.search import builtin_dir, find_template, search_dirs

log = logging.getLogger("sireport")


def make_engine(template: str | None = None) -> Engine:
    """The engine for ``template``, checked first (template_lint): errors stop here, safe
    repairs (split tags, curly quotes, full-width braces) are applied and logged."""
    path, dirs = find_template(template), [*search_dirs(), builtin_dir()]
    env = make_environment([path.parent, *dirs])
    checked = prepare_template(path, dirs, env=env)
    for repair in checked.repairs:
        log.warning("模板已自动修复：%s", repair)
    for warning in checked.warnings:
        log.warning("模板警告：%s", warning)
    return Engine(path, dirs, package=checked.package, env=env)
