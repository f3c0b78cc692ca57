"""A bureau's thresholds file: one ``thresholds:`` section for all of its data files.

A prefecture sets its bands once (``sireport check --thresholds 阈值.yaml 各县/*.yaml``)
instead of repeating them in every county's data. Precedence, lowest first: the
shipped defaults (:mod:`sireport.data.thresholds`), the thresholds file, the data file's own
``thresholds:``. Mappings (``months_payable``, ``severity``) merge key by key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sireport.data.load import read_tree
from sireport.data.thresholds import Thresholds
from sireport.data.validate import LoadedReport, _problem
from sireport.errors import ConfigError

Overrides = dict[str, Any]


def load_thresholds(path: str | Path) -> Overrides:
    """Read and validate a thresholds file (YAML/JSON with a top-level ``thresholds:``)."""
    raw, source = read_tree(Path(path))
    if not isinstance(raw, dict) or not isinstance(raw.get("thresholds"), dict) or set(raw) != {"thresholds"}:
        raise ConfigError(f"{source.name}：阈值文件应只有一个键“thresholds:”，其下写要覆盖的阈值"
                          f"（与数据文件中的 thresholds: 相同，见 docs/阈值配置.md）")
    try:
        Thresholds.model_validate(raw["thresholds"])
    except ValidationError as exc:
        problems = [_problem(raw, source, {**err, "loc": ("thresholds", *err["loc"])}) for err in exc.errors()]
        raise ConfigError(f"{source.name}：阈值文件有 {len(problems)} 处问题", problems) from None
    return raw["thresholds"]


def apply_thresholds(loaded: LoadedReport, overrides: Overrides | None) -> LoadedReport:
    """Give ``loaded`` the file's thresholds under its own ``thresholds:`` (which win)."""
    if overrides and hasattr(loaded.report, "thresholds"):  # a project table file has none
        own = loaded.raw.get("thresholds") if isinstance(loaded.raw, dict) else None
        loaded.report.thresholds = Thresholds.model_validate(_merge(overrides, own or {}))
    return loaded


def _merge(base: Overrides, top: Overrides) -> Overrides:
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        merged[key] = _merge(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged
