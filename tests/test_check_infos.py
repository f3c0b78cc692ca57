"""``check_report(infos=False)`` (what a render asks for: it shows no 提示) gives exactly the errors
and warnings of the full check, with any rule's level changed by the data, and leaves the 提示 out."""

from __future__ import annotations

import pytest

from checkdata import changed, clean, loaded
from conftest import EXAMPLES
from sireport.checks import RULES, check_report
from sireport.data.kind import load_data
from test_check_rules import TRIPS

# a unit slip set to 提示 is still looked for by the 合计 rules; a rounding difference made a warning
LEVELS = [{}, {"magnitude.factor": "info", "magnitude.unit": "info"}, {"rounding": "warning"},
          {"sum.items_under": "info", "execution.band": "info"}]


def _shown(findings) -> list:
    return [f for f in findings if f.severity != "info"]


def test_the_checks_give_infos_the_shortcut_leaves_out(tmp_path):
    path, value = TRIPS["rounding"]
    data = loaded(changed(clean(), path, value), tmp_path)
    assert {f.code for f in check_report(data) if f.severity == "info"} == {"rounding"}
    assert check_report(data, infos=False) == []


@pytest.mark.parametrize("code", sorted(TRIPS))
@pytest.mark.parametrize("levels", LEVELS, ids=range(len(LEVELS)))
def test_each_rule_tripped_gives_the_same_errors_and_warnings(code, levels, tmp_path):
    path, value = TRIPS[code]
    data = changed(clean(), path, value)
    data.setdefault("thresholds", {})["severity"] = levels
    unit = loaded(data, tmp_path)
    full = check_report(unit)
    assert _shown(check_report(unit, infos=False)) == _shown(full)
    assert any(f.code == code for f in full) == (levels.get(code, RULES[code]) != "off")


@pytest.mark.parametrize("code", sorted(TRIPS))
def test_a_rule_set_off_is_not_reported_by_either(code, tmp_path):
    path, value = TRIPS[code]
    data = changed(clean(), path, value)
    data.setdefault("thresholds", {})["severity"] = {code: "off"}
    unit = loaded(data, tmp_path)
    full = check_report(unit)
    assert code not in {f.code for f in full}
    assert _shown(check_report(unit, infos=False)) == _shown(full)


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda p: p.stem)
def test_the_examples_give_the_same_errors_and_warnings(path):
    unit = load_data(path)
    shortcut = check_report(unit, infos=False)
    assert _shown(shortcut) == _shown(check_report(unit))
    assert all(f.code.startswith(("magnitude.", "evaluation.")) for f in shortcut if f.severity == "info")


def test_a_unit_slip_set_to_info_still_stops_the_same_slip_being_reported_again(tmp_path):
    """合计收入 entered ×10 (magnitude.factor, here a 提示) and its budget ÷1000: the slip is
    known, so actual ÷ budget ≈ 10000 is not reported again as a magnitude.unit error."""
    data = changed(changed(clean(), "totals.income_total.actual", 15500), "totals.income_total.budget", 1.55)
    data["thresholds"] = {"severity": {"magnitude.factor": "info"}}
    unit = loaded(data, tmp_path)
    full = check_report(unit)
    assert "magnitude.factor" in {f.code for f in full} and "magnitude.unit" not in {f.code for f in full}
    shortcut = check_report(unit, infos=False)
    assert _shown(shortcut) == _shown(full)
    assert [f.code for f in shortcut if f.severity == "info"] == ["magnitude.factor"]  # (a 提示 a render keeps)
