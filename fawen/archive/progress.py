"""Progress of an archive audit: a bar with pages/s and ETA in a terminal, plain lines in a log or CI."""

from __future__ import annotations

import time
from typing import TextIO

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TaskID, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

EVERY = 10.0   # seconds between plain progress lines


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} pages/s" if speed else "… pages/s")


class TerminalProgress:
    """A rich bar on the console: done/total, pages/s, elapsed, ETA. Rates count this run's pages only."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), _Rate(),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=console,
                            transient=True)
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.bar.start()
            # Pages done before this run (a resumed checkpoint) count towards the bar, not the rate.
            self.task = self.bar.add_task("checking", total=total, completed=done)
            return
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        self.bar.stop()


class LineProgress:
    """One plain line every `every` seconds (and at the end): done/total, percent, pages/s, ETA."""

    def __init__(self, stream: TextIO, every: float = EVERY) -> None:
        self.stream = stream
        self.every = every
        self.started = 0.0
        self.first = 0
        self.last_line = 0.0
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.started:
            self.started, self.first, self.last_line = now, done, now
        self.done, self.total = done, total
        if now - self.last_line >= self.every:
            self.last_line = now
            self._line(now)

    def _line(self, now: float) -> None:
        elapsed = now - self.started
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else None
        percent = 100 * self.done / self.total if self.total else 100.0
        eta = _clock(left) if left is not None else "?"
        self.stream.write(f"checked {self.done}/{self.total} pages ({percent:.0f}%), {rate:.1f} pages/s, "
                          f"elapsed {_clock(elapsed)}, ETA {eta}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.started:
            self._line(time.monotonic())


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
