"""The schema-order helper: elements land at their schema position, and its orders are the schema's."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from lxml import etree

from sireport import ooxml

W = ooxml.W


def element(xml: str) -> etree._Element:
    return etree.fromstring(xml.replace("<w:tblPr>", f'<w:tblPr xmlns:w="{W}">', 1))


def names(parent: etree._Element) -> list[str]:
    return [etree.QName(node).localname for node in parent]


def test_insert_puts_an_element_between_its_schema_neighbours():
    props = element("<w:tblPr><w:tblStyle/><w:tblW/><w:jc/><w:tblLook/><w:tblCaption/></w:tblPr>")
    ooxml.insert(props, props.makeelement(ooxml.clark("w:tblCellMar")))
    ooxml.insert(props, props.makeelement(ooxml.clark("w:tblLayout")))
    ooxml.insert(props, props.makeelement(ooxml.clark("w:tblDescription")))
    assert names(props) == ["tblStyle", "tblW", "jc", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
                            "tblDescription"]


def test_child_returns_the_existing_element_and_creates_a_missing_one_in_place():
    props = element("<w:tblPr><w:tblStyle/><w:tblLook/></w:tblPr>")
    look = props[1]
    assert ooxml.child(props, "w:tblLook") is look
    ooxml.child(props, "w:tblW")
    assert names(props) == ["tblStyle", "tblW", "tblLook"]


def test_children_the_order_does_not_know_stay_where_they_are():
    props = element('<w:tblPr><w:tblStyle/><w:tblLook/><x:ext xmlns:x="urn:other"/></w:tblPr>')
    ooxml.child(props, "w:tblCaption")
    assert names(props) == ["tblStyle", "tblLook", "tblCaption", "ext"]  # extensions stay last
    table = etree.fromstring(f'<w:tbl xmlns:w="{W}"><w:bookmarkStart/><w:tblGrid/><w:tr/></w:tbl>')
    ooxml.child(table, "w:tblPr")
    assert names(table) == ["bookmarkStart", "tblPr", "tblGrid", "tr"]


def test_switch_on_writes_what_word_writes():
    row = etree.fromstring(f'<w:trPr xmlns:w="{W}"><w:cantSplit w:val="true"/></w:trPr>')
    ooxml.switch_on(row, "w:cantSplit")
    ooxml.switch_on(row, "w:tblHeader")
    assert etree.tostring(row).decode().endswith("><w:cantSplit/><w:tblHeader/></w:trPr>")


def test_reorder_sorts_an_excel_font_as_excel_writes_it():
    font = etree.fromstring(f'<font xmlns="{ooxml.X}"><name val="宋体"/><b val="1"/><color theme="1"/>'
                            '<sz val="10.5"/><family val="2"/></font>')
    ooxml.reorder(font)
    assert names(font) == ["b", "sz", "color", "name", "family"]


SCHEMAS = files("openxml_audit") / "data" / "openxml" / "schemas"
SCHEMA_FILES = {"w": "schemas_openxmlformats_org_wordprocessingml_2006_main.json",
                "x": "schemas_openxmlformats_org_spreadsheetml_2006_main.json"}


def schema_sequence(parent: str) -> list[list[str]]:
    """Every content model the validator's copy of the schema has for elements named ``parent``,
    flattened in document order (the Open XML SDK's particles)."""
    types = json.loads((SCHEMAS / SCHEMA_FILES[parent.split(":")[0]]).read_text(encoding="utf-8"))["Types"]

    def flat(particle: dict) -> list[str]:
        if "Items" not in particle:
            return [particle["Name"].rsplit("/", 1)[-1]] if "Name" in particle else []
        return [name for item in particle["Items"] for name in flat(item)]

    return [flat(t["Particle"]) for t in types if t["Name"].endswith("/" + parent) and "Particle" in t]


@pytest.mark.parametrize("parent", sorted(ooxml.SEQUENCES))
def test_each_order_is_the_schemas(parent):
    """Every child the helper knows is in the schema's content model, and any two children the
    helper orders come in that order there (the model that has most of them: w:tblPr also names
    a table style's properties)."""
    prefix = parent.split(":")[0]
    ranks = {f"{prefix}:{name}": rank for rank, choice in enumerate(ooxml.SEQUENCES[parent].split())
             for name in choice.split("|")}
    models = schema_sequence(parent)
    assert models, f"no {parent} in the schema"
    model = max(models, key=lambda names: len(set(names) & set(ranks)))
    assert set(ranks) <= set(model), f"not in the schema's {parent}: {set(ranks) - set(model)}"
    position = {name: model.index(name) for name in ranks}
    wrong = [(a, b) for a in ranks for b in ranks if ranks[a] < ranks[b] and position[a] > position[b]]
    assert wrong == []
