"""docs/检查规则.md documents every rule; docs/阈值配置.md every threshold and its default."""

from __future__ import annotations

import re

from conftest import ROOT
from sireport.checks import LABELS, RULES
from sireport.data.funds import resolve_fund
from sireport.data.thresholds import DEFAULT_MONTHS, Thresholds
from sireport.run import cross_units

RULES_DOC = (ROOT / "docs" / "检查规则.md").read_text(encoding="utf-8")
THRESHOLDS_DOC = (ROOT / "docs" / "阈值配置.md").read_text(encoding="utf-8")


def table_rows(text: str) -> dict[str, list[str]]:
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([\w.]+)`", cells[0]) if line.startswith("|") else None
        if match:
            rows[match.group(1)] = cells[1:]
    return rows


def test_every_rule_is_documented_with_its_severity():
    rows = table_rows(RULES_DOC)
    assert {code: rows.get(code, ["（缺）"])[0] for code in RULES} == {code: LABELS[s] for code, s in RULES.items()}
    assert all(len(rows[code]) == 3 and all(rows[code]) for code in RULES)  # severity, what, how to fix


def test_every_cross_unit_rule_of_a_batch_is_documented_with_its_severity():
    rows = table_rows(RULES_DOC)
    assert {code: rows.get(code, ["（缺）"])[0] for code in cross_units.RULES} == {
        code: LABELS[severity] for code, severity in cross_units.RULES.items()}


def test_every_threshold_is_documented_with_its_default():
    rows = table_rows(THRESHOLDS_DOC)
    defaults = Thresholds()
    for name in Thresholds.model_fields:
        assert name in rows, name
        value = getattr(defaults, name)
        if name not in {"months_payable", "severity"}:
            shown = str([int(v) for v in value]).replace("'", "") if isinstance(value, list) else str(value)
            assert rows[name][0] == shown, name


def test_months_band_table_matches_defaults():
    checked = set()
    for line in THRESHOLDS_DOC.split("## 可支付月数区间")[1].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        kind = resolve_fund(cells[0]) if line.startswith("|") else None
        if kind is None:
            continue
        band = DEFAULT_MONTHS[kind.key]
        expected = [band.risk_below, band.low_below, band.high_above, band.excess_above]
        assert cells[1:] == ["" if v is None else str(v) for v in expected], cells[0]
        checked.add(kind.key)
    assert checked == set(DEFAULT_MONTHS)
