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


def test_a_member_replaced_as_before_is_written_as_a_fresh_skeleton_writes_it():
    template = (builtin_dir() / "default.docx").read_bytes()
    skeleton = ZipSkeleton(template)
    footer = "<页脚/>".encode()
    for body in ("<正文一/>", "<正文二/>", "<正文二/>", "<正文三/>"):
        replaced = {"word/document.xml": body.encode(), "word/footer1.xml": footer}
        built = skeleton.build(replaced)
        assert built == ZipSkeleton(template).build(replaced)
        with zipfile.ZipFile(io.BytesIO(built)) as archive:
            assert archive.testzip() is None
            assert archive.read("word/document.xml") == body.encode() and archive.read("word/footer1.xml") == footer
