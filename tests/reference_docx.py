"""Word files made from the reference reports' text, as a clerk's Word file would hold them.

``tests/data/audit/*.txt`` are copies of ../shared/reference (the 哈密 收支分析表 rejoined
into rows): a line holding a tab is a table row (cells split at tabs; consecutive rows
make one table), any other non-empty line is a paragraph.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

SOURCES = Path(__file__).parent / "data" / "audit"
NAMES = ("hami-2019", "hejing-2019", "bureau-2019", "region-2018")


def build(source: Path, target: Path) -> Path:
    document = Document()
    rows: list[list[str]] = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            rows.append([cell.strip() for cell in line.split("\t")])
            continue
        _table(document, rows)
        rows = []
        if line.strip():
            document.add_paragraph(line.strip())
    _table(document, rows)
    document.save(str(target))
    return target


def _table(document, rows: list[list[str]]) -> None:
    if not rows:
        return
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def build_all(folder: Path) -> dict[str, Path]:
    return {name: build(SOURCES / f"{name}.txt", folder / f"{name}.docx") for name in NAMES}


if __name__ == "__main__":
    import sys

    for name, path in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).items():
        print(name, path)
