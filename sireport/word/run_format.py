"""The formatting a person sees on a run of text (加粗, 颜色, 字号…), in Chinese.

When ``template check`` merges a tag Word split over runs, the whole tag takes the
formatting of its first run, and so does the text the tag becomes. If the other runs
looked different (bold on half of the tag), that formatting is lost: :func:`format_loss`
says which part of the tag had what (docs/模板指南.md §4). Only what shows on the page
counts; language marks, proofing flags and revision ids do not.
"""

from __future__ import annotations

from lxml import etree

from sireport.word.template_xml import w as _w

_OFF = {"0", "false", "off", "none"}
_ALIGN = {"superscript": "上标", "subscript": "下标"}


def visible_format(run: etree._Element | None) -> dict[str, str]:
    """The run's direct formatting that shows on the page, as Chinese name → description."""
    rpr = run.find(_w("rPr")) if run is not None else None
    if rpr is None:
        return {}
    found: dict[str, str] = {}
    for child in rpr:
        if not isinstance(child.tag, str):
            continue
        name, value = etree.QName(child).localname, child.get(_w("val"))
        if name in ("b", "i", "strike", "dstrike", "caps", "smallCaps", "emboss", "imprint", "outline", "shadow") \
                and (value or "true").lower() not in _OFF:
            found[_TOGGLES[name]] = _TOGGLES[name]
        elif name == "u" and (value or "single") not in _OFF:
            found["下划线"] = "下划线"
        elif name == "color" and value and value.lower() != "auto":
            found["颜色"] = f"颜色 {value}"
        elif name == "highlight" and value and value not in _OFF:
            found["突出显示"] = f"突出显示 {value}"
        elif name == "sz" and value:
            found["字号"] = f"字号 {int(value) / 2:g} 磅"
        elif name == "rFonts":
            face = child.get(_w("eastAsia")) or child.get(_w("ascii")) or child.get(_w("hAnsi"))
            if face:
                found["字体"] = f"字体 {face}"
        elif name == "vertAlign" and value in _ALIGN:
            found["上下标"] = _ALIGN[value]
        elif name == "shd" and (child.get(_w("fill")) or "auto").lower() != "auto":
            found["底纹"] = f"底纹 {child.get(_w('fill'))}"
        elif name == "rStyle" and value:
            found["字符样式"] = f"字符样式 {value}"
        elif name == "spacing" and value and value != "0":
            found["字符间距"] = f"字符间距 {int(value) / 20:g} 磅"
    return found


_TOGGLES = {"b": "加粗", "i": "倾斜", "strike": "删除线", "dstrike": "双删除线", "caps": "全部大写",
            "smallCaps": "小型大写", "emboss": "阳文", "imprint": "阴文", "outline": "空心", "shadow": "阴影"}


def format_loss(pieces: list[tuple[str, etree._Element | None]]) -> str | None:
    """What merging the pieces ``(text, run)`` of one tag into the first loses, in Chinese; None
    if every piece looks the same."""
    first_text, first_run = pieces[0]
    first = visible_format(first_run)
    said = []
    for text, run in pieces[1:]:
        other = visible_format(run)
        lost = [description for key, description in other.items() if first.get(key) != description]
        if lost:
            said.append(f"“{text}”的格式（{'、'.join(lost)}）")
    gained = sorted({description for key, description in first.items()
                     if any(visible_format(run).get(key) != description for _, run in pieces[1:])})
    if not said and not gained:
        return None
    parts = []
    if said:
        parts.append(f"{'，'.join(said)}将丢失")
    if gained:
        parts.append(f"整个标签（及生成的文字）都将是开头“{first_text}”的格式（{'、'.join(gained)}）")
    return "合并后整个标签用开头一段文字的格式：" + "；".join(parts) + "。如需保留，请在 Word 中把整个标签设为同一格式"
