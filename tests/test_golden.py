"""Every shipped example rendered and compared, as text, with the checked-in golden files.

The golden files in ``tests/golden/`` hold the paragraph and table text of each render
(one line per paragraph, one line per table row with cells joined by `` | ``). They change
only by a reviewed diff: after an intended change of wording or layout, regenerate them with

    SIREPORT_REGOLDEN=1 python -m pytest tests/test_golden.py

and review ``git diff tests/golden/`` before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES
from docxtext import full_text

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("SIREPORT_REGOLDEN") == "1"


def _is_project(path: Path) -> bool:
    return re.search(r"^project:", path.read_text(encoding="utf-8"), re.M) is not None


def _cases() -> list[tuple[Path, str]]:
    cases = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        templates = ["project-table"] if _is_project(path) else ["default", "six-part"]
        cases.extend((path, template) for template in templates)
    return cases


CASES = _cases()


def test_every_example_has_a_golden_text():
    names = {f"{path.stem}.{template}.txt" for path, template in CASES}
    assert len(names) >= 10
    if not REGENERATE:
        assert names == {p.name for p in GOLDEN.glob("*.txt")}


@pytest.mark.parametrize("path, template", CASES, ids=[f"{p.stem}-{t}" for p, t in CASES])
def test_render_matches_golden_text(cli, tmp_path, path, template):
    out = tmp_path / "report.docx"
    result = cli("render", path, "-t", template, "-o", out)
    assert result.exit_code == 0, result.stdout + result.stderr
    text = full_text(out) + "\n"
    golden = GOLDEN / f"{path.stem}.{template}.txt"
    if REGENERATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
