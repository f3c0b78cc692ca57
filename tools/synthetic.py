"""Synthetic county data sets made from an example, for benchmarks and batch tests.

County ``i`` is the example with every amount multiplied by a factor between 0.50 and
1.50 that depends only on ``i`` (a different one for each of the first 10,000 counties: two
counties with the same figures are a copied workbook to a batch) and rounded half-up to
as many decimals as the example wrote (so the data looks like a clerk's, and the checks'
rounding tolerance applies as to the example), people counts scaled and rounded, and the unit named ``合成县0001``.
Stated rates (``stated:``) are dropped: they would no longer match the figures.
Files are written by the package's own YAML writer (:func:`sireport.data.save.yaml_text`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sireport.data.load import load_report
from sireport.data.save import yaml_text
from sireport.figures.calc import round_half_up

_KEEP = {"targets", "achieved", "pension_adjustment", "thresholds", "text"}  # not amounts


def factor(index: int) -> Decimal:
    """The deterministic scale of county ``index``: 0.50 … 1.49 for the first 100 counties, each
    next hundred 0.0001 more (none repeated within 10,000)."""
    return Decimal(50 + (index * 37) % 100) / 100 + Decimal(index // 100 % 100) / 10000


def name(index: int) -> str:
    return f"合成县{index + 1:04d}"


def county(example: Any, index: int) -> dict:
    """Plain data of synthetic county ``index`` built from the plain data of an example."""
    data = _scaled(example, factor(index), "")
    data["report"]["unit"] = name(index)
    data["report"].pop("cover", None)
    return data


def write_counties(example: Path, folder: Path, count: int, suffix: str = ".yaml") -> list[Path]:
    """Write ``count`` synthetic county files into ``folder``; return their paths."""
    raw = load_report(example).raw
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"county-{index + 1:04d}{suffix}"
        path.write_text(yaml_text(county(raw, index)), encoding="utf-8")
        paths.append(path)
    return paths


_AMOUNTS = {"actual", "previous", "budget", "current", "cumulative", "previous_cumulative", "amount",
            "balance", "expense"}


def _scaled(node: Any, scale: Decimal, key: str, people: bool = False) -> Any:
    if isinstance(node, dict):
        return {k: (v if k in _KEEP else _scaled(v, scale, k, people or k == "people"))
                for k, v in node.items() if k != "stated"}
    if isinstance(node, list):
        return [_scaled(value, scale, key, people) for value in node]
    if isinstance(node, bool) or not isinstance(node, (int, Decimal)) or key not in _AMOUNTS | {"target"}:
        return node
    if people or isinstance(node, int):
        return int(round_half_up(Decimal(node) * scale, 0))
    return round_half_up(node * scale, max(0, -node.as_tuple().exponent))
