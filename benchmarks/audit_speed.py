"""How long ``sireport audit`` takes for a 15-page report (target: under 1 second).

Run: ``python benchmarks/audit_speed.py``. The report is the bodies of the shipped
examples rendered one after another into one .docx (8 + 6 + 6 funds, two 收支分析表, a
绩效自评表), counted in pages by LibreOffice when it is installed. The baseline, measured
in the same run, is only opening the .docx with python-docx, what any tool reading a
report pays; the ratio says what reading the claims and checking them costs beside it.
Each figure is the best of five rounds, with and without the data file. ``--no-pages``
skips the page count (LibreOffice).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docx import Document

from sireport.audit import audit_document, data_figures
from sireport.run.render import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("hejing-2019.yaml", "hami-2019.yaml", "region-2018.yaml")
ROUNDS = 5


def best(function) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def long_report(folder: Path) -> Path:
    parts = [render(ROOT / "data_examples" / name, out=folder / f"{name}.docx").path for name in EXAMPLES]
    document = Document(str(parts[0]))
    body = document.element.body
    section = body[-1]
    for part in parts[1:]:
        for child in Document(str(part)).element.body:
            if not child.tag.endswith("sectPr"):
                section.addprevious(copy.deepcopy(child))
    target = folder / "long.docx"
    document.save(str(target))
    return target


def pages(path: Path, folder: Path) -> str:
    if "--no-pages" in sys.argv:
        return "?（未统计）"
    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        return "?（未安装 LibreOffice）"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(path)], check=True, capture_output=True, timeout=300)
    info = subprocess.run(["pdfinfo", str(path.with_suffix(".pdf"))], capture_output=True, text=True).stdout
    return next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        report = long_report(folder)
        figures = data_figures(ROOT / "data_examples" / EXAMPLES[0])
        baseline = best(lambda: Document(str(report)))
        alone = best(lambda: audit_document(report))
        with_data = best(lambda: audit_document(report, figures=figures))
        result = audit_document(report)
        print(f"报告：{pages(report, folder)} 页（三份示例报告首尾相接），读出 {result.claims} 个数字")
        print(f"基线（python-docx 打开该文件）：{baseline * 1000:.0f} 毫秒")
        print(f"sireport audit（不带数据）：{alone * 1000:.0f} 毫秒（基线的 {alone / baseline:.2f} 倍）")
        print(f"sireport audit（带数据）：{with_data * 1000:.0f} 毫秒（基线的 {with_data / baseline:.2f} 倍）")
        print("目标：15 页的报告 1 秒以内：" + ("达到" if with_data < 1 else "未达到"))


if __name__ == "__main__":
    sys.exit(main())
