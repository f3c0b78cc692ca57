"""A batch always ends: killed, hung or interrupted workers cost only their own files (issue 11 case 1)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from sireport.files import is_untouched
from test_batch import SMALL_UNIT, make_units

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def start_batch(units: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "sireport", "batch", str(units), "-o", str(out), *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def wait_for_reports(out: Path, count: int, process: subprocess.Popen, seconds: float = 240) -> None:
    """Until ``count`` reports are written (into the run's stage: they are moved into ``out``
    once every unit is known)."""
    deadline = time.time() + seconds
    while time.time() < deadline and len(list(out.glob(".~batch-*/*.docx"))) < count:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    assert len(list(out.glob(".~batch-*/*.docx"))) >= count


def batch_under_way(tmp_path: Path, good: int, reports: int) -> tuple[subprocess.Popen, Path]:
    """``batch -j 2`` of ``good`` units in its own session, once ``reports`` of them are written; and its folder."""
    make_units(tmp_path / "units", good=good, broken_each=0)
    out = tmp_path / "out"
    process = start_batch(tmp_path / "units", out, "-j", "2")
    wait_for_reports(out, reports, process)
    return process, out


def gone_within(seconds: float, alive: Callable[[], bool]) -> bool:
    """Whether ``alive()`` turns false within ``seconds``."""
    deadline = time.time() + seconds
    while time.time() < deadline and alive():
        time.sleep(0.1)
    return not alive()


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # zombies of the group count as gone
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


@pytest.mark.slow
def test_1000_files_with_a_worker_killed_finish_with_the_others_and_both_workbooks(tmp_path):
    process, out = batch_under_way(tmp_path, good=1000, reports=30)
    victim = children(process.pid)[0]
    os.kill(victim, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=600)
    stdout, stderr = stdout.decode("utf-8"), stderr.decode("utf-8")
    assert process.returncode == 1, stderr
    reports = list(out.glob("*.docx"))
    section = stdout.split("失败的单位（未生成报告）：")[1]
    failed = re.split(r"\n(?:警告（|汇总表：)", section)[0].strip().splitlines()
    assert 1 <= len(failed) <= 2 and len(reports) == 1000 - len(failed)
    assert all("SIGKILL" in line for line in failed)
    assert (out / "汇总表.xlsx").exists() and (out / "问题清单.xlsx").exists()
    problems = [[c.value for c in row] for row in load_workbook(out / "问题清单.xlsx")["问题清单"].iter_rows()]
    assert sum(row[4] == "未生成报告" for row in problems) == len(failed)
    assert not [p for p in out.iterdir() if p.name.startswith(".~")]
    assert "内部错误" not in stdout + stderr and "Traceback" not in stderr


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_signal_to_the_process_group_ends_every_process_within_seconds(tmp_path, how):
    process, out = batch_under_way(tmp_path, good=400, reports=10)
    os.killpg(process.pid, how)  # as a terminal's Ctrl+C or a service manager's stop does
    process.communicate(timeout=30)
    assert process.returncode == 130
    assert gone_within(5, lambda: group_alive(process.pid))
    assert not [p for p in out.iterdir() if p.name.startswith(".~")]
    assert all(is_untouched(path) for path in out.glob("*.docx"))


@pytest.mark.slow
def test_workers_end_when_the_run_is_killed(tmp_path):
    process, _ = batch_under_way(tmp_path, good=400, reports=10)
    workers = children(process.pid)
    process.kill()
    process.communicate(timeout=30)
    assert gone_within(5, lambda: any(Path(f"/proc/{pid}").exists() for pid in workers))


@pytest.mark.slow
def test_a_hung_unit_is_stopped_at_the_time_limit_and_the_rest_render(tmp_path, monkeypatch):
    from sireport.run import worker as batch_unit
    from sireport.run.batch import run_batch

    make_units(tmp_path / "units", good=5, broken_each=0)
    real = batch_unit.process_unit

    def hang_on_third(label, loaded, job):
        if label.endswith("unit-002.yaml"):
            time.sleep(3600)
        return real(label, loaded, job)

    monkeypatch.setattr(batch_unit, "process_unit", hang_on_third)  # forked workers inherit it
    started = time.monotonic()
    result = run_batch([tmp_path / "units"], tmp_path / "out", jobs=2, time_limit=3)
    assert time.monotonic() - started < 60
    failed = {Path(u.source).name: u.error for u in result.failed}
    assert list(failed) == ["unit-002.yaml"] and "超过时间限制（3 秒）" in failed["unit-002.yaml"]
    assert len(result.rendered) == 4 and result.summary.exists() and result.problems.exists()


def test_time_limit_must_be_positive(cli, tmp_path):
    (tmp_path / "a.yaml").write_text(SMALL_UNIT.format(number=1, income=100), encoding="utf-8")
    result = cli("batch", tmp_path / "a.yaml", "-o", tmp_path / "out", "--timeout", "0")
    assert result.exit_code == 2 and "--timeout 每个单位的时间限制应为正数" in result.stderr
