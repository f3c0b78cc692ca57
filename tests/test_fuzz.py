"""Fuzz suite (issue 11): thousands of broken and hostile data files, workbooks and templates.

A seeded generator mutates real inputs (the examples, a small unit, its workbook, the
default template's text) with what an attacker or an unlucky clerk produces: control
characters, escaped surrogates, YAML 1.1 numbers, tags, aliases, deep nesting, huge and
tiny numbers, booleans and dates in the wrong place, cut and shuffled lines, merged
headers, deleted sheets, formulas, sandbox payloads. For each case:

- no exception but a :class:`SireportError` (no traceback, no 内部错误);
- an error is Chinese and says where (the file's name, with line or cell where it has one);
- a report that is written opens in python-docx and parses (and LibreOffice opens a sample,
  in the slow test); no temporary file is left;
- the whole run stays under 500 MB of memory.

The default profile (``python -m pytest``) runs :data:`CASES` cases, seeded, in about a
minute; ``python -m pytest tests/test_fuzz.py --fuzz`` runs ten times as many with a new
seed each time (printed, and reproducible with ``--fuzz-seed N``).
"""

from __future__ import annotations

import json
import random
import re
import resource
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from conftest import EXAMPLES, soffice
from sireport.errors import SireportError
from test_batch import SMALL_UNIT

CASES = {"text": 1500, "render": 60, "workbook": 150, "sandbox": 600, "template": 12}  # 2,322 in all
MEMORY_LIMIT = 500 * 2**20
CJK = re.compile("[\u4e00-\u9fff]")

HOSTILE_SCALARS = [
    "true", "false", "null", "~", "yes", "1e30", "-1e-30", "1e400", "0117275", "012", "12:30", "1:2:3", ".inf",
    "-.inf", ".nan", "0x1F", "0o17", "0b101", "1_000", "2019-02-30", "2019-1-5", "2020-09-10", "0", "-0", "+5", "5.",
    ".5", "117.275,50", "117,275", "１２３", "一百", "99999999999999999999999999999", "117275.0000000000000001",
    "!!str 117275", "!!int x", "!!float 1", "!!bool yes", "!!binary aGk=", "!foo bar", "! 5", "&a 5", "*a", "*nowhere",
    '"\\ud842\\udfb7"', '"\\ud842"', '"\\udfb7x"', '"\\x01"', '"\\x00"', '"\\x1b[31m"', '"\\uffff"', '"\\ufffe"',
    '"\\U0010FFFF"', "'''", '"', "[1, [2, [3, [4]]]]", "{a: 1}", "{<<: {pay_day: 1}}", "[]", "{}", "''", "|\n  多行",
    ">-\n  折叠", "<<", "? a", "- x", "%YAML 1.1", "---", "...", "@x", "`x`", "{{ x }}", "{% for %}",
    "'" + "八" * 60_000 + "'", "[" * 40 + "]" * 40, "-" * 3, "# 注意!", "\t", "哈密\u202e市", "\ufeff", "😀",
]
CHARS = ["\x00", "\x01", "\x08", "\x0b", "\x1f", "\x1b", "\x7f", "\ufffe", "\uffff", "\ud800", "\u2028", "\ufeff",
         "\t", "\n", "\r", " ", ":", "#", "!", "&", "*", "<", ">", "{", "}", "[", "]", ",", "'", '"', "\\", "|", "%",
         "@", "`", "-", "?", "哈", "𠮷", "０", "１"]


@pytest.fixture(scope="module")
def profile(request):
    big = request.config.getoption("--fuzz")
    seed = request.config.getoption("--fuzz-seed")
    if seed is None:
        seed = random.SystemRandom().randrange(2**32) if big else 20261201
    print(f"\nfuzz seed {seed} ({'--fuzz' if big else 'default'} profile)")
    return {"seed": seed, "scale": 10 if big else 1}


def cases(profile, kind: str) -> tuple[random.Random, int]:
    return random.Random(f"{profile['seed']}-{kind}"), CASES[kind] * profile["scale"]


BASES = [SMALL_UNIT.format(number=1, income=100), *(p.read_text(encoding="utf-8")
                                                    for p in sorted(EXAMPLES.glob("*.yaml"))[:3])]


def mutate(rng: random.Random, text: str) -> str:
    """One to three mutations of a YAML text."""
    for _ in range(rng.randint(1, 3)):
        lines = text.split("\n")
        choice = rng.random()
        index = rng.randrange(len(lines))
        if choice < 0.45:  # a value replaced
            line = lines[index]
            if ": " in line:
                head = line[: line.index(": ") + 2]
                lines[index] = head + rng.choice(HOSTILE_SCALARS).replace("\n", "\n" + " " * (len(head) - len(head.lstrip()) + 2))
        elif choice < 0.65:  # characters inserted
            line = lines[index]
            spot = rng.randrange(len(line) + 1)
            lines[index] = line[:spot] + "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 3))) + line[spot:]
        elif choice < 0.75:
            del lines[index]
        elif choice < 0.82:
            lines.insert(index, lines[index])
        elif choice < 0.9:
            lines[index] = " " * rng.randint(0, 6) + lines[index].lstrip()
        elif choice < 0.95:
            lines = lines[: index + 1]  # cut short
        else:
            lines.append(rng.choice(["x: &x [a, a]\ny: [*x, *x, *x]", "deep: " + "{a: " * rng.randint(20, 60) + "1"
                                     + "}" * 60, "<<: {unit: x}", "funds: !!map {}", "report: !!set {a}"]))
        text = "\n".join(lines)
    return text


def assert_located_chinese(exc: SireportError, path: Path) -> None:
    message = str(exc)
    assert CJK.search(message), message
    assert "内部错误" not in message and "Traceback" not in message, message
    assert path.name in message or any(path.name in p.where for p in exc.problems), message
    assert len(message) < 20_000, len(message)


def assert_memory_bounded(kind: str) -> None:
    """After a fuzz test's cases: the peak resident memory of this test process so far (its
    other tests included) is under MEMORY_LIMIT, so no case blew it up."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert peak < MEMORY_LIMIT, f"{kind}: peak {peak / 2**20:.0f} MB"


def no_temporary_files(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if p.name.startswith(".~")]


def run_case(path: Path, render: bool, out: Path) -> str:
    """Load, check and (if asked) render one data file; the outcome's kind."""
    from sireport import render as render_report
    from sireport.checks import check_report
    from sireport.data.kind import is_project, load_data

    try:
        loaded = load_data(path)
        if not is_project(loaded):
            check_report(loaded)
        if not render:
            return "loaded"
        rendered = render_report(path, out=out, force=True)
    except SireportError as exc:
        assert_located_chinese(exc, path)
        return "refused"
    Document(str(rendered.path))  # python-docx opens it
    return "rendered"


def test_fuzz_data_files(profile, tmp_path):
    rng, count = cases(profile, "text")
    outcomes: Counter = Counter()
    for number in range(count):
        text = mutate(rng, rng.choice(BASES))
        suffix = ".yaml"
        if rng.random() < 0.1:  # the same data as JSON, with escapes
            try:
                import yaml

                text = json.dumps(yaml.safe_load(text), ensure_ascii=rng.random() < 0.5, default=str)
                suffix = ".json"
            except Exception:  # noqa: BLE001  (a mutated text PyYAML cannot read stays YAML)
                pass
        path = tmp_path / f"case{number}{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            outcomes[run_case(path, False, tmp_path / "out")] += 1
        except AssertionError as exc:
            raise AssertionError(f"case {number} (seed {profile['seed']}): {str(exc)[:500]}") from exc
        path.unlink()
    print(f"data files: {count} cases, {dict(outcomes)}")
    assert outcomes["refused"] and outcomes["loaded"]  # the generator reaches both sides
    assert_memory_bounded("data files")


def test_fuzz_rendered_reports(profile, tmp_path):
    rng, count = cases(profile, "render")
    outcomes: Counter = Counter()
    out = tmp_path / "out"
    for number in range(count):
        path = tmp_path / f"case{number}.yaml"
        path.write_text(mutate(rng, BASES[0]), encoding="utf-8", errors="surrogatepass")
        outcomes[run_case(path, True, out)] += 1
    no_temporary_files(tmp_path)
    print(f"renders: {count} cases, {dict(outcomes)}")
    assert outcomes["rendered"]
    assert_memory_bounded("renders")


WORKBOOK_VALUES = [True, False, 10**20, -1e-30, 2020, 0, "117.275,50", "1,5", "一百", "=1/0", "=SUM(A1:A3)",
                   "2019-02-30", "x" * 40_000, "哈密\u2028市", "", " ", None, 1.5, "TRUE", "是", "否", "#N/A"]


def test_fuzz_workbooks(profile, tmp_path, cli):
    rng, count = cases(profile, "workbook")
    source = tmp_path / "unit.yaml"
    source.write_text(BASES[0], encoding="utf-8")
    base = tmp_path / "base.xlsx"
    assert cli("convert", source, base).exit_code == 0
    outcomes: Counter = Counter()
    for number in range(count):
        book = load_workbook(base)
        for _ in range(rng.randint(1, 3)):
            ws = book[rng.choice(book.sheetnames)]
            choice = rng.random()
            if choice < 0.75:
                cell = ws.cell(row=rng.randint(1, max(2, ws.max_row + 1)), column=rng.randint(1, max(1, ws.max_column + 1)))
                cell.value = rng.choice(WORKBOOK_VALUES)
            elif choice < 0.85 and ws.max_column > 2:
                ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=rng.randint(3, ws.max_column))
            elif choice < 0.92 and len(book.sheetnames) > 1:
                del book[ws.title]
            else:
                ws.cell(row=rng.choice([2, 1000, 1048576]), column=rng.choice([1, 50, 16384])).number_format = "0.00"
        path = tmp_path / f"case{number}.xlsx"
        book.save(path)
        outcomes[run_case(path, False, tmp_path / "out")] += 1
        path.unlink()
    print(f"workbooks: {count} cases, {dict(outcomes)}")
    assert outcomes["refused"]
    assert_memory_bounded("workbooks")


SNIPPETS = ["'a'", "'x' * 1000", "[1, 2]", "range(10)", "range(999)", "report.unit", "funds", "3500000000", "10**9",
            "ns.s", "'{:>99999999}'", "'%99999999s'", "l", "lipsum", "cycler", "''.__class__", "self", "config",
            "report.__class__", "report.model_dump", "namespace(s='ab')", "'a'.ljust(99999999)", "(1,) * 99999999"]
FILTERS = ["center(99999999)", "indent(99999999)", "format('a')", "join", "list", "length", "replace('a', 'aaaa')",
           "wordwrap(5)", "e", "safe", "attr('__class__')", "map('upper')", "batch(99999999)", "sum", "int",
           "string", "truncate(5)", "center(5)", "default('x')", "first", "reverse"]
STATEMENTS = ["{{ %s }}", "{{ %s|%s }}", "{%% set ns = namespace(s=%s) %%}{%% for i in range(40) %%}"
              "{%% set ns.s = ns.s ~ ns.s %%}{%% endfor %%}", "{%% set l = [%s] %%}{%% for i in range(40) %%}"
              "{%% set _ = l.extend(l) %%}{%% endfor %%}{{ l|%s }}", "{%% for i in %s %%}{{ i }}{%% endfor %%}",
              "{%% include %s %%}", "{%% import %s as m %%}", "{{ %s.format(1) }}", "{{ %s %% 1 }}"]


def sandbox_payload(rng: random.Random) -> str:
    statement = rng.choice(STATEMENTS)
    args = [rng.choice(SNIPPETS) if index == 0 else rng.choice(FILTERS) for index in range(statement.count("%s"))]
    return statement % tuple(args)


def test_fuzz_sandbox_payloads(profile, tmp_path):
    from jinja2.sandbox import SecurityError

    from sireport.word.engine import make_environment
    from sireport.word.sandbox import time_limit

    rng, count = cases(profile, "sandbox")
    (tmp_path / "ok.j2").write_text("可以", encoding="utf-8")
    (tmp_path / "link.j2").symlink_to("/etc/passwd")
    env = make_environment([tmp_path])
    context = {"report": {"unit": "哈密市"}, "funds": [{"name": "失业保险"}]}
    outcomes: Counter = Counter()
    for _ in range(count):
        payload = sandbox_payload(rng)
        try:
            with time_limit(5):
                text = env.from_string(payload).render(context)
            assert len(text) <= 20_000_000 and "root:" not in text, payload
            outcomes["rendered"] += 1
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001  (a render turns each into a located TemplateError: test_fuzz_templates)
            outcomes["sandbox" if isinstance(exc, SecurityError) else "refused"] += 1
    print(f"sandbox payloads: {count} cases, {dict(outcomes)}")
    assert outcomes["sandbox"] and outcomes["rendered"]
    assert_memory_bounded("sandbox payloads")


def test_fuzz_templates(profile, tmp_path):
    from sireport.files import check_package

    rng, count = cases(profile, "template")
    data = tmp_path / "unit.yaml"
    data.write_text(BASES[0], encoding="utf-8")
    default = Path(__file__).resolve().parent.parent / "sireport" / "templates" / "default.docx"
    outcomes: Counter = Counter()
    for number in range(count):
        template = tmp_path / f"case{number}.docx"
        document = Document(str(default))
        paragraphs = document.paragraphs
        for _ in range(rng.randint(1, 3)):
            paragraph = rng.choice(paragraphs)
            paragraph.add_run(sandbox_payload(rng) if rng.random() < 0.7 else rng.choice(["{{", "{%", "}}", "{% if %}",
                                                                                         "{{ report.unit"]))
        document.save(str(template))
        try:
            outcomes[run_template(data, template, tmp_path / f"out{number}")] += 1
        except SireportError as exc:
            assert CJK.search(str(exc)) and "内部错误" not in str(exc) and template.name in str(exc), str(exc)
            outcomes["refused"] += 1
        else:
            for report in (tmp_path / f"out{number}").glob("*.docx"):
                check_package(report.read_bytes(), report)
    no_temporary_files(tmp_path)
    print(f"templates: {count} cases, {dict(outcomes)}")
    assert outcomes["refused"]
    assert_memory_bounded("templates")


def run_template(data: Path, template: Path, out: Path) -> str:
    from sireport import render

    rendered = render(data, template=str(template), out=out)
    Document(str(rendered.path))
    return "rendered"


@pytest.mark.slow
def test_fuzz_sample_opens_in_libreoffice(profile, tmp_path):
    rng, _ = cases(profile, "render")
    out = tmp_path / "out"
    rendered = []
    for number in range(40):
        path = tmp_path / f"case{number}.yaml"
        path.write_text(mutate(rng, BASES[0]), encoding="utf-8", errors="surrogatepass")
        if run_case(path, True, out) == "rendered":
            rendered.append(path)
    reports = sorted(out.glob("*.docx"))[:5]
    assert reports
    converted = subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                                "--convert-to", "txt:Text", "--outdir", str(tmp_path / "txt"), *map(str, reports)],
                               capture_output=True, timeout=300)
    assert converted.returncode == 0
    assert len(list((tmp_path / "txt").glob("*.txt"))) == len(reports)
