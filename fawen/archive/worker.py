"""A worker process of `fawen check --workers N`: `python -m fawen.archive.worker READ_FD WRITE_FD DRIVER_PID`.

Receives (index, pages, settings) on READ_FD, sends ("ok", BatchResult) on WRITE_FD; stops on None or when
the driver goes away. Opens the corpus once, through fawen.service, on its first batch.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from multiprocessing.connection import Connection

from fawen.archive.work import check_batch, warm_up
from fawen.errors import FawenError


def main(read_fd: int, write_fd: int, driver: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C reaches the whole process group: the driver decides
    _die_with(driver)
    inbox, outbox = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    try:
        warm_up()
        outbox.send(("ready", os.getpid()))
    except FawenError as exc:   # no corpus, a bad setting: say so, as the driver would
        outbox.send(("failed", exc.message))
        return
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, pages, settings = message
        try:
            reply: tuple[str, object] = ("ok", check_batch(index, pages, settings))
        except Exception:
            reply = ("error", traceback.format_exc())
        try:
            outbox.send(reply)
        except OSError:
            return


def _die_with(driver: int) -> None:
    """Be killed when the driver dies, even by SIGKILL (Linux); elsewhere the closed pipe ends the loop."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except OSError:
            pass
    if os.getppid() != driver:   # the driver died before prctl took effect
        os._exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
