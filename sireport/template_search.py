"""Where templates are found: an ordered search path (DOMAIN §2, STYLE habit 8).

Order: an explicit ``--template`` path; the user's template folder
(``SIREPORT_TEMPLATES`` or ``./sireport-templates``); the project's ``templates/`` in
the current folder; the built-in templates shipped with the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import TemplateError

DEFAULT = "default"


def builtin_dir() -> Path:
    """The built-in templates: ``sireport/templates`` when installed (package data), or the
    project's top-level ``templates/`` when running from a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / f"{DEFAULT}.docx").is_file():
            return candidate
    raise TemplateError(f"安装不完整：找不到内置模板目录（{here / 'templates'}），请重新安装 sireport")


def search_dirs() -> list[Path]:
    dirs = []
    user = os.environ.get("SIREPORT_TEMPLATES")
    if user:
        dirs.append(Path(user))
    dirs += [Path("sireport-templates"), Path("templates"), builtin_dir()]
    seen, unique = set(), []
    for d in dirs:
        key = d.resolve()
        if d.is_dir() and key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def find_template(name_or_path: str | None) -> Path:
    """Resolve a template name (``default``) or a .docx path along the search path."""
    name = name_or_path or DEFAULT
    candidate = Path(name)
    if candidate.suffix.lower() == ".docx" or candidate.exists():
        if not candidate.is_file():
            raise TemplateError(f"{candidate}：找不到模板文件")
        return candidate
    for folder in search_dirs():
        path = folder / f"{name}.docx"
        if path.is_file():
            return path
    available = sorted({p.stem for d in search_dirs() for p in d.glob("*.docx")})
    raise TemplateError(f"找不到名为“{name}”的模板。可用的模板：{'、'.join(available) or '（无）'}")
