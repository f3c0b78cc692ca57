"""Server-side template injection payloads: none runs, each is refused with a Chinese message.

Each payload is put into a real .docx and rendered with the real engine, twice: through
``make_engine`` (the template check runs first) and straight through the sandboxed
engine (no check), so that the sandbox itself is tested, not only the check.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from docx import Document

from conftest import EXAMPLES

MARKER = "PWNED_MARKER"
PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ report.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__.__builtins__.open('MARKER', 'w').write('x') }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__.__builtins__.__import__('os').popen('touch MARKER') }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(report) }}",
    "{{ '{x.__class__}'.format_map({'x': report}) }}",
    "{{ report|attr('__class__') }}",
    "{{ report['__class__']['__init__']['__globals__'] }}",
    "{% for i in range(10**10) %}{{ i }}{% endfor %}",
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{{ 'x' * 10000000000 }}",
    "{% for i in range(1000) %}{% for j in range(1000) %}{{ 'x' * 50000 }}{% endfor %}{% endfor %}",
    "{{ 10 ** 10 ** 10 ** 10 }}",
    "{{ 2 ** 100000000 }}",
    "{{ dict.mro()[-1].__subclasses__() }}",
    "{{ numbering.__init__.__globals__['__builtins__']['__import__']('os').system('touch MARKER') }}",
    "{{ p.amount.__globals__ }}",
    "{{ p._module.__class__.__init__.__globals__ }}",
    "{{ p.compare.__closure__[0].cell_contents.__globals__ }}",
    "{{ p|attr('_calls') }}",
    "{{ p.amount._macro(report.unit) }}",  # the macro behind p.amount, whose text is not escaped
    "{{ (funds|map(attribute='__class__')|first).__init__ }}",  # map's lookup of an attribute
    # a macro's (and a caller's) result is measured, however the sandbox calls it
    "{% macro m() %}{% for i in range(3) %}{{ 'x' * 60000 }}{% endfor %}{% endmacro %}{% set x = m() %}{{ x|length }}",
    "{% macro m() %}{% set x = caller() %}{{ x|length }}{% endmacro %}{% call m() %}{{ 'x' * 60000 }}{{ 'x' * 60000 }}{% endcall %}",
    "{{ funds[0].source.model_config }}",
    "{{ report.__dict__ }}",
    "{% set x = namespace() %}{{ x.__class__.__mro__ }}",
    "{% include '../../../../etc/passwd' %}",
    "{% import 'os' as os %}{{ os.system('touch MARKER') }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    # small in memory, 10 GB once printed: a list of references to one long string
    "{% set s = 'x' * 100000 %}{{ [s] * 100000 }}",
    "{% set s = 'x' * 60000 %}{% set l = [] %}{% for i in range(1000) %}{{ l.append(s) }}{% endfor %}{{ l }}",
    "{% set s = 'x' * 60000 %}{% set l = [s, s] %}{{ l|string }}{{ l ~ '' }}{{ '%s' % (l,) }}",
    "{% set s = 'x' * 60000 %}{{ '{}'.format([s, s]) }}{{ [[s], [s]]|join }}{{ {'a': s, 'b': s}|tojson }}",
    # text escaped already (a set block, |e) is measured before it is printed, as any other
    "{% set x %}{{ 'a' * 60000 }}{{ 'a' * 60000 }}{% endset %}{{ x }}",
    "{% set s = '\"' * 30000 %}{{ s|e }}",
]


def _docx(path: Path, payload: str) -> Path:
    document = Document()
    document.add_paragraph("{{ report.unit }}")
    document.add_paragraph(payload)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def loaded():
    from sireport.data.load import load_report

    return load_report(EXAMPLES / "hami-2019.yaml")


def test_enough_payloads():
    assert len(PAYLOADS) >= 20


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("checked", [True, False], ids=["checked", "sandbox-only"])
def test_payload_is_refused(tmp_path, loaded, payload, checked):
    from sireport.errors import TemplateError
    from sireport.figures.compute import compute
    from sireport.run.render import prepare
    from sireport.word.context import build_context
    from sireport.word.engine import Engine
    from sireport.word.prepare import make_engine
    from sireport.word.search import builtin_dir

    marker = tmp_path / MARKER
    template = _docx(tmp_path / "evil.docx", payload.replace("MARKER", str(marker)))
    modules_before = set(sys.modules)
    with pytest.raises(TemplateError) as caught:
        if checked:
            make_engine(str(template)).render(prepare(loaded, checked=False).context)
        else:
            Engine(template, [builtin_dir()]).render(build_context(loaded.report, compute(loaded.report)))
    message = str(caught.value)
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert "正文第2段" in message or "正文" in message, message
    assert "Traceback" not in message
    assert not marker.exists()
    assert not {"os.path", "subprocess"} & (set(sys.modules) - modules_before)
    if checked:
        assert "第2段" in message, message


def test_sandbox_messages_are_specific(tmp_path, loaded):
    from sireport.errors import TemplateError
    from sireport.figures.compute import compute
    from sireport.word.context import build_context
    from sireport.word.engine import Engine
    from sireport.word.search import builtin_dir

    context = build_context(loaded.report, compute(loaded.report))
    expected = {
        "{{ report|attr('__class__') }}": "不允许访问“Settings”对象的内部属性“__class__”",
        "{% for i in range(10**10) %}{% endfor %}": "已被安全沙箱拒绝",
        "{{ 'x' * 10000000000 }}": "用 * 重复生成的内容过长",
        "{{ funds[0].source.model_config }}": "内部属性“model_config”",
        "{{ cycler }}": "数据中没有的字段：“cycler”",
        "{% for i in range(1000) %}{% for j in range(1000) %}{{ 'x' * 50000 }}{% endfor %}{% endfor %}":
            "生成的内容过长（超过 20,000,000 个字符",
        "{% macro m() %}{{ 'x' * 90000 }}{% endmacro %}{% for i in range(1000) %}{{ m() }}{% endfor %}":
            "生成的内容过长（超过 20,000,000 个字符",
        "{% set s = 'x' * 100000 %}{{ [s] * 100000 }}": "生成的文字或列表过长",
        "{% set s = 'x' * 60000 %}{% set l = [s, s] %}{{ l }}": "生成的文字或列表过长",
    }
    for payload, words in expected.items():
        template = _docx(tmp_path / "t.docx", payload)
        with pytest.raises(TemplateError) as caught:
            Engine(template, [builtin_dir()]).render(context)
        assert words in str(caught.value), (payload, str(caught.value))


def test_data_cannot_inject_xml(tmp_path, loaded):
    """Autoescaping: markup in the data stays text."""
    from sireport.figures.compute import compute
    from sireport.word.context import build_context
    from sireport.word.engine import Engine
    from sireport.word.search import builtin_dir

    report = loaded.report.model_copy(deep=True)
    report.report.unit = '</w:t></w:r><w:r><w:t>&"x"'
    out = tmp_path / "out.docx"
    out.write_bytes(Engine(_docx(tmp_path / "t.docx", "{{ report.unit }}"), [builtin_dir()]).render(
        build_context(report, compute(report))))
    assert Document(str(out)).paragraphs[0].text == '</w:t></w:r><w:r><w:t>&"x"'


def test_output_is_counted_as_it_is_produced():
    """The output limit stops a template that never ends (an endless stream of pieces), and
    lets a report-sized output through whole, in order."""
    import itertools

    from jinja2.sandbox import SecurityError

    from sireport.word.sandbox import MAX_OUTPUT, bounded_output

    with pytest.raises(SecurityError, match="生成的内容过长"):
        bounded_output(itertools.repeat("x" * 1000))
    pieces = [str(i) for i in range(10_000)] + ["", "", "end"]
    assert bounded_output(iter(pieces)) == "".join(pieces)
    assert len(bounded_output(itertools.repeat("y", MAX_OUTPUT))) == MAX_OUTPUT


def test_printed_size_counts_containers_once_and_stops_early():
    """A list printed is as long as its items printed; a list holding itself counts once; the
    count stops once past the limit, so a huge list costs no more than the limit."""
    from sireport.word.sandbox import MAX_SIZE, check_size, printed_size

    s = "x" * 1000
    assert printed_size([s, s]) > 2000
    assert printed_size({"k": s}) > 1000
    looped = [s]
    looped.append(looped)
    assert 1000 < printed_size(looped) < 2000
    assert printed_size([s] * 90) < MAX_SIZE < printed_size([s] * 110)
    assert check_size([s] * 90) == [s] * 90
    with pytest.raises(Exception, match="过长"):
        check_size([s] * 110)


def test_p_hides_the_phrase_module_s_own_names():
    """``{{ p }}`` printed the phrases module's top-level text unescaped through its __html__."""
    import types

    from markupsafe import escape

    from sireport.word.engine import Phrases

    p = Phrases(types.SimpleNamespace(__html__=lambda: "<w:t>x</w:t>", unit="甲县"))
    assert p.unit == "甲县"
    with pytest.raises(AttributeError):
        p.__html__  # noqa: B018
    assert "<w:t>" not in escape(p)
