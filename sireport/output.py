"""Writing reports safely: atomic replace, and never over a hand-edited report.

Every report sireport writes carries, in its document properties (标识/identifier), the
SHA-256 of its main document part. A report whose main part no longer matches (a
clerk edited it in Word) or that sireport did not write is not overwritten unless
``force`` is given. A report is written to a temporary file beside the target and
renamed, so a crash or Ctrl+C never leaves a half-written .docx.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from .errors import OutputError

STAMP = "sireport-sha256:"
_CORE = "docProps/core.xml"
_MAIN = "word/document.xml"
_IDENTIFIER = re.compile(r"<dc:identifier>.*?</dc:identifier>|<dc:identifier/>", re.S)


def stamp(docx: bytes) -> bytes:
    """Return ``docx`` with the digest of its main part written into its properties."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    core = stamped_core(source.read(_CORE).decode("utf-8"), source.read(_MAIN))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = core.encode("utf-8") if info.filename == _CORE else source.read(info)
            target.writestr(info, data)
    return out.getvalue()


def stamped_core(core: str, main: bytes) -> str:
    """The document properties ``core`` with the digest of the main part ``main`` in 标识."""
    tag = f"<dc:identifier>{STAMP}{hashlib.sha256(main).hexdigest()}</dc:identifier>"
    if _IDENTIFIER.search(core):
        return _IDENTIFIER.sub(tag, core)
    return core.replace("</cp:coreProperties>", tag + "</cp:coreProperties>")


def is_untouched(path: Path) -> bool:
    """True if ``path`` is a report sireport wrote and nobody changed since."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read(_CORE).decode("utf-8")
            main = archive.read(_MAIN)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    match = re.search(re.escape(STAMP) + r"([0-9a-f]{64})", core)
    return bool(match) and match.group(1) == hashlib.sha256(main).hexdigest()


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
        handle, temp = tempfile.mkstemp(prefix=".~" + path.stem[:20], suffix=".tmp", dir=path.parent)
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
    try:
        os.unlink(temp)
    except OSError:
        pass
