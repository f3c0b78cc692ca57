"""Cell properties that follow the data, with a template Word opens as it is.

A template must itself be valid, since clerks open it in Word: Jinja cannot sit in an
attribute of type enumeration (``<w:vMerge w:val="{{ x }}"/>`` makes Word "recover" the
template and drop the merge). So a cell whose vertical merge follows the data carries the
tag ``{% vmerge EXPR %}`` in its text (EXPR gives ``restart`` on a group's first row and
``continue`` below it), and :func:`compile_cell_tags` turns it into the attribute only in
the source Jinja compiles. Likewise ``{% keepnext EXPR %}`` in a cell keeps its row on the
page of the next row when EXPR is true (a w:keepNext on every paragraph of the row: the
rows of a group stay together). It also puts every cell's properties back in schema order,
since docxtpl's ``{% cellbg %}`` and ``{% colspan %}`` insert theirs first.
"""

from __future__ import annotations

import re

from lxml import etree

from sireport import ooxml

_VMERGE = re.compile(r"(<w:tc[ >](?:(?!<w:tc[ >]).)*?)\{%\s*vmerge\s+([^%]*?)\s*%\}(.*?</w:tc>)", re.S)
_OLD_VMERGE = re.compile(r"<w:vMerge\b[^>]*/>")
_PROPS_START = re.compile(r"<w:tcPr>|<w:tcPr/>")
_CELL_START = re.compile(r"<w:tc(?: [^>]*)?>")
_PROPS = re.compile(r"<w:tcPr>((?:(?!</?w:tcPr).)*)</w:tcPr>", re.S)
_DECLARATION = f' xmlns:w="{ooxml.W}"'


_KEEPNEXT = re.compile(r"(<w:tr[ >](?:(?!<w:tr[ >]).)*?)\{%\s*keepnext\s+([^%]*?)\s*%\}(.*?</w:tr>)", re.S)
_PARAGRAPH_PROPS = re.compile(r"<w:pPr>(<w:pStyle [^>]*/>)?|<w:p(?: [^>]*[^/>])?>(?!<w:pPr[ >/])")


def compile_cell_tags(source: str) -> str:
    """The patched template XML with ``{% vmerge EXPR %}`` cells, ``{% keepnext EXPR %}``
    rows and cell properties in order."""
    if "vmerge" in source:
        source = _VMERGE.sub(_vertical_merge, source)
    if "keepnext" in source:
        source = _KEEPNEXT.sub(_keep_next, source)
    return _PROPS.sub(_in_order, source)


def _keep_next(match: re.Match) -> str:
    """Every paragraph of the row gets ``<w:keepNext/>`` when the expression is true (the
    element comes right after w:pStyle in w:pPr)."""
    keep = f"{{% if {match.group(2)} %}}<w:keepNext/>{{% endif %}}"

    def insert(found: re.Match) -> str:
        text = found.group(0)
        return text + keep if text.startswith("<w:pPr>") else f"{text}<w:pPr>{keep}</w:pPr>"

    return _PARAGRAPH_PROPS.sub(insert, match.group(1) + match.group(3))


def _vertical_merge(match: re.Match) -> str:
    cell = _OLD_VMERGE.sub("", match.group(1) + match.group(3))
    merge = f'<w:vMerge w:val="{{{{ {match.group(2)} }}}}"/>'
    props = _PROPS_START.search(cell)
    if props is None:
        start = _CELL_START.match(cell)
        return cell[:start.end()] + f"<w:tcPr>{merge}</w:tcPr>" + cell[start.end():]
    if props.group(0) == "<w:tcPr/>":
        return cell[:props.start()] + f"<w:tcPr>{merge}</w:tcPr>" + cell[props.end():]
    return cell[:props.end()] + merge + cell[props.end():]


def _in_order(match: re.Match) -> str:
    """One w:tcPr with its children in schema order (left alone if it holds Jinja blocks)."""
    try:
        props = etree.fromstring(f"<w:tcPr{_DECLARATION}>{match.group(1)}</w:tcPr>")
    except etree.XMLSyntaxError:
        return match.group(0)
    if (props.text or "").strip() or any((node.tail or "").strip() for node in props):
        return match.group(0)
    order = [etree.QName(node).localname for node in props]
    ooxml.reorder(props)
    if order == [etree.QName(node).localname for node in props]:
        return match.group(0)
    return etree.tostring(props, encoding="unicode").replace(_DECLARATION, "")
