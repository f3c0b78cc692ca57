"""Worker processes that always finish: a dead or hung worker costs only its own task.

>>> with WorkerPool(2, init, (job,), time_limit=120) as pool:      # doctest: +SKIP
...     for outcome in pool.map(work, items):
...         outcome.index, outcome.value, outcome.failure

Unlike :class:`concurrent.futures.ProcessPoolExecutor`, whose pool is broken for good
when one worker dies and whose shutdown can wait forever on a blocked worker, each
worker here has its own pipe and is watched through its process sentinel:

- a worker that dies (killed, out of memory) fails only the task it was running; a new
  worker takes its place and the run goes on;
- a task running longer than ``time_limit`` seconds without a :func:`heartbeat` is
  stopped (the worker is killed and replaced) and fails with the reason;
- leaving the ``with`` block (normally, by Ctrl+C or SIGTERM) stops every worker within
  seconds: SIGTERM first, so that each unwinds and removes its temporary files, then
  SIGKILL for any that did not end.

Workers ignore SIGINT (Ctrl+C is the parent's to handle), exit on SIGTERM through
:class:`SystemExit` (so ``finally`` blocks run), and end by themselves when the parent
dies (Linux: the parent-death signal; elsewhere: a check of the parent each second).
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from sireport.errors import SireportError

STOP_GRACE = 3.0  # seconds a worker has to unwind after SIGTERM before SIGKILL


@dataclass(slots=True)
class Outcome:
    """One task's end: its result, or why it failed (the worker died, took too long, raised)."""

    index: int  # position of the item in the iterable given to map()
    item: Any
    value: Any = None
    failure: str | None = None  # Chinese, for the user
    pid: int | None = None  # the worker that ran it (to clean up after a killed one)

    @property
    def ok(self) -> bool:
        return self.failure is None


class _Worker:
    def __init__(self, context: Any, initializer: Callable[..., None] | None, initargs: tuple) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, self.conn, os.getpid(), initializer, initargs),
                                       daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, Any] | None = None
        self.deadline = float("inf")

    def give(self, index: int, item: Any, function: Callable, time_limit: float | None) -> None:
        self.task = (index, item)
        self.conn.send((function, index, item))
        self.deadline = time.monotonic() + time_limit if time_limit else float("inf")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()


class WorkerPool:
    """``size`` worker processes, each started with ``initializer(*initargs)``."""

    def __init__(self, size: int, initializer: Callable[..., None] | None = None, initargs: tuple = (),
                 time_limit: float | None = None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._initializer, self._initargs = initializer, initargs
        self.time_limit = time_limit
        self._workers = [self._start() for _ in range(max(1, size))]
        self.lost_pids: list[int] = []  # workers that died or were killed (their files may need a sweep)

    def _start(self) -> _Worker:
        return _Worker(self._context, self._initializer, self._initargs)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def call(self, function: Callable, item: Any) -> Any:
        """``function(item)`` in one worker; its exception is raised here (as ``RuntimeError`` if it
        cannot cross the process boundary)."""
        outcome = next(self._run(function, [item], raw=True))
        if isinstance(outcome.value, BaseException):
            raise outcome.value
        if not outcome.ok:
            raise RuntimeError(outcome.failure)
        return outcome.value

    def map(self, function: Callable, items: Iterable[Any]) -> Iterator[Outcome]:
        """``function(item)`` for every item, in the workers; outcomes in the order they end."""
        return self._run(function, items, raw=False)

    def _run(self, function: Callable, items: Iterable[Any], raw: bool) -> Iterator[Outcome]:
        pending = collections.deque(enumerate(items))
        while True:
            for number, worker in enumerate(self._workers):
                if worker.task is None and pending:
                    if not worker.process.is_alive():  # died between tasks: nothing of ours lost
                        self.lost_pids.append(worker.process.pid)  # type: ignore[arg-type]
                        worker.conn.close()
                        worker = self._workers[number] = self._start()
                    index, item = pending.popleft()
                    try:
                        worker.give(index, item, function, self.time_limit)
                    except (BrokenPipeError, ConnectionResetError, EOFError):
                        worker.task = (index, item)  # the worker is dead: reported below
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                return
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                         None if timeout == float("inf") else timeout)
            for worker in busy:
                outcome = self._collect(worker, ready, raw)
                if outcome is not None:
                    yield outcome

    def _collect(self, worker: _Worker, ready: list, raw: bool) -> Outcome | None:
        """The outcome of ``worker``'s task if it ended (a message, a death or the time limit)."""
        index, item = worker.task  # type: ignore[misc]
        pid = worker.process.pid
        if worker.conn in ready:
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                message = None
            if message is not None:
                kind, value = message
                if kind == "alive":
                    worker.deadline = time.monotonic() + self.time_limit if self.time_limit else float("inf")
                    return None
                worker.task = None
                if kind == "done":
                    return Outcome(index, item, value, pid=pid)
                return Outcome(index, item, value if raw else None, failure=_describe(value), pid=pid)
        if worker.process.sentinel in ready or worker.conn in ready:
            worker.process.join(1)
            return self._replace(worker, Outcome(index, item, failure=_death(worker.process.exitcode), pid=pid))
        if time.monotonic() >= worker.deadline:
            worker.process.kill()
            worker.process.join(5)
            failure = f"超过时间限制（{self.time_limit:g} 秒）仍未完成，已停止"
            return self._replace(worker, Outcome(index, item, failure=failure, pid=pid))
        return None

    def _replace(self, worker: _Worker, outcome: Outcome) -> Outcome:
        self.lost_pids.append(worker.process.pid)  # type: ignore[arg-type]
        worker.conn.close()
        self._workers[self._workers.index(worker)] = self._start()
        return outcome

    def close(self) -> None:
        """Stop every worker: ask (SIGTERM), wait up to :data:`STOP_GRACE` seconds, then kill."""
        for worker in self._workers:
            if worker.task is None and worker.process.is_alive():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)  # an idle worker just ends
            else:
                worker.stop()
        deadline = time.monotonic() + STOP_GRACE
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.stop()
                worker.process.join(0.5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)
            worker.conn.close()
        self._workers = []


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"工作进程被信号 {name} 终止（可能被手动结束或内存不足），该文件未处理完"
    return f"工作进程意外退出（退出码 {exitcode}），该文件未处理完"


def _describe(error: Any) -> str:
    if isinstance(error, MemoryError):
        return "内存不足，未能处理完该文件"
    if isinstance(error, (str, SireportError)):
        return str(error)
    return f"内部错误（{type(error).__name__}: {error}）"


# ---------------------------------------------------------------- in the worker

_CONN: Connection | None = None


def heartbeat() -> None:
    """In a worker task: say the task is still making progress (restarts its time limit).
    Called between the units of a long file; does nothing outside a worker."""
    if _CONN is not None:
        _CONN.send(("alive", None))


def _serve(conn: Connection, parent_end: Connection, parent: int, initializer: Any, initargs: tuple) -> None:
    global _CONN
    parent_end.close()
    _CONN = conn
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)
    _die_with(parent)
    if initializer is not None:
        initializer(*initargs)
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:
                return
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        function, index, item = task
        try:
            reply = ("done", function(item))
        except BaseException as exc:  # noqa: BLE001  (reported to the parent, which decides)
            if isinstance(exc, SystemExit):
                raise
            reply = ("failed", _portable(exc))
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


def _portable(exc: BaseException) -> Any:
    """``exc`` if it survives pickling, otherwise its text."""
    import pickle  # only on the error path

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return f"内部错误（{type(exc).__name__}: {exc}）"


def _exit_on_term(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _die_with(parent: int) -> None:
    """Linux: SIGTERM this process when its parent dies (it cannot be left behind, orphaned)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # Linux only

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)
