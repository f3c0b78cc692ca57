"""Write a .docx (a zip) quickly: copy the template's unchanged members as they are.

A Word template is mostly styles, fonts, themes and pictures that no report changes
(the default template: ~800 kB of styles against ~25 kB of body). Re-compressing them
for every report costs more than rendering the report, so :class:`ZipSkeleton` reads
each member's *compressed* bytes once and :meth:`ZipSkeleton.build` writes them back
verbatim, compressing only the members a report replaces (the body, the properties).
The archive written is a plain zip (no zip64: a report is far below 4 GB).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sireport.files import Built, part_hash

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8 = 0x800
LEVEL = 1  # deflate level of the replaced members: fastest; the body is small (~30 kB), so is the cost


@dataclass
class Member:
    """One zip member ready to be written: name, timestamps and compressed payload."""

    name: str
    date_time: tuple
    method: int
    crc: int
    size: int
    payload: bytes  # compressed bytes (or stored bytes when method is ZIP_STORED)
    external_attr: int = 0

    @classmethod
    def deflated(cls, name: str, data: bytes, like: Member | None = None) -> Member:
        packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        payload = packer.compress(data) + packer.flush()
        date_time = like.date_time if like else (1980, 1, 1, 0, 0, 0)
        return cls(name, date_time, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), payload,
                   like.external_attr if like else 0)


class ZipSkeleton:
    """The members of a template zip in order, with their compressed bytes.

    ``infos`` (the zip's directory) and ``unpacked`` (name -> uncompressed bytes) are what a
    caller that read the template already has (:meth:`of`): with them nothing is unzipped
    again; the ``changed`` members are compressed from ``unpacked``.
    """

    def __init__(self, data: bytes, infos: list[zipfile.ZipInfo] | None = None,
                 unpacked: dict[str, bytes] | None = None, changed: Collection[str] = ()):
        self.data = data
        self.members: list[Member] = []
        self._unpacked = unpacked
        self._hashes: dict[str, bytes] | None = None
        self._last: dict[str, tuple[bytes, Member]] = {}  # name -> the bytes last replaced, compressed
        if infos is None:
            with io.BytesIO(data) as raw, zipfile.ZipFile(raw) as archive:
                infos = archive.infolist()
        view = memoryview(data)
        for info in infos:
            offset = info.header_offset
            name_len, extra_len = struct.unpack("<2H", view[offset + 26:offset + 30])
            start = offset + _LOCAL.size + name_len + extra_len
            member = Member(info.filename, info.date_time, info.compress_type, info.CRC, info.file_size,
                            bytes(view[start:start + info.compress_size]), info.external_attr)
            if info.filename in changed:
                member = Member.deflated(info.filename, unpacked[info.filename], member)  # type: ignore[index]
            self.members.append(member)

    @classmethod
    def of(cls, package: Any) -> ZipSkeleton:
        """The skeleton of a template already read (sireport.word.template_xml.DocxTemplateFile)."""
        return cls(package.data, package.order, package.members, package.changed)

    def hashes(self) -> dict[str, bytes]:
        """Each member's :func:`sireport.files.part_hash` (computed once): the stamp of a
        report covers the members it copies from the template as well as those it replaces."""
        if self._hashes is None:
            self._hashes = {m.name: part_hash(self.read(m.name)) for m in self.members}
        return self._hashes

    def read(self, name: str) -> bytes:
        """The uncompressed bytes of a member of the template."""
        if self._unpacked is not None:
            return self._unpacked[name]
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            return archive.read(name)

    def _deflated(self, member: Member, data: bytes) -> Member:
        """``member`` with ``data``, compressed; not again when a report replaces it with the
        same bytes as the one before (a footer, the same in every report of a batch)."""
        last = self._last.get(member.name)
        if last is not None and last[0] == data:
            return last[1]
        replaced = self._last[member.name] = (data, Member.deflated(member.name, data, member))
        return replaced[1]

    def build(self, replaced: dict[str, bytes]) -> bytes:
        """The zip bytes: every member as in the template except those in ``replaced``."""
        return self.built(replaced).data

    def built(self, replaced: dict[str, bytes]) -> Built:
        """:meth:`build`, with each member's name, CRC and size and its uncompressed bytes
        (``replaced`` or the template's), so that the file is checked without unzipping it."""
        members = [member if member.name not in replaced else self._deflated(member, replaced[member.name])
                   for member in self.members]
        return Built(_zipped(members), [(m.name, m.crc, m.size) for m in members],
                     lambda name: replaced[name] if name in replaced else self.read(name))


def _zipped(members: list[Member]) -> bytes:
    """A zip of ``members`` (local headers and payloads, then the central directory)."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8
        dos_time = (member.date_time[3] << 11) | (member.date_time[4] << 5) | (member.date_time[5] // 2)
        dos_date = ((member.date_time[0] - 1980) << 9) | (member.date_time[1] << 5) | member.date_time[2]
        version = 20
        chunks.append(_LOCAL.pack(b"PK\x03\x04", version, flags, member.method, dos_time, dos_date,
                                  member.crc, len(member.payload), member.size, len(name), 0))
        chunks.append(name)
        chunks.append(member.payload)
        central.append(_CENTRAL.pack(b"PK\x01\x02", version, version, flags, member.method, dos_time,
                                     dos_date, member.crc, len(member.payload), member.size, len(name),
                                     0, 0, 0, 0, member.external_attr, offset) + name)
        offset += _LOCAL.size + len(name) + len(member.payload)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
