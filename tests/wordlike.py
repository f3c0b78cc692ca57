"""Make copies of a template the way Word, WPS and a Chinese input method leave them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PROOF = '<w:proofErr w:type="spellStart"/>'


def edit_document(source: Path, target: Path, *edits) -> Path:
    """Copy ``source`` to ``target`` applying each ``edit(xml) -> xml`` to word/document.xml."""
    with zipfile.ZipFile(source) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                for edit in edits:
                    changed = edit(xml)
                    assert changed != xml, f"edit {edit} changed nothing"
                    xml = changed
                data = xml.encode("utf-8")
            archive.writestr(info, data)
    target.write_bytes(out.getvalue())
    return target


def replace(old: str, new: str):
    """Replace the first occurrence of ``old`` (plain text inside one <w:t>)."""
    return lambda xml: xml.replace(old, new, 1)


def split_runs(tag: str, *pieces: str):
    """Split ``tag`` (inside one run) into runs at ``pieces``, with proofErr and rsid as Word does."""
    assert "".join(pieces) == tag

    def edit(xml: str) -> str:
        run = re.search(r"<w:r>(<w:rPr>.*?</w:rPr>)?<w:t[^>]*>([^<]*)" + re.escape(tag) + r"([^<]*)</w:t></w:r>", xml)
        assert run, f"{tag} not in one run"
        rpr = run.group(1) or ""
        before, after = run.group(2), run.group(3)
        runs = []
        for index, piece in enumerate(pieces):
            text = (before if index == 0 else "") + piece + (after if index == len(pieces) - 1 else "")
            runs.append(f'<w:r w:rsidRPr="00A1B{index}C3">{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>')
        joined = runs[0] + PROOF + runs[1] + '<w:proofErr w:type="spellEnd"/><w:bookmarkStart w:id="7" ' \
            'w:name="_GoBack"/><w:bookmarkEnd w:id="7"/>' + "".join(runs[2:])
        return xml[:run.start()] + joined + xml[run.end():]

    return edit


def remove_paragraph(text: str, occurrence: int = 1):
    """Delete the ``occurrence``-th paragraph whose whole text is ``text``."""

    def edit(xml: str) -> str:
        matches = [m for m in re.finditer(r"<w:p>(?:(?!<w:p>).)*?</w:p>", xml)
                   if re.sub(r"<[^>]+>", "", m.group(0)) == text]
        match = matches[occurrence - 1]
        return xml[:match.start()] + xml[match.end():]

    return edit
