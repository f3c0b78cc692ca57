"""Finding LibreOffice: ``soffice`` and a Python that can ``import uno`` to drive it.

Windows and macOS: LibreOffice ships its own Python beside ``soffice``. Debian/Ubuntu:
the system ``python3`` with the package python3-uno. ``SIREPORT_SOFFICE`` and
``SIREPORT_UNO_PYTHON`` override what is found. On Linux the converter runs LibreOffice
with ``FONTCONFIG_FILE`` pointing at :data:`FONTS_CONF` (free stand-ins for the official
faces, see :mod:`sireport.pdf.fonts`).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sireport.errors import PdfError

FONTS_CONF = Path(__file__).with_name("fonts.conf")
WORKER = Path(__file__).with_name("uno_worker.py")

INSTALL_HINT = """安装方法：
  - Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk fonts-arphic-gkai00mp fonts-liberation2
    （仿宋的替代字体 FandolFang 见 docs/PDF输出.md）
  - Windows：从 LibreOffice 官网下载安装包（Windows x86-64），按默认位置安装即可（自带所需的 Python）；
    或设置环境变量 SIREPORT_SOFFICE 为 soffice.exe 的完整路径
详见 docs/PDF输出.md。"""

_WINDOWS_DIRS = [Path(os.environ.get(var, "")) / "LibreOffice" / "program"
                 for var in ("ProgramFiles", "ProgramFiles(x86)") if os.environ.get(var)]
_MAC_DIR = Path("/Applications/LibreOffice.app/Contents")


@dataclass(frozen=True)
class Office:
    """How to start a converter: the soffice program and the Python that has ``uno``."""

    soffice: Path
    python: Path

    def environment(self) -> dict[str, str]:
        """The converter's environment: the font substitutions, and none of this Python's paths."""
        env = font_environment()
        env.pop("PYTHONPATH", None)  # the converter's Python must not see this environment's packages
        env.pop("PYTHONHOME", None)
        return env


def font_environment() -> dict[str, str]:
    """This environment with, on Linux, the font substitutions of :data:`FONTS_CONF` (for
    LibreOffice and for fc-match alike)."""
    env = dict(os.environ)
    if sys.platform.startswith("linux"):
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


def find_soffice() -> Path | None:
    """The soffice program: SIREPORT_SOFFICE, the PATH, then the usual install folders."""
    configured = os.environ.get("SIREPORT_SOFFICE")
    if configured:
        return Path(configured) if Path(configured).exists() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return Path(found)
    for folder in [*_WINDOWS_DIRS, _MAC_DIR / "MacOS"]:
        for name in ("soffice.exe", "soffice"):
            if (folder / name).exists():
                return folder / name
    return None


def _uno_pythons(soffice: Path) -> list[Path]:
    """Pythons that may have ``uno``, best first."""
    configured = os.environ.get("SIREPORT_UNO_PYTHON")
    if configured:
        return [Path(configured)]
    program = soffice.resolve().parent
    bundled = [program / "python.exe", program / "python", _MAC_DIR / "Resources" / "python"]
    system = [Path(p) for p in ("/usr/bin/python3", "/usr/local/bin/python3") if Path(p).exists()]
    return [p for p in bundled if p.exists()] + [Path(sys.executable)] + system


@functools.lru_cache(maxsize=4)
def _imports_uno(python: Path) -> bool:
    try:
        return subprocess.run([str(python), "-c", "import uno"], capture_output=True, timeout=60,
                              env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
                              ).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def find_office() -> Office:
    """LibreOffice and a Python that drives it; :class:`PdfError` (Chinese, how to install) if missing."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfError("未找到 LibreOffice（soffice），无法生成 PDF。\n" + INSTALL_HINT)
    for python in _uno_pythons(soffice):
        if _imports_uno(python):
            return Office(soffice, python)
    raise PdfError(f"找到了 LibreOffice（{soffice}），但没有能调用它的 Python 模块 uno，无法生成 PDF。\n"
                   "Debian/Ubuntu 请安装 python3-uno：sudo apt-get install python3-uno\n" + INSTALL_HINT)
