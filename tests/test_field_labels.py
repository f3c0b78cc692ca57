"""A data field's Chinese label is derived in one place (sireport.data.labels) and reads the
same in a load error (缺少必填字段“…”) as in the template check (模板使用了“…”)."""

from __future__ import annotations

import pytest

from checkdata import clean, write
from sireport.checks.template_needs import field_label
from sireport.data.load import load_report
from sireport.errors import DataError


@pytest.mark.parametrize("rest, label", [
    (["targets", "execution_rate"], "支出预算执行率目标"),  # 支出预算执行率目标（%，以上）: the comma is inside the note
    (["achieved", "settlement_days"], "实际结算拨付工作日数"),
    (["income_total"], "基金收入合计"),  # 基金收入合计（填写时优先使用，…）
    (["name"], "基金名称"),  # 基金名称（中文）
    (["balance", "cumulative"], "年末滚存（累计）结余"),  # a note inside the label stays
])
def test_a_label_is_the_first_clause_without_its_note(rest, label):
    assert field_label("funds", rest) == label


def test_a_missing_field_is_named_as_the_template_check_names_it(tmp_path):
    data = clean()
    del data["funds"][1]["name"]
    with pytest.raises(DataError) as caught:
        load_report(write(data, tmp_path))
    assert f"缺少必填字段“{field_label('funds', ['name'])}”（name）" in str(caught.value)
    assert "“基金名称”（name）" in str(caught.value)

