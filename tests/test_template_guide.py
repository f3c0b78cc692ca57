"""docs/模板指南.md is tested: every name it documents exists, every name a template can use is
documented, and its before/after examples do what it says."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import EXAMPLES, ROOT
from docxtext import full_text

GUIDE = (ROOT / "docs" / "模板指南.md").read_text(encoding="utf-8")
ALIASES = {"f": "funds", "line": "funds.income", "it": "funds.income_items", "x": "funds.people", "c": "columns"}


def documented_rows() -> list[str]:
    """The first `name` of every table row of the guide (rows showing tag syntax excepted)."""
    return [m.group(1) for m in re.finditer(r"^\| `([^`{]+)`", GUIDE, flags=re.M)]


def test_context_types_match_what_render_provides():
    from sireport.data.load import load_report
    from sireport.figures.compute import compute
    from sireport.run.render import build_context
    from sireport.word.context_types import CONTEXT

    report = load_report(EXAMPLES / "hami-2019.yaml").report
    assert set(build_context(report, compute(report))) == set(CONTEXT)


def test_every_context_name_and_filter_is_documented():
    from sireport.word.context_types import CONTEXT, GLOBALS
    from sireport.word.filters import FILTERS

    rows = set(documented_rows())
    for name in [*CONTEXT, "p", "numbering"]:
        assert name in rows, f"context name {name} is not documented in docs/模板指南.md"
    for name in FILTERS:
        assert name in rows, f"filter {name} is not documented in docs/模板指南.md"
    assert set(GLOBALS) - {"range", "dict", "namespace"} <= rows


def test_every_field_of_every_object_is_documented():
    from sireport.data.model import Achieved, Cover, FundText, PensionAdjustment, ReportText, Settings, Targets
    from sireport.data.thresholds import Thresholds
    from sireport.figures.compute import FundFigures, Line, Months, PeopleFigures, Totals
    from sireport.word.context_types import attribute_names

    rows = set(documented_rows())
    owners = {"report": Settings, "report.cover": Cover, "text": ReportText, "f": FundFigures, "line": Line,
              "x": PeopleFigures, "totals": Totals, "f.months": Months, "thresholds": Thresholds,
              "f.targets": Targets, "f.achieved": Achieved, "f.text": FundText,
              "f.pension_adjustment": PensionAdjustment}
    missing = [f"{alias}.{name}" for alias, kind in owners.items() for name in attribute_names(kind)
               if f"{alias}.{name}" not in rows]
    assert not missing, f"not documented in docs/模板指南.md: {missing}"


def test_every_documented_variable_exists():
    from sireport.word.context_types import CONTEXT, known, phrase_macros
    from sireport.word.engine import make_environment
    from sireport.word.filters import FILTERS, Numbering
    from sireport.word.search import builtin_dir

    macros = phrase_macros(make_environment([builtin_dir()]))
    for row in documented_rows():
        name = re.sub(r"\(.*", "", row)
        head, _, rest = name.partition(".")
        if head == "p" and rest:
            assert rest in macros, row
        elif head == "n" and rest:
            assert hasattr(Numbering, rest), row
        elif "." in name or name in CONTEXT:
            path = ALIASES.get(head, head) + ("." + rest if rest else "")
            assert known(path), f"docs/模板指南.md documents {row}, which templates cannot use"
        else:
            assert name in FILTERS or name in ("p", "numbering") or (builtin_dir() / f"{name}.docx").is_file(), row
    for macro in macros:
        assert f"`p.{macro}(" in GUIDE, f"macro {macro} of phrases.j2 is not documented"


def _after_block(heading: str) -> str:
    section = GUIDE[GUIDE.index(heading):]
    return re.search(r"改后：\s*```\n(.*?)```", section, flags=re.S).group(1)


def _default_source() -> str:
    from tools.template_source import expand_includes

    folder = ROOT / "sireport" / "templates" / "source"
    return expand_includes((folder / "default.txt").read_text(encoding="utf-8"), folder)


def _render_with_source(tmp_path: Path, source: str) -> str:
    from sireport.run.render import render
    from tools.template_source import build

    (tmp_path / "t.txt").write_text(source, encoding="utf-8")
    build(tmp_path / "t.txt", tmp_path / "t.docx")
    if not (tmp_path / "phrases.j2").exists():
        shutil.copy(ROOT / "sireport" / "templates" / "phrases.j2", tmp_path / "phrases.j2")
    return full_text(render(EXAMPLES / "hami-2019.yaml", out=tmp_path / "r.docx", template=str(tmp_path / "t.docx")).path)


def test_guide_example_fund_note(tmp_path):
    """5.3: the note appears under 失业保险 with 稳岗补贴支出 2140 + 技能提升补贴支出 52 from the data."""
    lines = _after_block("### 5.3").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("{%p if f.key"))
    block = [lines[start], "p: " + lines[start + 1], lines[start + 2]]
    source = _default_source()
    anchor = "{%p for para in f.text.capacity|paras %}\np: {{ para }}\n{%p endfor %}\n"
    assert anchor in source
    text = _render_with_source(tmp_path, source.replace(anchor, anchor + "\n".join(block) + "\n"))
    assert "失业保险基金继续落实援企稳岗政策，全年支出稳岗补贴和技能提升补贴2192万元。" in text
    assert text.count("援企稳岗政策，全年支出") == 1


def test_guide_example_sentence_in_phrases(tmp_path):
    """4.2: the edit of phrases.j2 shown in the guide changes every comparison with the budget."""
    before = re.search(r"改前（`compare` 宏[^）]*）：\s*```\n(.*?)```", GUIDE, flags=re.S).group(1).strip()
    after = _after_block("### 4.2").strip()
    phrases = (ROOT / "sireport" / "templates" / "phrases.j2").read_text(encoding="utf-8")
    assert before in phrases
    (tmp_path / "phrases.j2").write_text(phrases.replace(before, after), encoding="utf-8")
    text = _render_with_source(tmp_path, _default_source())
    assert "增长5.29%，占年度预算的99.39%" in text and "完成年度预算的" not in text
