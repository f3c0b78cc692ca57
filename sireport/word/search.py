"""Where templates are found: an ordered search path (docs/模板指南.md §1).

Order: an explicit ``--template`` path; the user's template folder
(``SIREPORT_TEMPLATES`` or ``./sireport-templates``); the project's ``templates/`` in
the current folder; the built-in templates shipped with the package.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sireport.errors import TemplateError
from sireport.files import refuse_existing

DEFAULT = "default"
PHRASES = "phrases.j2"  # the sentence macros, found beside a template or among the built-in ones


def builtin_dir() -> Path:
    """The built-in templates, shipped as package data (``sireport/templates``)."""
    folder = Path(str(resources.files("sireport.templates")))
    if not (folder / f"{DEFAULT}.docx").is_file():
        raise TemplateError(f"安装不完整：找不到内置模板（{folder}），请重新安装 sireport")
    return folder


def builtin_template_paths() -> list[Path]:
    """Every built-in template (default, six-part, project-table)."""
    return sorted(builtin_dir().glob("*.docx"))


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


@dataclass(frozen=True)
class TemplateEntry:
    name: str
    path: Path
    origin: str  # where along the search path it was found (Chinese)
    shadowed: bool  # a template of the same name earlier on the path wins


def list_templates() -> list[TemplateEntry]:
    """Every template along the search path, in search order (the first of a name wins)."""
    entries, seen = [], set()
    for folder in search_dirs():
        for path in sorted(folder.glob("*.docx")):
            if path.name.startswith("~$"):  # Word's lock file while the template is open
                continue
            entries.append(TemplateEntry(path.stem, path, _origin(folder), path.stem in seen))
            seen.add(path.stem)
    return entries


def _origin(folder: Path) -> str:
    if folder.resolve() == builtin_dir().resolve():
        return "内置模板"
    if folder == Path("templates"):
        return "项目 templates/ 目录"
    return "用户模板目录"


def export_template(name: str, target: str | Path, force: bool = False) -> list[Path]:
    """Copy template ``name`` and its sentence macros (phrases.j2) for editing; return the files.

    ``target`` is a folder (the copy is ``<folder>/<name>.docx``) or a .docx path. The
    phrases.j2 beside the copy makes it self-contained: the engine looks beside the
    template first. Existing files are not overwritten unless ``force``.
    """
    source = find_template(name)
    target = Path(target)
    docx = target if target.suffix.lower() == ".docx" else target / source.name
    phrases_source = source.parent / PHRASES
    if not phrases_source.is_file():
        phrases_source = builtin_dir() / PHRASES
    copies = [(source, docx), (phrases_source, docx.parent / PHRASES)]
    for _, copy in copies:
        refuse_existing(copy, force)
    try:
        docx.parent.mkdir(parents=True, exist_ok=True)
        for original, copy in copies:
            shutil.copyfile(original, copy)
    except OSError as exc:
        raise TemplateError(f"{docx}：无法写入（{exc.strerror}）") from None
    return [copy for _, copy in copies]
