"""Every docs page the code or the README cites exists, and so does every section (§) it names."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

CITATION = re.compile(r"docs/([^\s)`'\"，。；、：:,;|]+?\.md)(?:\s*§\s*(\d+(?:\.\d+)?))?")
SOURCES = ("sireport", "tools", "benchmarks", "tests")


def citing_files() -> list[Path]:
    return [ROOT / "README.md"] + [path for folder in SOURCES for path in sorted((ROOT / folder).rglob("*.py"))]


def sections(page: Path) -> set[str]:
    """The numbers of a page's numbered headings: ``## 6. 可以使用的变量`` → ``6``, ``### 6.5 …`` → ``6.5``."""
    return {match.group(1) for match in re.finditer(r"^#+\s*(\d+(?:\.\d+)?)\.?\s", page.read_text(encoding="utf-8"), re.M)}


def broken_citations() -> list[str]:
    broken = []
    for path in citing_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            if "DOMAIN §" in line and path.name != Path(__file__).name:
                broken.append(f"{where}: cites DOMAIN, which is not in the repository")
            for match in CITATION.finditer(line):
                page = ROOT / "docs" / match.group(1)
                if not page.is_file():
                    broken.append(f"{where}: docs/{match.group(1)} does not exist")
                elif match.group(2) and match.group(2) not in sections(page):
                    broken.append(f"{where}: docs/{match.group(1)} has no section {match.group(2)}")
    return broken


def test_citations_are_read():
    found = [m.groups() for m in CITATION.finditer("见 docs/模板指南.md §6.5，以及 `docs/检查规则.md`）")]
    assert found == [("模板指南.md", "6.5"), ("检查规则.md", None)]
    assert {"6", "6.5", "8.5"} <= sections(ROOT / "docs" / "模板指南.md")


def test_every_cited_page_and_section_exists():
    assert broken_citations() == []
