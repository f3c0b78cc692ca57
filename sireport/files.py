"""Writing reports safely: atomic replace, and never over a hand-edited report.

Every report sireport writes carries, in its document properties (标识/identifier), the
SHA-256 of every other part of the package. A report whose parts no longer match (a
clerk edited its text, footer, styles or settings in Word) or that sireport did not write is not overwritten unless
``force`` is given. A report is written to a temporary file beside the target and
renamed, so a crash or Ctrl+C never leaves a half-written .docx.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from sireport.errors import OutputError

STAMP = "sireport-sha256:"
_CORE = "docProps/core.xml"
OFFICE_SUFFIXES = frozenset({".docx", ".xlsx", ".xlsm"})
ERRNO_WORDS = {  # OS errors a clerk can act on, in Chinese
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "磁盘为只读",
    errno.ENAMETOOLONG: "文件名过长", errno.EISDIR: "同名的目录已存在", errno.ENOTDIR: "路径中有同名的文件",
    errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EIO: "磁盘读写错误",
}
_IDENTIFIER = re.compile(r"<dc:identifier>.*?</dc:identifier>|<dc:identifier/>", re.S)


def part_hash(data: bytes) -> bytes:
    """The hash of one part of a package (see :func:`package_digest`)."""
    return hashlib.sha256(data).digest()


def package_digest(hashes: Mapping[str, bytes]) -> str:
    """SHA-256 over every part of an Office file (name → :func:`part_hash`) but the properties
    that hold the stamp: an edit of the text, a footer, the styles or the settings changes it."""
    digest = hashlib.sha256()
    for name in sorted(n for n in hashes if n != _CORE):
        digest.update(name.encode("utf-8") + b"\0" + hashes[name])
    return digest.hexdigest()


def _digest(archive: zipfile.ZipFile) -> str:
    return package_digest({name: part_hash(archive.read(name)) for name in archive.namelist()})


def stamp(docx: bytes) -> bytes:
    """Return ``docx`` (or .xlsx) with the digest of its content written into its properties."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    core = stamped_core(source.read(_CORE).decode("utf-8"), _digest(source))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = core.encode("utf-8") if info.filename == _CORE else source.read(info)
            target.writestr(info, data)
    return out.getvalue()


def stamped_core(core: str, digest: str) -> str:
    """The document properties ``core`` with ``digest`` (see :func:`_digest`) written in 标识."""
    tag = f"<dc:identifier>{STAMP}{digest}</dc:identifier>"
    declared = tag.replace("<dc:identifier>", '<dc:identifier xmlns:dc="http://purl.org/dc/elements/1.1/">')
    return _IDENTIFIER.sub(tag, core) if _IDENTIFIER.search(core) else core.replace(
        "</cp:coreProperties>", declared + "</cp:coreProperties>")  # openpyxl declares dc: per element


def is_untouched(path: Path) -> bool:
    """True if ``path`` is a report sireport wrote and nobody changed since."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read(_CORE).decode("utf-8")
            digest = _digest(archive)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    match = re.search(re.escape(STAMP) + r"([0-9a-f]{64})", core)
    return bool(match) and match.group(1) == digest


_WINDOWS_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?", re.I)
MAX_NAME_BYTES = 180  # of a file name in UTF-8 (systems allow 255; room for the temporary file's affixes)


def safe_name(name: str, suffix: str) -> str:
    """``name`` + ``suffix`` as a file name every system accepts: characters Windows refuses
    (``<>:"/\\|?*``, control characters) become ``_``, a reserved name (CON, NUL, COM1…)
    gets a ``_`` in front, trailing dots and spaces go, and a name too long is cut and given
    a hash of the whole name (so that two long names stay different)."""
    stem = _WINDOWS_INVALID.sub("_", name).rstrip(" .") or "_"
    if _RESERVED.fullmatch(stem + suffix):
        stem = "_" + stem
    if len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        tail = "~" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        room = MAX_NAME_BYTES - len((tail + suffix).encode("utf-8"))
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .") + tail
    return stem + suffix


def docx_target(output: str | Path | None, default: Path) -> Path:
    """The .docx path for ``-o``: a file, a folder (default name inside, whatever its name
    ends with) or a name without suffix."""
    target = Path(output) if output else default
    if target.is_dir():
        return target / default.name
    if target.suffix.lower() != ".docx":
        target = target / default.name if target.is_dir() or not target.suffix else target.with_suffix(".docx")
    return target


def refuse_existing(path: Path, force: bool = False, *, option: str = "--force") -> None:
    """Never replace an existing file that is a person's work (a data file, a template
    copy, a fixed template) unless ``force``; ``option`` names the flag that allows it
    (empty when the command has none)."""
    if path.exists() and not force:
        hint = f"如确需覆盖，请加 {option}，或换一个文件名" if option else "请换一个文件名"
        raise OutputError(f"{path}：文件已存在，为免覆盖已有内容未写出。{hint}")


def check_writable(path: Path, force: bool) -> None:
    """Refuse to replace a report that was edited after sireport wrote it."""
    if not force and path.exists() and not is_untouched(path):
        raise OutputError(
            f"{path}：该报告已在生成后被修改（或不是 sireport 生成的），为保护手工修改的内容未覆盖。"
            "如确需覆盖，请加 --force；或用 -o 指定新的文件名")


@dataclass(frozen=True)
class Built:
    """An Office file made in memory (:class:`sireport.word.zipwriter.ZipSkeleton`): its zip
    bytes, and what :func:`check_package` would read back from them, member by member, so
    that it is checked without unzipping it again."""

    data: bytes  # the zip file
    members: Sequence[tuple[str, int, int]]  # (name, CRC-32, size) of each member, in zip order
    read: Callable[[str], bytes] = field(repr=False)  # a member's uncompressed bytes


def write_atomic(path: Path, data: bytes | IO[bytes], force: bool = False) -> Path:
    """Write ``data`` (bytes, or a binary file read from its start) to ``path`` through a
    temporary file and a rename (:func:`write_all`)."""
    return write_all([(path, data)], force)[0]


def write_all(files: list[tuple[Path, bytes | IO[bytes] | Built]], force: bool = False) -> list[Path]:
    """Write every file or none: each to a temporary file beside it, then all renamed (a
    report and its .xlsx: a full disk leaves neither half; a rename failing after another,
    which is rare, says which file is in place already). An Office file first has every XML
    part parsed (:func:`check_package`: re-read, or from memory when :class:`Built`): a
    document Word could not open never replaces anything. Each file gets the mode the umask
    allows (as ``open``)."""
    for path, data in files:
        check_writable(path, force)
        if path.suffix.lower() in OFFICE_SUFFIXES:
            check_package(data, path)
    staged: list[str] = []
    current, renamed = files[0][0], 0
    try:
        for current, data in files:
            staged.append(_stage(current, data))
        for temp, (current, _) in zip(staged, files):
            os.replace(temp, current)
            renamed += 1
    except PermissionError:
        raise OutputError(f"{current}：无法写入，文件可能正在 Word 中打开，请关闭后重试{_written(files[:renamed])}") from None
    except OSError as exc:
        raise OutputError(f"{current}：无法写入（{os_reason(exc)}），原有文件未改动{_written(files[:renamed])}") from None
    finally:
        for temp in staged[renamed:]:
            _remove(temp)  # (those renamed are gone)
    return [path for path, _ in files]


def _written(files: list[tuple[Path, Any]]) -> str:
    """What a failed write_all had put in place already (the files renamed before the failure)."""
    return f"（{'、'.join(str(path) for path, _ in files)} 已写出）" if files else ""


def _stage(path: Path, data: bytes | IO[bytes] | Built) -> str:
    """``data`` in a temporary file beside ``path`` (named with the pid: a batch sweeps a
    killed worker's); its name."""
    if not path.parent.is_dir():  # (one look at the disk where mkdir(exist_ok) takes two and an exception)
        path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".~" + path.stem[:20], suffix=f".{os.getpid()}.tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, Built):
                stream.write(data.data)
            elif isinstance(data, bytes):
                stream.write(data)
            else:  # a file: copied in blocks (a long 问题清单 is never whole in memory)
                data.seek(0)
                shutil.copyfileobj(data, stream)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp's 0600 is for the temporary file only
    except BaseException:
        _remove(temp)
        raise
    return temp


def os_reason(exc: OSError) -> str:
    """An OS error in Chinese where a clerk can act on it, else the system's own words."""
    return ERRNO_WORDS.get(exc.errno, exc.strerror or type(exc).__name__)  # type: ignore[arg-type]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


MAX_PART = 64 * 2**20  # bytes of one part of a template or workbook, unpacked (a real one: under 2 MB)
MAX_PACKAGE = 256 * 2**20  # bytes of all parts, unpacked


def zip_too_big(source: Path | bytes) -> str | None:
    """Why an Office file is refused before it is unpacked (a zip bomb), or None. The sizes
    are those the zip's directory claims; the XML parsers stop at a part that lies."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            infos = archive.infolist()
    except (OSError, zipfile.BadZipFile):
        return None  # not a zip at all: the reader says so in its own words
    return sizes_too_big(infos)


def sizes_too_big(infos: list[zipfile.ZipInfo]) -> str | None:
    """:func:`zip_too_big` of a zip already open (its directory: ``infolist()``)."""
    total = sum(info.file_size for info in infos)
    biggest = max(infos, key=lambda info: info.file_size, default=None)
    if biggest is not None and biggest.file_size > MAX_PART:
        return f"其中的“{biggest.filename}”解压后有 {biggest.file_size:,} 字节，超过上限 {MAX_PART:,} 字节（文件异常或被构造）"
    if total > MAX_PACKAGE:
        return f"解压后共 {total:,} 字节，超过上限 {MAX_PACKAGE:,} 字节（文件异常或被构造）"
    return None


CHUNK = 2**16  # bytes of a part parsed at a time (expat's ParseFile: 2 kB through the zip reader)
_PARSED: set[tuple[str, int, int]] = set()  # parts parsed before (a template's styles, in every report)


def check_package(data: bytes | IO[bytes] | Built, path: Path) -> None:
    """Refuse an Office file whose zip or XML parts do not parse (it would not open in Word).
    A part already parsed (same name, CRC and size) is not parsed again; the parts of a file
    made in memory (:class:`Built`) are parsed from memory, and not at all when a part of
    the same shape parsed before (:func:`_shape`: a report's body differs from the last one
    in its texts)."""
    if isinstance(data, Built):
        for name, crc, size in data.members:
            if _unparsed(name, crc, size):
                part = data.read(name)
                if len(part) != size or zlib.crc32(part) != crc:  # not that member's bytes (a name
                    return check_package(data.data, path)  # written twice): the zip read as it is
                shape = _shape(part)
                if shape is None or shape not in _SHAPES:
                    _parse(name, crc, size, (part,), path)
                    if shape is not None:
                        _keep_shape(shape)
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            for info in archive.infolist():
                if _unparsed(info.filename, info.CRC, info.file_size):
                    with archive.open(info) as part:  # streamed: a long 问题清单 is never whole in memory
                        chunks = iter(lambda: part.read(CHUNK), b"")  # (a report's body: one or two)
                        _parse(info.filename, info.CRC, info.file_size, chunks, path)
    except zipfile.BadZipFile as exc:
        raise OutputError(f"{path}：生成的文件不是有效的压缩包，未写出（{exc}）") from None


SHAPES = 16  # shapes of parts kept (a batch's bodies: one shape per set of funds)
LONGEST_SHAPE = 1_000_000  # bytes of a part whose shape is kept (a report's body: under 100,000)
_SHAPES: dict[bytes, None] = {}  # digests of the shapes of parts parsed before (_shape), oldest first
_SHAPES_LOCK = threading.Lock()  # (renders in threads: one eviction at a time)
# an element's text (before an end tag) made of characters that parse wherever such a text can
# stand but in a comment (no markup, reference or ]]> can start or end in it; no character XML refuses)
_TEXT = re.compile(r">[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]+</")


def _shape(part: bytes) -> bytes | None:
    """The digest of ``part`` with each element's text left out where any other such text (:data:`_TEXT`)
    parses as well: two parts of one shape both parse or neither does, so that a report's body
    is parsed once per shape, not once per unit. None when that cannot be told: a part that
    is long, not UTF-8, or has a comment (-- ends it) or a document type declaration (its
    literals may hold an end tag)."""
    if len(part) > LONGEST_SHAPE or declared_not_utf8(part):
        return None
    if b"\x00" in part:  # UTF-16 the parser tells from the first bytes (no UTF-8 part with one parses)
        return None
    try:
        text = part.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "<!--" in text or "<!DOCTYPE" in text:
        return None
    return hashlib.blake2b(_TEXT.sub("></", text).encode(), digest_size=16).digest()


def declared_not_utf8(xml: bytes) -> bool:
    """Whether the XML declaration of ``xml`` names an encoding other than UTF-8."""
    declared = _DECLARED.match(xml)
    return declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8")


_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")


def _keep_shape(shape: bytes) -> None:
    with _SHAPES_LOCK:
        if len(_SHAPES) >= SHAPES:
            del _SHAPES[next(iter(_SHAPES))]
        _SHAPES[shape] = None


def _unparsed(name: str, crc: int, size: int) -> bool:
    """Whether a member is an XML part not parsed before."""
    return name.endswith((".xml", ".rels")) and (name, crc, size) not in _PARSED


def _parse(name: str, crc: int, size: int, chunks: Iterable[bytes], path: Path) -> None:
    """Parse one XML part, given in pieces; remember it parsed (bounded)."""
    parser = expat.ParserCreate()
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise OutputError(f"{path}：生成的文件无效，未写出（{name} 第 {exc.lineno} 行："
                          f"{expat.ErrorString(exc.code)}）") from None
    if len(_PARSED) < 10_000:
        _PARSED.add((name, crc, size))


def _remove(temp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)
