"""A table fitted from the memo is the table fitted anew, byte for byte (sireport.word.table_memo)."""

from __future__ import annotations

import random

import pytest
from lxml import etree

from sireport.word.engine import DYNAMIC_MARK, Engine, _fit, _fitted_table
from sireport.word.search import builtin_dir
from sireport.word.table_memo import LONGEST, TableMemo

OPENING = '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
LABELS = ["险种", "企业养老保险", "机关事业养老（改革）", "收入对比分析", "2019年", "增幅%", "满意度指标", "合计"]


@pytest.fixture(scope="module")
def compiled():
    return Engine(builtin_dir() / "default.docx", [builtin_dir()]).compile()


def cell(text: str, centred: bool = False, span: int = 1) -> str:
    """A cell; ``|`` in ``text`` parts its runs."""
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if centred else ""
    span_tag = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    runs = "".join(f'<w:r><w:t xml:space="preserve">{run}</w:t></w:r>' for run in text.split("|"))
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="1134"/>{span_tag}</w:tcPr><w:p>{props}{runs}</w:p></w:tc>'


def table(labels: list[str], figures: list[list[str]], caption: str = "sireport:fixed=17,24") -> str:
    """A rendered table as a {%tc for%} loop leaves it: one label column, a figure column per fund."""
    head = "<w:tr>" + cell(labels[0], span=2) + "".join(cell(label) for label in labels[1:]) + "</w:tr>"
    rows = "".join("<w:tr>" + cell(labels[i % len(labels)]) + cell(f"第{i}行") + "".join(cell(f, True) for f in row)
                   + "</w:tr>" for i, row in enumerate(figures))
    return (f'<w:tbl>{DYNAMIC_MARK}<w:tblPr><w:tblW w:type="auto" w:w="0"/><w:tblCaption w:val="{caption}"/>'
            '</w:tblPr><w:tblGrid><w:gridCol w:w="964"/><w:gridCol w:w="1361"/><w:gridCol w:w="57"/></w:tblGrid>'
            f"{head}{rows}</w:tbl>")


PLAIN = ["{:,}", "{}", "-{}", "{}.{}%", "{}人", "≥{}%", "第{}季度", "{}\t{}"]  # written back as they are
ESCAPED = ["{}&amp;{}", "{}&lt;", "&#34;{}&#34;"]  # lxml writes these otherwise: kept in the memo's key


def figures(rng: random.Random, columns: int, rows: int = 6, shapes: list[str] = PLAIN + ESCAPED) -> list[list[str]]:
    return [[rng.choice(shapes).format(rng.randrange(100000), rng.randrange(100)) for _ in range(columns)]
            for _ in range(rows)]


def test_units_of_one_shape_are_fitted_once_and_each_as_if_anew(compiled):
    memo, fits, rng = TableMemo(), [], random.Random(7)

    def fit(source: str) -> str:
        fits.append(source)
        return _fitted_table(source, OPENING, compiled)

    first = None
    for _ in range(30):
        rows = figures(rng, 4, shapes=PLAIN)
        first = first or rows
        source = table(LABELS[:5], rows)
        assert memo.fitted(source, OPENING, fit) == _fitted_table(source, OPENING, compiled)
    assert len(fits) == 1
    assert "企业养老保险" in fits[0]  # the labels in the key
    assert not [f for row in first for f in row if f"{f}<" in fits[0]]  # no figure of the unit fitted


def test_sentences_that_differ_from_unit_to_unit_are_fitted_once(compiled):
    memo, fits, rng = TableMemo(), [], random.Random(3)

    def fit(source: str) -> str:
        fits.append(source)
        return _fitted_table(source, OPENING, compiled)

    for unit in ("和静县社会保险管理局哈密", "巴音郭楞蒙古自治州社会保险事业管理局", "Hami County", "奎屯市 社保局"):
        source = table([*LABELS[:3], unit], figures(rng, 3, shapes=PLAIN))
        assert memo.fitted(source, OPENING, fit) == _fitted_table(source, OPENING, compiled)
    assert len(fits) == 1


def test_a_label_in_runs_keeps_every_run_that_makes_it_a_label(compiled):
    """满意度指标 and % in two runs are one label (fitted: indented), the % no text apart."""
    memo = TableMemo()
    for label in ("满意度指标|%", "满意度|指标%", "满意度指标|12"):
        source = table(["险种", label], [["1", "2"]] * 2)
        fitted = memo.fitted(source, OPENING, lambda s: _fitted_table(s, OPENING, compiled))
        assert fitted == _fitted_table(source, OPENING, compiled)
        assert ("<w:ind " in fitted) == (not label.endswith("12"))


def test_labels_with_digits_and_other_shapes_are_told_apart(compiled):
    memo, rng = TableMemo(), random.Random(11)
    for labels in (LABELS[:5], LABELS[2:7], ["险种", "企业养老保险2", "工伤保险", "合计", "第3项"], LABELS[:5]):
        for caption in ("sireport:fixed=17,24", "sireport:labels", "sireport:fixed=30"):
            source = table(labels, figures(rng, len(labels) - 1, 3), caption)
            assert memo.fitted(source, OPENING, lambda s: _fitted_table(s, OPENING, compiled)) == \
                _fitted_table(source, OPENING, compiled)


def test_a_fit_that_fails_fails_as_the_tables_own_xml_does(compiled):
    broken = table(LABELS[:3], [["1", "2"], ["3", "4&bogus;"]]).replace("</w:tr></w:tbl>", "</w:tbl>")
    with pytest.raises(etree.XMLSyntaxError) as direct:
        _fitted_table(broken, OPENING, compiled)
    with pytest.raises(etree.XMLSyntaxError) as memoized:
        TableMemo().fitted(broken, OPENING, lambda s: _fitted_table(s, OPENING, compiled))
    assert str(memoized.value) == str(direct.value)


def test_a_table_holding_the_placeholder_character_is_fitted_as_it_is(compiled):
    source = table(LABELS[:3], [["1\ue000", "2"], ["3", "0\ue0004"]])
    memo = TableMemo()
    assert memo.fitted(source, OPENING, lambda s: _fitted_table(s, OPENING, compiled)) == \
        _fitted_table(source, OPENING, compiled)
    assert not memo._fitted


def test_the_memo_is_bounded():
    memo = TableMemo(size=2)
    for label in ("甲", "乙", "丙"):
        memo.fitted(f"<w:tbl><w:t>{label}</w:t><w:t>1</w:t></w:tbl>", OPENING, lambda s: s)
    assert len(memo._fitted) == 2
    assert [masked for _, masked in memo._fitted] == ["<w:tbl><w:t>乙</w:t><w:t>0\ue000</w:t></w:tbl>",
                                                       "<w:tbl><w:t>丙</w:t><w:t>0\ue000</w:t></w:tbl>"]
    long = "<w:tbl><w:t>丁</w:t>" + "<w:t>1</w:t>" * (LONGEST // 12) + "</w:tbl>"
    assert memo.fitted(long, OPENING, lambda s: s) == long
    assert len(memo._fitted) == 2 and all("丁" not in masked for _, masked in memo._fitted)  # fitted, not kept


def test_renders_in_threads_share_a_small_memo(compiled):
    """Threads that fit tables of many shapes through one memo (evicting all the time) each
    get their own table's fit."""
    from concurrent.futures import ThreadPoolExecutor

    memo = TableMemo(size=2)
    sources = [table(["险种", label, "合计"], figures(random.Random(n), 2, 2, shapes=PLAIN))
               for n, label in enumerate(LABELS * 3)]

    def fitted(source: str) -> str:
        return memo.fitted(source, OPENING, lambda s: _fitted_table(s, OPENING, compiled))

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fitted, sources * 4))
    assert results == [_fitted_table(source, OPENING, compiled) for source in sources * 4]
    assert len(memo._fitted) <= 2


def test_a_cell_that_reads_like_a_caption_is_fitted_as_its_table_is(compiled):
    """Only the table's caption (w:tblCaption) asks for the fit after rendering: a cell's text
    with the same words (masked in the memo's key) changes nothing, fitted anew or from the memo."""
    for words in ("备注 sireport:labels", "sireport:fixed=40 的说明"):
        source = table(LABELS[:3], [["1", words], ["3", "4"]], caption="收支情况")
        assert TableMemo().fitted(source, OPENING, lambda s: _fitted_table(s, OPENING, compiled)) == \
            _fitted_table(source, OPENING, compiled)


def memo_fit(memo: TableMemo, source: str, compiled, fits: list[str] | None = None) -> str:
    """The memo's fit of ``source`` as the engine asks for it (the texts a fit reads known)."""
    def fit(table: str) -> str:
        if fits is not None:
            fits.append(table)
        return _fitted_table(table, OPENING, compiled)

    def reading(table: str) -> list[str]:
        if fits is not None:
            fits.append(table)
        return _fit(table, OPENING, compiled)[1]

    return memo.fitted(source, OPENING, fit, reading)


def test_a_name_in_a_cell_no_label_fits_in_is_masked(compiled):
    """A unit's name short enough to be a label, in a cell wider than any label (the 附表's
    预算单位): every unit's table from one fit, each as if fitted anew."""
    memo, fits, rng = TableMemo(), [], random.Random(5)
    for unit in ("和静县社会保险管理局", "和硕县社会保险管理局", "焉耆县医疗保障局", "博湖县社保局", "轮台县"):
        for caption in ("sireport:fixed=17,24", "sireport:labels"):
            source = table(LABELS[:4], figures(rng, 3, shapes=PLAIN), caption).replace(">险种<", f">{unit}<", 1)
            assert unit in source
            assert memo_fit(memo, source, compiled, fits) == _fitted_table(source, OPENING, compiled)
    assert len(fits) == 2 * 2  # per caption: the structure's fit (which texts it reads), then the masked table's
    assert all("和静县" not in fit for fit in fits)


def test_a_label_a_fit_reads_is_kept_in_the_key(compiled):
    """A label in a narrow cell is fitted (indented) by its own words: one fit per label."""
    memo, fits = TableMemo(), []
    for label in ("企业养老保险", "满意度指标", "企业养老保险", "机关事业养老"):
        source = table([*LABELS[:2], label], [["1", "2", "3"]] * 2, "sireport:fixed=17,24")
        source = source.replace(">险种<", f">{label}<", 1)  # in the head too (a wide cell: not read)
        fitted = memo_fit(memo, source, compiled, fits)
        assert fitted == _fitted_table(source, OPENING, compiled)
    assert "<w:ind " in fitted
    assert len(fits) == 1 + 3  # the structure once, each distinct label once


def test_random_tables_from_the_memo_are_fitted_as_anew(compiled):
    memo, rng = TableMemo(size=8), random.Random(17)
    words = "企业养老保险机关事业工伤失业生育满意度指标收入对比分析合计预算小计（改革）%"
    for _ in range(60):
        labels = ["".join(rng.choice(words) for _ in range(rng.randint(1, 11))) for _ in range(rng.randint(2, 5))]
        caption = rng.choice(["sireport:fixed=17,24", "sireport:labels", "sireport:fixed=30", "sireport:fixed=9"])
        source = table(labels, figures(rng, len(labels) - 1, rng.randint(1, 4)), caption)
        assert memo_fit(memo, source, compiled) == _fitted_table(source, OPENING, compiled), (labels, caption)


def test_an_empty_text_is_written_as_a_fresh_fit_writes_it(compiled):
    """An empty figure in a centred cell: <w:t .../> as anew (review: the memo put it back as
    <w:t ...></w:t>, the same text but other bytes than a fresh fit)."""
    source = table(LABELS[:3], [["", "12"], ["7", ""]])
    assert memo_fit(TableMemo(), source, compiled, []) == _fitted_table(source, OPENING, compiled)
