"""Benchmark: sireport batch against the naive docxtpl loop, on the same template and data.

    python benchmarks/batch_speed.py                 # 3000 synthetic counties, 2 processes
    python benchmarks/batch_speed.py --sizes 300,1000,3000 --naive 40

1. Writes N synthetic counties (the example with every amount scaled by a factor that
   depends only on the county's number: tools.synthetic).
2. Naive loop, in this process, for the first --naive counties: the same steps as a batch
   unit (load, check, compute, render, write the file), rendering with
   ``DocxTemplate(path).render(ctx).save()`` (Engine.render_reference: docxtpl compiles the
   template again for every report). This is the yardstick of the ratio. Then the render
   step alone both ways (data loaded and computed beforehand): docxtpl's render against
   the fast path (Engine.render).
3. Batch: ``sireport batch DIR -o OUT -j J`` as a separate process, timed end to end
   (start-up, load, check, compute, render, write, 汇总表 and 问题清单), while the resident
   memory of its whole process tree is sampled (/proc, or psutil where installed).
Prints the ratio (batch reports/s ÷ naive loop reports/s), reports/s and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sireport.data.load import load_report  # noqa: E402
from sireport.run.render import prepare  # noqa: E402
from sireport.word.prepare import make_engine  # noqa: E402
from tools.synthetic import write_counties  # noqa: E402


def naive_loop(paths: list[Path], template: str | None, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) per report of the whole job done naively, one report after
    another: load, check, compute, ``DocxTemplate(path).render(ctx).save()`` to a file."""
    engine = make_engine(template)
    out.mkdir(parents=True, exist_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        prepared = prepare(load_report(path))  # compute, score the 附表, check
        (out / f"{path.stem}.docx").write_bytes(engine.render_reference(prepared.context))
    return (time.perf_counter() - started) / len(paths), (time.process_time() - cpu) / len(paths)


def render_only(paths: list[Path], template: str | None, out: Path, fast: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) per report of render + save in this process, data loaded beforehand.

    ``fast=False``: DocxTemplate(path).render(ctx).save() for each report; ``fast=True``: Engine.render.
    """
    engine = make_engine(template)
    contexts = []
    for path in paths:
        contexts.append(prepare(load_report(path), checked=False).context)
    out.mkdir(parents=True, exist_ok=True)
    render = (lambda c: engine.render(c, stamped=True)) if fast else engine.render_reference
    if fast:
        engine.compile()
    started, cpu = time.perf_counter(), time.process_time()
    for index, context in enumerate(contexts):
        (out / f"{'fast' if fast else 'naive'}-{index}.docx").write_bytes(render(context))
    return (time.perf_counter() - started) / len(contexts), (time.process_time() - cpu) / len(contexts)


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 if it is gone)."""
    try:
        import psutil  # optional
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
        except psutil.Error:
            return 0
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def batch(folder: Path, out: Path, jobs: int, template: str | None, *extra: str) -> tuple[float, int, str]:
    """(seconds, peak tree RSS bytes, stdout) of ``sireport batch`` (with ``extra`` options) run
    as its own process."""
    command = [sys.executable, "-m", "sireport", "batch", str(folder), "-o", str(out), "-j", str(jobs), *extra]
    if template:
        command += ["-t", template]
    return timed(command)


def timed(command: list[str]) -> tuple[float, int, str]:
    """(seconds, peak RSS bytes of its process tree, stdout) of ``command``, which must succeed."""
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{command[3] if len(command) > 3 else command[0]} failed ({process.returncode}):\n"
                         f"{stdout.decode()}\n{stderr.decode()}")
    return seconds, peak, stdout.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="3000", help="numbers of synthetic counties, comma separated")
    parser.add_argument("--naive", type=int, default=40, help="counties rendered by the naive loop")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--template", default=None)
    parser.add_argument("--example", default=str(ROOT / "data_examples" / "hami-2019.yaml"))
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="sireport-bench-") as temp:
        temp_dir = Path(temp)
        units = write_counties(Path(args.example), temp_dir / "units", max(sizes))
        per_naive, cpu_naive = naive_loop(units[: args.naive], args.template, temp_dir / "naive")
        print(f"naive loop (load, check, compute, DocxTemplate(path).render(ctx).save()): "
              f"{per_naive * 1000:.1f} ms/report = {1 / per_naive:.1f} reports/s "
              f"(CPU {cpu_naive * 1000:.1f} ms/report; {args.naive} reports, one process)")
        render_naive, _ = render_only(units[: args.naive], args.template, temp_dir / "render-naive", fast=False)
        render_fast, _ = render_only(units[: args.naive * 5], args.template, temp_dir / "render-fast", fast=True)
        print(f"render + save only, one process: docxtpl {render_naive * 1000:.1f} ms/report, fast path "
              f"{render_fast * 1000:.2f} ms/report = {render_naive / render_fast:.1f}x")
        for size in sizes:
            folder = temp_dir / f"units-{size}"
            folder.mkdir()
            for path in units[:size]:
                os.link(path, folder / path.name)
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds, peak, stdout = batch(folder, temp_dir / f"out-{size}", args.jobs, args.template)
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
            rendered = len(list((temp_dir / f"out-{size}").glob("*.docx")))
            assert rendered == size, stdout
            rate = size / seconds
            print(f"batch -j {args.jobs}, {size} counties: {seconds:.2f} s end to end = {rate:.0f} reports/s = "
                  f"{rate * per_naive:.1f}x the naive loop; peak RSS (process tree) {peak / 2**20:.0f} MB")
            cpu_rate = args.jobs * size / cpu  # what J otherwise idle cores would do
            print(f"    CPU {cpu:.2f} s = {cpu / size * 1000:.2f} ms/report (whole run, all processes): "
                  f"on {args.jobs} free cores {cpu_rate:.0f} reports/s, "
                  f"{cpu_rate * cpu_naive:.1f}x the naive loop's CPU cost")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work on the "
              "machine slows both paths)")


if __name__ == "__main__":
    main()
