"""How long the template check costs, and what it adds to a render.

    python benchmarks/template_check.py

Prints the median of several runs of: checking each built-in template; building the
engine (check + repairs + place marks); rendering the 哈密 example with it.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from sireport.data.load import load_report
from sireport.run.render import prepare
from sireport.word.lint import check_template
from sireport.word.prepare import make_engine
from sireport.word.search import builtin_dir

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def median_ms(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    loaded = load_report(ROOT / "data_examples" / "hami-2019.yaml")
    for name in ("default", "six-part"):
        template = builtin_dir() / f"{name}.docx"
        engine = make_engine(str(template))
        check = median_ms(lambda t=template: check_template(t))
        compile_ms = median_ms(lambda t=template: make_engine(str(t)))
        render = median_ms(lambda e=engine: e.render(prepare(loaded, checked=False).context, stamped=True))
        print(f"{name}: check {check:.0f} ms, engine (check + marks) {compile_ms:.0f} ms, render one report {render:.0f} ms")


if __name__ == "__main__":
    main()
