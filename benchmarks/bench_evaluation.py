"""Time the 绩效自评表: scoring alone, and rendering the four project tables (docx + xlsx).

Run: python benchmarks/bench_evaluation.py   (prints milliseconds per call)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sireport.data.kind import load_data
from sireport.figures.evaluation import evaluate_project
from sireport.run.render import render

EXAMPLES = Path(__file__).resolve().parent.parent / "data_examples"
PROJECTS = sorted(EXAMPLES.glob("bureau-2019-project-*.yaml"))


def per_call(function, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat * 1000


def main() -> None:
    loaded = [load_data(path) for path in PROJECTS]
    print(f"评分（4 张项目表）：{per_call(lambda: [evaluate_project(x) for x in loaded], 200):.2f} ms")
    with tempfile.TemporaryDirectory() as folder:
        def render_all() -> None:
            for path in PROJECTS:
                render(path, out=Path(folder) / f"{path.stem}.docx", force=True, xlsx=True)

        print(f"生成 Word + Excel（4 张项目表）：{per_call(render_all, 5):.1f} ms")
        hejing = EXAMPLES / "hejing-2019.yaml"
        print(f"和静县报告含附表 Word + Excel：{per_call(lambda: render(hejing, out=Path(folder) / 'h.docx', force=True, xlsx=True), 5):.1f} ms")


if __name__ == "__main__":
    main()
