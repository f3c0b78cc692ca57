"""Fonts: the faces a template names, what stands in for each on this machine, and the
fonts a PDF embeds.

The official faces (方正小标宋简体, 黑体, 楷体_GB2312, 仿宋_GB2312, 宋体, Times New Roman)
are on the clerk's Windows machine; a Linux machine making PDFs has free stand-ins,
chosen by the fontconfig file ``sireport/pdf/fonts.conf`` that the converter
uses. :func:`font_report` asks fontconfig (``fc-list``, ``fc-match``) what it will pick.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from sireport.pdf.office import font_environment

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FONT_ATTRIBUTES = ("ascii", "hAnsi", "eastAsia", "cs")
_PARTS = re.compile(r"word/(document|styles|header\d*|footer\d*)\.xml$")


@dataclass
class Face:
    """One face a template names, and what this machine does with it."""

    name: str
    styles: list[str] = field(default_factory=list)  # the template styles naming it
    installed: bool | None = None  # None: fontconfig is not available to ask
    stand_in: str = ""  # what fc-match picks through the converter's fontconfig file


def template_faces(template: Path) -> dict[str, list[str]]:
    """Every face named in a .docx (styles and runs), with the styles that name it."""
    faces: dict[str, list[str]] = {}
    with zipfile.ZipFile(template) as archive:
        for name in archive.namelist():
            if not _PARTS.search(name):
                continue
            root = ElementTree.fromstring(archive.read(name))
            for element in root.iter(f"{W}rFonts"):
                for attribute in _FONT_ATTRIBUTES:
                    face = element.get(f"{W}{attribute}")
                    if face:
                        faces.setdefault(face, [])
            if name.endswith("styles.xml"):
                for style in root.iter(f"{W}style"):
                    label = style.find(f"{W}name")
                    for element in style.iter(f"{W}rFonts"):
                        for face in {element.get(f"{W}{a}") for a in _FONT_ATTRIBUTES} - {None}:
                            if label is not None and label.get(f"{W}val") not in faces[face]:
                                faces[face].append(label.get(f"{W}val"))
    return faces


def font_report(templates: list[Path]) -> list[Face]:
    """The faces named by ``templates``: installed here or not, and the stand-in."""
    merged: dict[str, Face] = {}
    for template in templates:
        for name, styles in template_faces(template).items():
            face = merged.setdefault(name, Face(name))
            face.styles += [s for s in styles if s not in face.styles]
    for face in merged.values():
        face.installed, face.stand_in = _installed(face.name), _stand_in(face.name)
    return sorted(merged.values(), key=lambda f: (f.name.isascii(), f.name))


def _fontconfig(*args: str) -> str | None:
    program = shutil.which(args[0])
    if program is None:
        return None
    env = font_environment()
    try:
        return subprocess.run([program, *args[1:]], capture_output=True, text=True, timeout=60,
                              env=env, encoding="utf-8").stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _installed(name: str) -> bool | None:
    listed = _fontconfig("fc-list", f":family={_escape(name)}", "family")
    return None if listed is None else bool(listed.strip())


def _stand_in(name: str) -> str:
    matched = _fontconfig("fc-match", "--format=%{family[0]}\t%{style[0]}", _escape(name))
    if not matched:
        return ""
    family, _, style = matched.partition("\t")
    return family if style in ("Regular", "Book", "") else f"{family} {style}"


def _escape(name: str) -> str:
    """A family name inside a fontconfig pattern (``-`` ``:`` ``,`` are special there)."""
    return re.sub(r"([\\\-:,])", r"\\\1", name)


_OBJECT = re.compile(rb"\d+ \d+ obj(.*?)endobj", re.S)
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")


def embedded_fonts(pdf: Path) -> tuple[str, ...]:
    """The fonts embedded in ``pdf`` (font descriptors with a font file), subset tags removed."""
    names = []
    for match in _OBJECT.finditer(Path(pdf).read_bytes()):
        body = match.group(1)
        if b"/FontDescriptor" not in body or b"/FontFile" not in body:
            continue
        found = _FONT_NAME.search(body)
        if found:
            name = re.sub(r"^[A-Z]{6}\+", "", _unescape(found.group(1)))
            if name not in names:
                names.append(name)
    return tuple(names)


def _unescape(name: bytes) -> str:
    """A PDF name: ``#xx`` is a byte in hex."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name).decode("utf-8", "replace")
