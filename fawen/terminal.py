"""How the command line talks to a person besides its results: the exit-code policy, error lines, counts,
and the progress of long commands on stderr.

Exit codes, one policy for every command (README, "Exit codes"):

    0    done
    1    not found: an unknown law, article or version (NotFound)
    2    not done as asked: bad arguments or input, no usable corpus, a home that is not writable — or done
         only in part: input records or pages were skipped (each listed on stderr, the rest done)
    3    findings: `fawen check` found problems in the citations it audited (nothing skipped)
    70   a bug in fawen: the traceback is printed, please report it
    130  interrupted (Ctrl-C)

Progress: a command that runs for more than a moment takes `progress(console)` and passes it on as the
`tick(stage, done, total)` callback (total 0: not known). On a terminal each stage is a bar that advances
(one of unknown length pulses, with its elapsed time) and leaves a line when it ends; without a terminal
(`make demo > log`, CI) the same lines are printed, plus one every `every` seconds with the count, rate and
ETA, so that a log shows a long stage moving.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from fawen.errors import FawenError, NotFound

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as Bars, TaskID

OK, NOT_FOUND, NOT_DONE, FINDINGS, BUG, INTERRUPTED = 0, 1, 2, 3, 70, 130
EVERY = 5.0  # seconds between progress lines in a log


def exit_code(exc: FawenError) -> int:
    """The exit code of a command stopped by `exc`."""
    return NOT_FOUND if isinstance(exc, NotFound) else NOT_DONE


def partial(skipped: int, findings: bool = False) -> int:
    """The exit code of a command that finished: 2 when it skipped input, else 3 when it found problems."""
    return NOT_DONE if skipped else FINDINGS if findings else OK


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 finding', '2 findings' (English nouns only; Chinese needs no plural)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def rate_text(per_second: float) -> str:
    """12.3/s, or 2.0/min for a slow stage."""
    return f"{per_second:.1f}/s" if per_second >= 1 else f"{per_second * 60:.1f}/min"


def clock_text(seconds: float) -> str:
    """12s, 3m05s, 1h02m."""
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class Stage:
    """One stage of a long command: its name, count so far, total (0: unknown) and when it started."""

    def __init__(self, name: str, total: int, now: float) -> None:
        self.name, self.done, self.total, self.started = name, 0, total, now

    def finished(self, now: float) -> str:
        """What the stage did: '342 in 27.9s (12.3/s)', or 'in 14.2s' when it counted nothing."""
        elapsed = max(now - self.started, 0.0)
        if not self.done:
            return f"in {elapsed:.1f}s"
        rate = f" ({rate_text(self.done / elapsed)})" if elapsed > 0 else ""
        return f"{self.done} in {elapsed:.1f}s{rate}"

    def line(self, now: float) -> str:
        """The progress line of the stage at `now`: count, rate and ETA, or the elapsed time."""
        elapsed = max(now - self.started, 0.0)
        rate = self.done / elapsed if elapsed > 0 and self.done else 0.0
        if not self.total:
            return f"[{self.name}] … {clock_text(elapsed)} elapsed"
        share = f"{self.done}/{self.total} ({100 * self.done // max(self.total, 1)}%)"
        if not rate:
            return f"[{self.name}] {share}, {clock_text(elapsed)} elapsed"
        eta = (self.total - self.done) / rate
        return f"[{self.name}] {share}, {rate_text(rate)}, ETA {clock_text(eta)}, {clock_text(elapsed)} elapsed"


class Progress:
    """The `tick(stage, done, total)` callback of a long command, shown on stderr (see the module docstring).

    Use it as a context manager; `note(message)` prints a message without breaking the bars. `live` None
    decides by the console (a terminal gets bars); `clock` and `every` are for tests.
    """

    def __init__(self, console: Console, every: float = EVERY, live: bool | None = None,
                 clock: Callable[[], float] = time.monotonic, heartbeat: bool = True) -> None:
        self.console = console
        self.every = every
        self.live = console.is_interactive if live is None else live
        self.clock = clock
        self.stage: Stage | None = None
        self._lock = threading.Lock()
        self._last_line = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bars: Bars | None = None
        self._task: TaskID | None = None
        self._heartbeat_on = heartbeat

    def __enter__(self) -> Progress:
        if self.live:
            from rich.progress import BarColumn, Progress as Bars, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._bars = Bars(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[count]}"),
                              TimeElapsedColumn(), TimeRemainingColumn(), console=self.console, transient=True)
            self._bars.start()
        elif self.every > 0 and self._heartbeat_on:
            self._thread = threading.Thread(target=self._heartbeat, name="fawen-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        with self._lock:
            if self.stage is not None and kind is None:
                self._finish(self.stage)
            self.stage = None
        if self._bars is not None:
            self._bars.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        with self._lock:
            if self.stage is None or self.stage.name != stage:
                if self.stage is not None:
                    self._finish(self.stage)
                self.stage = Stage(stage, total, now)
                self._start(self.stage)
            current = self.stage
            current.done = done
            if total:
                current.total = total
            if self._bars is not None and self._task is not None:
                self._bars.update(self._task, completed=done, total=current.total or None,
                                  count=f"{done}/{current.total}" if current.total else "")
            elif not self.live and self.every > 0 and now - self._last_line >= self.every:
                self._say(current.line(now))

    def note(self, message: str) -> None:
        """A message (a warning, a wait) shown above the bars or as its own line."""
        from rich.markup import escape

        self.console.print(f"[yellow]fawen:[/yellow] {escape(message)}", markup=True, highlight=False)

    def _start(self, stage: Stage) -> None:
        if self._bars is not None:
            self._task = self._bars.add_task(stage.name, total=stage.total or None, count="")
        else:
            self._say(f"[{stage.name}] …")

    def _finish(self, stage: Stage) -> None:
        if self._bars is not None and self._task is not None:
            self._bars.remove_task(self._task)
            self._task = None
            from rich.markup import escape

            self._bars.console.print(f"[green]✓[/green] {escape(stage.name)}: {stage.finished(self.clock())}",
                                     markup=True, highlight=False)
        else:
            self._say(f"[{stage.name}] done: {stage.finished(self.clock())}")

    def _say(self, line: str) -> None:
        self._last_line = self.clock()
        self.console.print(f"fawen: {line}", markup=False, highlight=False, soft_wrap=True)

    def beat(self) -> None:
        """Without a terminal: the stage's line when none was printed for `every` seconds."""
        with self._lock:
            if self.stage is not None and self.clock() - self._last_line >= self.every:
                self._say(self.stage.line(self.clock()))

    def _heartbeat(self) -> None:
        """A line every `every` seconds even while a stage reports nothing."""
        while not self._stop.wait(self.every / 2):
            self.beat()
