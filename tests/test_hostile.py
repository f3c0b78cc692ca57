"""Hostile and broken input (issue 11): each numbered case of the issue, as a user meets it.

Case 1 (killed and hung batch workers) is in test_batch_kill.py; the YAML typing rules of
cases 11, 14, 15 and 17 are also unit-tested in test_yaml_fast.py.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import EXAMPLES, ROOT
from sireport.files import is_untouched, safe_name
from sireport.run.batch import PROBLEMS_NAME, SUMMARY_NAME, run_batch
from test_batch import SMALL_UNIT

DEFAULT = ROOT / "sireport" / "templates" / "default.docx"


def unit(tmp_path: Path, text: str, name: str = "unit.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def small(**replace: str) -> str:
    text = SMALL_UNIT.format(number=1, income=100)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def render(cli, path: Path, *args: str):
    return cli("render", path, "-o", path.parent / "out", *args)


def reports(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else []


# -------------------------------------------------------------- case 2: control characters

@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x1f", "\x1b", "\ufffe", "\uffff"])
def test_case_2_control_characters_in_text_are_refused_at_their_place(cli, tmp_path, char):
    escaped = json.dumps("哈密" + char + "市")  # a YAML double-quoted string takes JSON's escapes
    path = unit(tmp_path, small(**{"测试县001": "X"}).replace("unit: X", f"unit: {escaped}"))
    result = render(cli, path)
    assert result.exit_code == 2
    assert f"{path}:1:10（report.unit）" in result.stderr and "Word 无法保存" in result.stderr
    assert f"U+{ord(char):04X}" in result.stderr and "在“哈密”之后" in result.stderr
    assert not reports(tmp_path)


def test_case_2_a_document_that_does_not_parse_never_replaces_anything(tmp_path):
    from sireport.errors import OutputError
    from sireport.files import write_atomic

    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>哈密\x01市</w:document>")
    with pytest.raises(OutputError, match=r"word/document.xml 第 1 行"):
        write_atomic(target, broken.getvalue(), force=True)
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


@pytest.mark.parametrize("tail", ["<b>\x01</b></a>", "<b>", "</a><a/>", "</a>"], ids=["character", "short", "two", "valid"])
def test_case_2_a_part_is_checked_whole_however_long(tmp_path, tail):
    """A part longer than what is parsed at a time (files.CHUNK): a fault near its end is
    found at the line where parsing it in one piece finds it; a sound one is written."""
    from xml.parsers import expat

    from sireport.errors import OutputError
    from sireport.files import CHUNK, write_atomic

    part = ("<a>\n" + "<b>哈密市社会保险基金</b>\n" * 40_000 + tail).encode()
    assert len(part) > CHUNK
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", part)
    target = tmp_path / "a.docx"
    parser = expat.ParserCreate()
    try:
        parser.Parse(part, True)
    except expat.ExpatError as exc:
        with pytest.raises(OutputError, match=re.escape(f"word/document.xml 第 {exc.lineno} 行：{expat.ErrorString(exc.code)}")):
            write_atomic(target, broken.getvalue(), force=True)
        assert exc.lineno > 40_000 and not target.exists()
    else:
        assert tail == "</a>"
        write_atomic(target, broken.getvalue(), force=True)
        assert target.read_bytes() == broken.getvalue()


# -------------------------------------------------------------- case 3: alias expansion

def alias_bomb(levels: int = 10) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n" + small()


def test_case_3_alias_expansion_is_refused_before_it_fills_the_memory(cli, tmp_path):
    path = unit(tmp_path, alias_bomb())
    result = cli("check", path)
    assert result.exit_code == 2 and "数据过大：超过 100,000 个值" in result.stdout
    assert f"{path.name}:" in result.stdout


def test_case_3_an_alias_bomb_in_a_batch_costs_only_its_own_file(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    unit(folder, alias_bomb(), "bomb.yaml")
    unit(folder, small(), "good.yaml")
    result = run_batch([folder], tmp_path / "out", jobs=2)
    assert [Path(u.source).name for u in result.failed] == ["bomb.yaml"] and len(result.rendered) == 1


# -------------------------------------------------------------- case 4: include

@pytest.mark.parametrize(("name", "words"), [("link.j2", "指向模板目录之外"), ("notes.txt", "只能引用模板目录中的 .j2 文件"),
                                             ("../secret.j2", "secret")])
def test_case_4_include_reads_only_j2_files_inside_the_template_folder(tmp_path, name, words):
    from jinja2 import TemplateNotFound
    from jinja2.sandbox import SecurityError

    from sireport.word.engine import make_environment

    folder = tmp_path / "tpl"
    folder.mkdir()
    (tmp_path / "secret.j2").write_text("秘密", encoding="utf-8")
    (folder / "notes.txt").write_text("笔记", encoding="utf-8")
    (folder / "link.j2").symlink_to("/etc/passwd")
    (folder / "ok.j2").write_text("可以", encoding="utf-8")
    env = make_environment([folder])
    assert env.from_string("{% include 'ok.j2' %}").render() == "可以"
    with pytest.raises((SecurityError, TemplateNotFound), match=words):  # (Jinja itself refuses "..")
        env.from_string("{% include '" + name + "' %}").render()


# -------------------------------------------------------------- case 5: sandbox resources

PAYLOADS = [
    "{{ 'a'|center(3500000000)|length }}", "{{ 'a'.ljust(3500000000) }}", "{{ 'a'.rjust(3500000000) }}",
    "{{ 'a'.zfill(3500000000) }}", "{{ '{:>3500000000}'.format('a') }}", "{{ '{:{w}}'.format('a', w=9) }}",
    "{{ '%3500000000s'|format('a') }}", "{{ '%3500000000s' % 'a' }}", "{{ 'a'|indent(3500000000) }}",
    "{{ 'ab' * 100000 }}", "{{ ['a'] * 200000 }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% set l = [1, 2] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}",
    "{{ range(100000)|list }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_case_5_templates_cannot_build_huge_strings_or_lists(payload):
    from jinja2.sandbox import SecurityError

    from sireport.word.engine import make_environment

    with pytest.raises(SecurityError):
        make_environment([]).from_string(payload).render()


def test_case_5_a_render_stops_at_its_time_limit(cli, tmp_path, monkeypatch):
    import sireport.word.sandbox

    monkeypatch.setattr(sireport.word.sandbox, "RENDER_SECONDS", 1)
    template = tmp_path / "loops.docx"
    document = Document(str(DEFAULT))
    document.add_paragraph("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                           "{% endfor %}{% endfor %}{% endfor %}")
    document.save(str(template))
    result = render(cli, unit(tmp_path, small()), "-t", str(template))
    assert result.exit_code == 2 and "生成时间超过 1 秒" in result.stderr and "正文第" in result.stderr
    assert not reports(tmp_path)


# -------------------------------------------------------------- case 6: zip bombs

def with_member(source: Path, target: Path, name: str, size: int) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr(name, b"\0" * size)
    return target


def test_case_6_a_template_zip_bomb_is_refused_before_it_is_unpacked(cli, tmp_path):
    from sireport.files import MAX_PART

    template = with_member(DEFAULT, tmp_path / "bomb.docx", "word/media/unused.bin", MAX_PART + 1)
    assert template.stat().st_size < MAX_PART // 100
    result = render(cli, unit(tmp_path, small()), "-t", str(template))
    assert result.exit_code == 2 and "word/media/unused.bin" in result.stderr and "超过上限" in result.stderr


def test_case_6_a_workbook_zip_bomb_is_refused(cli, tmp_path):
    from sireport.files import MAX_PART

    assert cli("init", "--xlsx", tmp_path / "blank.xlsx").exit_code == 0
    book = with_member(tmp_path / "blank.xlsx", tmp_path / "bomb.xlsx", "xl/media/big.bin", MAX_PART + 1)
    result = cli("check", book)
    assert result.exit_code == 2 and "xl/media/big.bin" in result.stdout + result.stderr


# -------------------------------------------------------------- case 7: hand-edit protection

def edited(path: Path, member: str) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[member] = parts[member].replace(b"</w:", b"<w:t>x</w:t></w:", 1) if member.startswith("word/") \
        else parts[member] + b" "
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("member", ["word/footer1.xml", "word/styles.xml", "word/settings.xml", "docProps/app.xml"])
def test_case_7_an_edit_of_any_part_is_protected_in_render_and_batch(cli, tmp_path, member):
    path = unit(tmp_path, small())
    assert render(cli, path).exit_code == 0
    [report] = reports(tmp_path)
    assert is_untouched(report)
    edited(report, member)
    assert not is_untouched(report)
    before = report.read_bytes()
    result = render(cli, path)
    assert result.exit_code == 2 and "已在生成后被修改" in result.stderr and report.read_bytes() == before
    batch = cli("batch", path, "-o", tmp_path / "out")
    assert batch.exit_code == 1 and "已在生成后被修改" in batch.stdout and report.read_bytes() == before
    assert render(cli, path, "--force").exit_code == 0 and is_untouched(report)


# -------------------------------------------------------------- cases 8, 9: workbooks

@pytest.fixture
def workbook(cli, tmp_path):
    """The example as a workbook (sireport convert), opened for editing."""
    path = tmp_path / "hami.xlsx"
    assert cli("convert", EXAMPLES / "hami-2019.yaml", path).exit_code == 0
    return path


def cell_of(book, sheet: str, header: str, row: int = 2) -> str:
    ws = book[sheet]
    column = next(c.column_letter for c in ws[1] if c.value == header)
    return f"{column}{row}"


def test_case_8_a_formatted_blank_cell_far_away_reads_like_the_workbook_without_it(cli, workbook, tmp_path):
    from openpyxl.styles import Font

    plain = cli("check", workbook, "--format", "json")
    book = load_workbook(workbook)
    for ws in book.worksheets:
        ws["XFD1048576"].font = Font(bold=True)
    book.save(workbook)
    far = cli("check", workbook, "--format", "json")
    assert far.exit_code == plain.exit_code and json.loads(far.stdout) == json.loads(plain.stdout)


def test_case_9_a_boolean_in_a_people_cell_is_an_error_at_the_cell(cli, workbook):
    book = load_workbook(workbook)
    sheet = next(name for name in book.sheetnames if "人数" in name or "人员" in name)
    ws = book[sheet]
    target = next(c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, int))
    target.value = True
    book.save(workbook)
    result = cli("check", workbook)
    assert result.exit_code == 2 and f"{sheet}!{target.coordinate}" in result.stdout and "不能是“True”" in result.stdout


def test_case_9_a_number_in_a_date_cell_is_an_error_not_1905(cli, workbook):
    book = load_workbook(workbook)
    ws = book["设置"]
    row = next(r for r in ws.iter_rows() if r[0].value == "报告日期")
    row[1].value = 2020
    book.save(workbook)
    result = cli("check", workbook)
    assert result.exit_code == 2 and f"设置!{row[1].coordinate}" in result.stdout and "应为日期" in result.stdout
    assert "1905" not in result.stdout


def test_case_9_an_ambiguous_decimal_comma_is_an_error(cli, workbook):
    book = load_workbook(workbook)
    ws = book["收入"]
    target = next(c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, (int, float))
                  and not isinstance(c.value, bool))
    target.value = "117.275,50"
    book.save(workbook)
    result = cli("check", workbook)
    assert result.exit_code == 2 and f"收入!{target.coordinate}" in result.stdout and "117.275,50" in result.stdout


# -------------------------------------------------------------- cases 10-12, 14-18: data files

def test_case_12_a_json_number_of_5000_digits_is_a_located_error(cli, tmp_path):
    data = {"report": {"unit": "吉县", "year": 2019}, "funds": [{"name": "失业保险", "income": [
        {"name": "保险费收入", "actual": 100}], "balance": {"previous_cumulative": 500}}]}
    path = unit(tmp_path, json.dumps(data, ensure_ascii=False).replace("500", "1" + "0" * 5000), "unit.json")
    result = cli("check", path)
    out = result.stdout + result.stderr
    assert result.exit_code == 2 and "位数或指数过大" in out and f"{path}:1:" in out and "内部错误" not in out


def test_case_10_escaped_surrogate_pairs_in_json_are_one_character(cli, tmp_path):
    data = {"report": {"unit": "吉县", "year": 2019}, "funds": [{"name": "失业保险", "income": [
        {"name": "保险费收入", "actual": 100, "previous": 90, "budget": 95}], "expense": [
        {"name": "失业保险金支出", "actual": 80, "previous": 70, "budget": 85}], "balance": {"previous_cumulative": 500}}]}
    text = json.dumps(data, ensure_ascii=True).replace("\\u5409", "\\ud842\\udfb7")  # 吉 -> 𠮷
    path = unit(tmp_path, text, "unit.json")
    result = render(cli, path)
    assert result.exit_code == 0, result.stderr
    assert reports(tmp_path)[0].name.startswith("𠮷县-2019")


def test_case_11_merge_keys_are_merged(cli, tmp_path):
    path = unit(tmp_path, "base: &base {pay_day: 1}\n" + small().replace(
        "    balance:", "    targets: {<<: *base}\n    balance:"))
    result = cli("check", path)
    assert "内部错误" not in result.stdout + result.stderr and "未知字段“base”" in result.stdout


@pytest.mark.parametrize(("text", "words"), [
    ("report: " + "[" * 3000 + "]" * 3000 + "\n", "嵌套层数过多"),
    ("report: " + "[" * 30 + "]" * 30 + "\n", "嵌套层数过多"),
    (small(**{"previous_cumulative: 500": "previous_cumulative: 1e30"}), "数字过大"),
    (small(**{"previous_cumulative: 500": "previous_cumulative: 1e-30"}), "小数位数过多"),
    (small(**{"previous_cumulative: 500": "previous_cumulative: 99999999999999999999999999999999999"}), "数字过大"),
    # past Python's 4,300 digits, and an exponent Decimal cannot hold (were 内部错误)
    (small(**{"previous_cumulative: 500": "previous_cumulative: 1" + "0" * 5000}), "位数或指数过大"),
    (small(**{"previous_cumulative: 500": "previous_cumulative: 1e-99999999999999999999"}), "位数或指数过大"),
])
def test_case_12_extreme_nesting_and_numbers_are_located_errors(cli, tmp_path, text, words):
    path = unit(tmp_path, text)
    for command in ("check", "render"):
        result = cli(command, path)
        out = result.stdout + result.stderr
        assert result.exit_code == 2 and words in out and f"{path}:" in out and "内部错误" not in out


@pytest.mark.parametrize(("old", "new", "words"), [
    ("actual: 80", "actual: true", "应为数字，不能是“True”"),
    ("year: 2019}", "year: 2019, date: 0}", "应为日期"),
    ("year: 2019}", "year: 2019, date: 2019-02-30}", "应为日期"),
    ("previous: 90", "previous: 0117275", "无法确定“0117275”"),
    ("previous: 90", "previous: 12:30", "无法确定“12:30”"),
])
def test_case_14_16_misreads_are_located_errors(cli, tmp_path, old, new, words):
    path = unit(tmp_path, small(**{old: new}))
    result = cli("check", path)
    assert result.exit_code == 2 and words in result.stdout and f"{path}:" in result.stdout


def test_case_14_a_date_like_unit_name_is_text_on_every_path(tmp_path):
    from sireport.data.load import load_report

    for comment in ("", "# 注意!\n"):
        loaded = load_report(unit(tmp_path, comment + small(**{"测试县001": "2019-1-5"})))
        assert loaded.report.report.unit == "2019-1-5"


def test_case_15_an_unrelated_exclamation_mark_changes_nothing(tmp_path):
    from sireport.data.load import read_tree

    text = small(**{"income: 100": "income: 117275.0000000000000001"})
    plain, _ = read_tree(unit(tmp_path, text, "a.yaml"))
    marked, _ = read_tree(unit(tmp_path, text + "# 注意!\n", "b.yaml"))
    assert plain == marked
    for path in sorted(EXAMPLES.glob("*.yaml")):
        twin = unit(tmp_path, path.read_text(encoding="utf-8") + "# 注意!\n", "twin.yaml")
        assert read_tree(twin)[0] == read_tree(path)[0]


def test_case_16_a_huge_bad_value_is_quoted_in_part(cli, tmp_path):
    path = unit(tmp_path, small(**{"actual: 80": f"actual: {'八' * 2_000_000}"}))
    result = cli("check", path)
    assert result.exit_code == 2 and "文字过长（2,000,000 个字符" in result.stdout
    assert len(result.stdout) < 2000


def test_case_17_str_tag_makes_text(cli, tmp_path):
    path = unit(tmp_path, small(**{"测试县001": "!!str 117275"}))
    assert render(cli, path).exit_code == 0
    assert reports(tmp_path)[0].name.startswith("117275-2019")


def test_case_18_a_mapping_of_200000_keys_is_refused_at_once(cli, tmp_path):
    path = unit(tmp_path, small() + "extra:\n" + "".join(f"  k{i}: {i}\n" for i in range(200_000)))
    result = cli("check", path)
    assert result.exit_code == 2 and "数据过大" in result.stdout


# -------------------------------------------------------------- cases 13, 19, 21, 22: names and files

def test_case_13_a_long_name_is_capped_with_a_hash(cli, tmp_path):
    long = "哈" * 90
    path = unit(tmp_path, small(**{"测试县001": long}))
    assert render(cli, path).exit_code == 0
    [report] = reports(tmp_path)
    assert len(report.name.encode("utf-8")) <= 180 and "~" in report.name
    assert safe_name(long + "甲", ".docx") != safe_name(long + "乙", ".docx")


def test_case_13_a_full_disk_is_a_chinese_error_naming_the_file(cli, tmp_path, monkeypatch):
    path = unit(tmp_path, small())
    real = os.replace

    def full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = render(cli, path)
    monkeypatch.setattr(os, "replace", real)
    assert result.exit_code == 2 and "磁盘空间不足" in result.stderr and "测试县001-2019" in result.stderr
    assert not list((tmp_path / "out").iterdir())  # no temporary file left


def test_case_13_a_rename_failing_after_another_leaves_no_temporary_file(tmp_path, monkeypatch):
    from sireport.errors import OutputError
    from sireport.files import write_all

    real = os.replace

    def second_fails(source, target):
        if Path(target).name == "b.txt":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(OutputError, match="b.txt：无法写入（磁盘空间不足）") as caught:
        write_all([(tmp_path / "a.txt", b"a"), (tmp_path / "b.txt", b"b")])
    assert str(caught.value).endswith(f"（{tmp_path / 'a.txt'} 已写出）")  # not only 原有文件未改动
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"] and (tmp_path / "a.txt").read_bytes() == b"a"


def test_case_13_output_to_an_existing_folder_means_into_it(cli, tmp_path):
    folder = tmp_path / "报告.docx"  # a folder, whatever its name ends with
    folder.mkdir()
    result = cli("render", unit(tmp_path, small()), "-o", folder, "--force")
    assert result.exit_code == 0 and (folder / "测试县001-2019-社会保险基金支出绩效自评报告.docx").exists()


def test_case_19_names_that_collide_once_cleaned_or_by_case_are_all_failures_with_nothing_written(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    names = {"a.yaml": "a/b", "b.yaml": "a_b", "c.yaml": "a\\\\b", "d.yaml": "ABC", "e.yaml": "abc", "f.yaml": "好县"}
    for file, name in names.items():
        unit(folder, small(**{"测试县001": f'"{name}"'}), file)
    result = run_batch([folder], tmp_path / "out", jobs=1)
    assert sorted(Path(u.source).name for u in result.failed) == ["a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml"]
    assert [p.name for p in reports(tmp_path)] == ["好县-2019-社会保险基金支出绩效自评报告.docx"]
    problems = [[c.value for c in row] for row in load_workbook(result.problems)["问题清单"].iter_rows()]
    failed = sorted(sorted(Path(f).name for f in row[1].split("、")) for row in problems if row[4] == "单位重名")
    assert failed == [["a.yaml", "b.yaml", "c.yaml"], ["d.yaml", "e.yaml"]]  # each collision said once


def test_case_19_an_interrupted_run_leaves_no_stale_summary(tmp_path, monkeypatch):
    import sireport.run.batch

    folder = tmp_path / "units"
    folder.mkdir()
    unit(folder, small(), "a.yaml")
    first = run_batch([folder], tmp_path / "out", jobs=1)
    assert first.summary.exists() and first.problems.exists()

    def interrupted(*args):
        raise KeyboardInterrupt
        yield

    monkeypatch.setattr(sireport.run.batch, "_run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_batch([folder], tmp_path / "out", jobs=1)
    assert not (tmp_path / "out" / SUMMARY_NAME).exists() and not (tmp_path / "out" / PROBLEMS_NAME).exists()


def test_case_20_external_relationships_in_a_template_are_warned_about(cli, tmp_path):
    template = tmp_path / "external.docx"
    with zipfile.ZipFile(DEFAULT) as old, zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/_rels/settings.xml.rels" or info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/attachedTemplate" '
                                    b'Target="file://server/share/x.dotm" TargetMode="External"/></Relationships>')
            new.writestr(info, data)
    result = cli("template", "check", template)
    assert result.exit_code == 0 and "外部链接“file://server/share/x.dotm”（attachedTemplate）" in result.stdout


def test_case_21_files_get_the_umask_mode(cli, tmp_path):
    previous = os.umask(0o022)
    try:
        assert render(cli, unit(tmp_path, small())).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(reports(tmp_path)[0].stat().st_mode) == 0o644


@pytest.mark.parametrize("name", ['a:b', 'a*b', 'a?b', 'a|b', 'a<b>', 'a"b', "a\\nb", "a\\tb", "a\\rb", "CON", "nul"])
def test_case_22_output_names_are_valid_on_windows(cli, tmp_path, name):
    path = unit(tmp_path, small(**{"测试县001": json.dumps(name).replace("\\\\", "\\")}))
    result = render(cli, path)
    assert result.exit_code == 0, result.stderr
    assert len(reports(tmp_path)) == 1
    for report in reports(tmp_path):
        assert not set(report.name) & set('<>:"/\\|?*\n\t\r') and report.name.split(".")[0].upper() not in {"CON", "NUL"}


def test_case_9_a_merged_header_is_an_error_at_the_headless_columns(cli, workbook):
    book = load_workbook(workbook)
    book["收入"].merge_cells("C1:E1")
    book.save(workbook)
    result = cli("check", workbook)
    assert result.exit_code == 2 and "收入!D1" in result.stdout and "收入!E1" in result.stdout
    assert "表头单元格可能被合并" in result.stdout


def test_case_9_a_deleted_income_sheet_is_an_error(cli, workbook):
    book = load_workbook(workbook)
    del book["收入"]
    book.save(workbook)
    result = cli("check", workbook)
    assert result.exit_code == 2 and "缺少工作表“收入”" in result.stdout


def test_case_13_a_full_disk_while_writing_the_xlsx_leaves_neither_file(cli, tmp_path, monkeypatch):
    import sireport.files

    real = sireport.files._stage

    def full_for_workbooks(path, data):
        if path.suffix == ".xlsx":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(sireport.files, "_stage", full_for_workbooks)
    result = cli("render", EXAMPLES / "hejing-2019.yaml", "-o", tmp_path / "out", "--xlsx")
    assert result.exit_code == 2 and "磁盘空间不足" in result.stderr and ".xlsx" in result.stderr
    assert not list((tmp_path / "out").iterdir())
