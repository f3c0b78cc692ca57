"""The zip writer copies the template's members and replaces only what a report changes."""

from __future__ import annotations

import io
import zipfile

from sireport.word.search import builtin_dir
from sireport.word.zipwriter import ZipSkeleton


def test_members_are_copied_and_replaced_members_are_new():
    template = builtin_dir() / "default.docx"
    skeleton = ZipSkeleton(template.read_bytes())
    built = zipfile.ZipFile(io.BytesIO(skeleton.build({"word/document.xml": "<新的正文/>".encode()})))
    assert built.testzip() is None  # every CRC checks out
    with zipfile.ZipFile(template) as original:
        assert built.namelist() == original.namelist()
        for name in original.namelist():
            expected = "<新的正文/>".encode() if name == "word/document.xml" else original.read(name)
            assert built.read(name) == expected, name
