"""How long ``sireport check`` takes for 100 data files (target: under 1 second).

Run: ``python benchmarks/check_speed.py [N]``. The 100 files are copies of the shipped
examples (clean and "as published"), written to a temporary folder. The baseline,
measured in the same run, is only loading (parsing + validating) the same files, so the
ratio says what the checks cost on top of reading the data. Each figure is the best of
five rounds; library figures exclude imports, the command line figure includes them.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sireport.checks import check_file, check_report
from sireport.data.kind import load_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data_examples").glob("*.yaml")) + sorted((ROOT / "data_examples" / "published").glob("*.yaml"))


ROUNDS = 5


def each(function, values) -> None:
    for value in values:
        function(value)


def best_of(rounds: int, work) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(count: int = 100) -> None:
    folder = Path(tempfile.mkdtemp(prefix="sireport-bench-"))
    try:
        files = []
        for index in range(count):
            source = EXAMPLES[index % len(EXAMPLES)]
            files.append(folder / f"{index:03d}-{source.name}")
            shutil.copy(source, files[-1])
        loaded = [load_data(path) for path in files]  # warm up imports and caches
        load_only = best_of(ROUNDS, lambda: each(load_data, files))
        checks_only = best_of(ROUNDS, lambda: each(check_report, loaded))
        load_and_check = best_of(ROUNDS, lambda: each(check_file, files))
        findings = sum(len(check_file(path).findings) for path in files)
        command = [sys.executable, "-m", "sireport", "check", "--format", "json", *map(str, files)]
        cli = best_of(ROUNDS, lambda: subprocess.run(command, capture_output=True, check=False))
        startup = best_of(ROUNDS, lambda: subprocess.run([sys.executable, "-m", "sireport", "check", "--help"],
                                                         capture_output=True, check=False))
    finally:
        shutil.rmtree(folder)
    print(f"{count} 个数据文件（{len(EXAMPLES)} 个示例轮流复制），取 {ROUNDS} 轮最好成绩：")
    print(f"  基线：只读取和校验            {load_only:.3f} 秒")
    print(f"  只做检查（已读取）            {checks_only:.3f} 秒")
    print(f"  读取 + 检查（sireport check） {load_and_check:.3f} 秒 = 基线的 {load_and_check / load_only:.2f} 倍")
    print(f"  命令行整体（含启动和导入）    {cli:.3f} 秒；其中仅启动 sireport（--help）{startup:.3f} 秒")
    print(f"  共 {findings} 条检查结果；目标：100 个文件 1 秒以内 —— {'达到' if load_and_check * 100 / count < 1 else '未达到'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
