"""Writing reports safely: atomic replace, and never over a hand-edited report.

Every report sireport writes carries, in its document properties (标识/identifier), the
SHA-256 of its main document part. A report whose main part no longer matches (a
clerk edited it in Word) or that sireport did not write is not overwritten unless
``force`` is given. A report is written to a temporary file beside the target and
renamed, so a crash or Ctrl+C never leaves a half-written .docx.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from sireport.errors import OutputError

STAMP = "sireport-sha256:"
_CORE = "docProps/core.xml"
_MAIN = "word/document.xml"
_IDENTIFIER = re.compile(r"<dc:identifier>.*?</dc:identifier>|<dc:identifier/>", re.S)


def _digest(archive: zipfile.ZipFile) -> str:
    """SHA-256 of a .docx's main part; for other Office files (.xlsx) of every part but the properties."""
    names = archive.namelist()
    if _MAIN in names:
        return hashlib.sha256(archive.read(_MAIN)).hexdigest()
    digest = hashlib.sha256()
    for name in sorted(n for n in names if n != _CORE):
        digest.update(name.encode("utf-8") + b"\0" + archive.read(name))
    return digest.hexdigest()


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


def docx_target(output: str | Path | None, default: Path) -> Path:
    """The .docx path for ``-o``: a file, a folder (default name inside) or a name without suffix."""
    target = Path(output) if output else default
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
    if path.exists() and not force and not is_untouched(path):
        raise OutputError(
            f"{path}：该报告已在生成后被修改（或不是 sireport 生成的），为保护手工修改的内容未覆盖。"
            "如确需覆盖，请加 --force；或用 -o 指定新的文件名")


def write_atomic(path: Path, data: bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    check_writable(path, force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".~" + path.stem[:20], suffix=f".{os.getpid()}.tmp",
                                        dir=path.parent)  # the pid: a batch sweeps a killed worker's
    except OSError as exc:
        raise OutputError(f"{path}：无法写入输出目录（{exc.strerror}）") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except PermissionError:
        _remove(temp)
        raise OutputError(f"{path}：无法写入，文件可能正在 Word 中打开，请关闭后重试") from None
    except BaseException:
        _remove(temp)
        raise
    return path


def _remove(temp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)
