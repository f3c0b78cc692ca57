"""Loading: exact decimals, positions for messages, Chinese text as written."""

from decimal import Decimal

from sireport.data.load import load_report
from test_errors import MINIMAL, write


def test_numbers_are_exact_decimals(tmp_path):
    report = load_report(write(tmp_path, MINIMAL.replace("actual: 1716", "actual: 1716.105"))).report
    assert report.funds[0].expense[0].actual == Decimal("1716.105")


def test_folded_yaml_lines_do_not_leave_spaces_in_chinese(tmp_path):
    text = MINIMAL + "text:\n  plans: >-\n    继续实施援企稳岗政策，\n    支持实体经济平稳健康发展。\n  other: 第 3 季度 Q3 数据\n"
    report = load_report(write(tmp_path, text)).report
    assert report.text.plans == "继续实施援企稳岗政策，支持实体经济平稳健康发展。"
    assert report.text.other == "第 3 季度 Q3 数据"  # spaces next to digits and Latin letters stay


def test_positions_point_at_the_key(tmp_path):
    loaded = load_report(write(tmp_path, MINIMAL))
    assert loaded.where(("funds", 0, "expense", 0, "actual")).startswith(f"{tmp_path / 'data.yaml'}:8:9")
    assert "funds[失业保险].expense[失业保险金].actual" in loaded.where(("funds", 0, "expense", 0, "actual"))


def test_an_alias_inside_its_own_anchor_gets_a_message_not_a_traceback(tmp_path, cli):
    path = tmp_path / "loop.yaml"
    path.write_text("report: {unit: 测试县, year: 2019}\nfunds: &x\n  - *x\n", encoding="utf-8")
    result = cli("render", path)
    assert result.exit_code == 2 and f"{path}:2:8：嵌套层数过多" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
