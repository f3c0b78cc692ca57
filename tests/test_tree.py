"""The README's 目录 section lists every folder of the project, one line each, and nothing else."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import ROOT

SKIPPED = {"__pycache__", "build", "dist", "test-artifacts"}


def folders_on_disk() -> set[str]:
    found = set()
    for top, dirs, _ in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not (d.startswith(".") or d in SKIPPED or d.endswith(".egg-info"))]
        relative = Path(top).relative_to(ROOT)
        if relative.parts[:1] == ("output",):
            dirs[:] = []  # what a user renders there is not part of the project
        if relative.parts:
            found.add(relative.as_posix())
    return found


def folders_in_readme() -> dict[str, str]:
    """Folder path → its one-line explanation, from the tree in the 目录 section."""
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## 目录\n", 1)[1].split("\n## ", 1)[0]
    tree = re.search(r"```text\n(.*?)```", section, re.S).group(1)
    listed, stack = {}, []
    for line in tree.splitlines():
        match = re.match(r"( *)(\S+)/ +(\S.*)$", line)
        assert match, f"README 目录: not “folder/  explanation”: {line!r}"
        depth = len(match.group(1)) // 2
        stack[depth:] = [match.group(2)]
        assert len(stack) == depth + 1, f"README 目录: indented too far: {line!r}"
        listed["/".join(stack)] = match.group(3)
    return listed


def test_readme_tree_matches_the_folders():
    listed = folders_in_readme()
    on_disk = folders_on_disk()
    assert not on_disk - set(listed), f"folders missing from README 目录: {sorted(on_disk - set(listed))}"
    assert not set(listed) - on_disk, f"README 目录 lists folders that do not exist: {sorted(set(listed) - on_disk)}"


def test_every_package_folder_says_what_it_holds():
    for folder in (ROOT / "sireport").iterdir():
        init = folder / "__init__.py"
        if init.is_file():
            assert init.read_text(encoding="utf-8").startswith('"""'), f"{init}: no docstring"


def test_example_headers_name_no_machine_path():
    for path in (ROOT / "data_examples").rglob("*.yaml"):
        assert not re.search(r"(^|[\s（(])/(work|home|root|tmp|Users)/", path.read_text(encoding="utf-8"), re.M), path
