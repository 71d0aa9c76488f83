"""Run batches of pages serially or in worker processes; results come back in input order either way.

Worker processes are fresh interpreters (fawen/archive/worker.py): no SQLite handle or thread is inherited
from the driver, and the caller's own script is never re-imported in them (as multiprocessing's spawn would).
Each opens the corpus once through the service layer, ignores Ctrl-C (the driver stops it) and dies with the
driver (PR_SET_PDEATHSIG on Linux, and EOF on its pipe everywhere), so no worker outlives a run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import NoReturn, Protocol

from fawen.archive.work import Batch, BatchResult, Settings, check_batch, fawen_env, warm_up
from fawen.errors import FawenError

IN_FLIGHT = 2        # batches queued per worker: one running, one waiting, so a worker never idles


class Engine(Protocol):
    """Checks batches and yields their results in the order the batches came."""

    mode: str
    workers: int

    def run(self, batches: Iterable[Batch], settings: Settings) -> Iterator[BatchResult]: ...

    def close(self) -> None: ...


class SerialEngine:
    """Everything in the driver process."""

    mode = "serial"
    workers = 1

    def __init__(self) -> None:
        warm_up()

    def run(self, batches: Iterable[Batch], settings: Settings) -> Iterator[BatchResult]:
        for index, pages in batches:
            yield check_batch(index, pages, settings)

    def close(self) -> None:
        pass


class ProcessEngine:
    """N worker processes on this machine (`python -m fawen.archive.worker`), each fed through its own pipes."""

    mode = "processes"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.procs: list[subprocess.Popen[bytes]] = []
        self.sends: list[Connection] = []
        self.recvs: list[Connection] = []
        try:
            for _ in range(workers):
                self._start()
            self._ready()
        except BaseException:
            self.close()
            raise

    def _ready(self) -> None:
        """Wait until every worker has loaded the corpus (they load it at once, in parallel)."""
        waiting = list(self.recvs)
        while waiting:
            for conn in wait(waiting):
                worker = self.recvs.index(conn)  # type: ignore[arg-type]
                try:
                    status, payload = self.recvs[worker].recv()
                except (EOFError, OSError):
                    self._died(worker)
                if status != "ready":
                    raise FawenError(str(payload))
                waiting.remove(self.recvs[worker])

    def _start(self) -> None:
        to_child, from_parent = os.pipe()
        from_child, to_parent = os.pipe()
        try:
            proc = subprocess.Popen([sys.executable, "-m", "fawen.archive.worker", str(to_child), str(to_parent),
                                     str(os.getpid())], pass_fds=(to_child, to_parent), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, env={**os.environ, **fawen_env()})
        except BaseException:
            for fd in (from_parent, from_child):
                os.close(fd)
            raise
        finally:
            os.close(to_child)
            os.close(to_parent)
        self.procs.append(proc)
        self.sends.append(Connection(from_parent, readable=False))
        self.recvs.append(Connection(from_child, writable=False))

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def run(self, batches: Iterable[Batch], settings: Settings) -> Iterator[BatchResult]:
        queued: list[deque[int]] = [deque() for _ in self.procs]
        done: dict[int, BatchResult] = {}
        source = iter(batches)
        exhausted = False
        expected: int | None = None
        while True:
            while not exhausted:
                worker = min(range(len(self.procs)), key=lambda i: len(queued[i]))
                if len(queued[worker]) >= IN_FLIGHT:
                    break
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    break
                expected = batch[0] if expected is None else expected
                self._send(worker, (batch[0], batch[1], settings))
                queued[worker].append(batch[0])
            busy = [self.recvs[i] for i in range(len(self.procs)) if queued[i]]
            if not busy:
                return
            for conn in wait(busy):
                worker = self.recvs.index(conn)  # type: ignore[arg-type]
                result = self._receive(worker)
                queued[worker].remove(result.index)
                done[result.index] = result
            while expected is not None and expected in done:
                yield done.pop(expected)
                expected += 1

    def _send(self, worker: int, message: object) -> None:
        try:
            self.sends[worker].send(message)
        except OSError:
            self._died(worker)

    def _receive(self, worker: int) -> BatchResult:
        try:
            status, payload = self.recvs[worker].recv()
        except (EOFError, OSError):
            self._died(worker)
        if status != "ok":
            raise RuntimeError(f"worker process {self.procs[worker].pid} failed:\n{payload}")
        assert isinstance(payload, BatchResult)
        return payload

    def _died(self, worker: int) -> NoReturn:
        proc = self.procs[worker]
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        raise FawenError(f"工作进程 {proc.pid} 意外退出 (worker process exited, code {proc.returncode}); "
                         "重新运行同一命令可从检查点继续 (rerun the same command to resume)")

    def close(self) -> None:
        """Stop every worker: ask, then terminate, then kill; never leaves one running."""
        for conn in self.sends:
            try:
                conn.send(None)
            except OSError:
                pass
        for conn in self.sends + self.recvs:
            conn.close()
        deadline = time.monotonic() + 2
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.01, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs, self.sends, self.recvs = [], [], []


def make_engine(workers: int, ray: str | None) -> Engine:
    """Serial for one worker, worker processes for more, Ray Data when `ray` is given."""
    if ray:
        from fawen.archive.ray_engine import RayEngine

        return RayEngine(ray, workers)
    return SerialEngine() if workers <= 1 else ProcessEngine(workers)
